//! Retry: the loop that re-runs a failed attempt, and the small parts it is built from.
//!
//! - [`classify`]: the [`RetryClassifier`] trait deciding retryable / not retryable / rate limited;
//! - [`budget`]: the [`RetryBudget`] token bucket that caps retries to a fraction of calls;
//! - [`policy`]: the retry rule ([`Retry::verdict`], [`Attempts::next_delay`]) and the [`Retry`]
//!   loop built on it (attempts, backoff, replay safety, deadline, budget).

pub mod budget;
pub mod classify;
pub mod policy;

pub use budget::RetryBudget;
pub use classify::{CodeClassifier, DefaultClassifier, RetryClassifier, RetryDecision};
pub use policy::{Attempts, Retry, RetryError, RetryPolicy, Stop, Verdict};
