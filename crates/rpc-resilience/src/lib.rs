//! Resilience for JSON-RPC clients: retry with backoff and a budget, circuit breakers, timeouts,
//! a concurrency limit, metrics and health probes, each usable alone.
//!
//! ```
//! use rpc_resilience::{CircuitBreaker, DefaultClassifier, Retry, RetryPolicy, RpcError};
//!
//! # tokio_test_block_on(async {
//! let retry = Retry::new(RetryPolicy::default(), DefaultClassifier, 7);
//! let breaker = CircuitBreaker::default();
//! let answer: Result<u64, _> = retry
//!     .run(true, None, |_attempt| async {
//!         let permit = breaker.try_acquire().map_err(|_| RpcError::CircuitOpen { endpoint: "node".into() })?;
//!         permit.success();
//!         Ok::<_, RpcError>(42)
//!     })
//!     .await;
//! assert_eq!(answer, Ok(42));
//! # });
//! # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
//! #     tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(f)
//! # }
//! ```
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod backoff;
pub mod breaker;
pub mod client;
pub mod config;
pub mod error;
pub mod health;
pub mod idempotency;
pub mod limit;
pub mod metrics;
pub mod retry;
pub mod timeout;

pub use backoff::{Backoff, Delays, Jitter};
pub use breaker::{
    BreakerConfig, BreakerPermit, BreakerRejected, BreakerState, CircuitBreaker, StateChange,
};
pub use client::{CallOptions, EndpointStatus, ResilientClient, ResilientClientBuilder};
pub use config::ResilienceConfig;
pub use error::RpcError;
pub use health::{HealthConfig, HealthMonitor, HealthStatus};
pub use idempotency::{AssumeIdempotent, DefaultIdempotency, IdempotencyPolicy};
pub use limit::{ConcurrencyLimit, ConcurrencyPermit};
pub use metrics::{LastError, LatencySummary, Metrics, MetricsSnapshot};
pub use retry::{
    DefaultClassifier, Retry, RetryBudget, RetryClassifier, RetryDecision, RetryError, RetryPolicy,
};
