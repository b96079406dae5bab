//! Retry: the loop that re-runs a failed attempt, and the small parts it is built from.
//!
//! - [`classify`]: the [`RetryClassifier`] trait deciding retryable / not retryable / rate limited;
//! - [`budget`]: the [`RetryBudget`] token bucket that caps retries to a fraction of calls;
//! - [`policy`]: the [`Retry`] loop (attempts, backoff, idempotency rule, deadline).

pub mod budget;
pub mod classify;
pub mod policy;

pub use budget::RetryBudget;
pub use classify::{DefaultClassifier, RetryClassifier, RetryDecision};
pub use policy::{Retry, RetryError, RetryPolicy};
