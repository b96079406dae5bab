//! Circuit breaker: stop calling an endpoint that keeps failing, then probe it back to health.
//!
//! - [`config`]: [`BreakerConfig`] (thresholds, window, recovery time, probe count);
//! - [`window`]: the sliding window of recent outcomes for failure-rate trips;
//! - [`permit`]: the [`BreakerPermit`] a caller holds during one call (a drop guard);
//! - [`circuit`]: the [`CircuitBreaker`] state machine itself.

pub mod circuit;
pub mod config;
pub mod permit;
pub mod window;

pub use circuit::{BreakerRejected, BreakerState, CircuitBreaker, StateChange};
pub use config::BreakerConfig;
pub use permit::BreakerPermit;
pub use window::OutcomeWindow;
