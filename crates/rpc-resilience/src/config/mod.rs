//! [`ResilienceConfig`]: every knob of the stack in one serde struct, shaped like the `[rpc]`
//! TOML section so a CLI maps that section straight onto it.
//!
//! Unknown keys are rejected (a typo must not silently fall back to a default), and
//! [`ResilienceConfig::validate`] (in `validate.rs`) refuses values out of range, naming the key.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::{Backoff, BreakerConfig, ConfigError, Jitter, RequestBudget, RetryPolicy};

mod validate;

pub use validate::{DEFAULT_MAX_BATCH_SIZE, MAX_FAILURE_WINDOW, MAX_RETRY_BUDGET_RATIO};

/// Resilience settings; every field has the documented default. [`ResilienceConfig::validate`]
/// gives each its range; the builder's `build()` refuses a config out of range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ResilienceConfig {
    /// Per-attempt timeout in ms (30000).
    pub timeout_ms: u64,
    /// Attempts per call, the first included (3).
    pub max_attempts: u32,
    /// First backoff delay in ms (1000).
    pub initial_backoff_ms: u64,
    /// Backoff growth factor (2.0; a duration factor only).
    pub backoff_factor: f64,
    /// Backoff cap in ms (30000).
    pub max_backoff_ms: u64,
    /// Consecutive failures that trip a breaker (5).
    pub failure_threshold: u32,
    /// How long a breaker stays open, in ms (60000).
    pub recovery_timeout_ms: u64,
    /// Probes let through while half-open (3).
    pub half_open_max_calls: u32,
    /// Concurrent calls at most (100).
    pub max_connections: usize,
    /// Items per JSON-RPC batch request (50; at most [`DEFAULT_MAX_BATCH_SIZE`] unless the
    /// builder is told the node accepts more).
    pub batch_size: usize,
    /// Health probe interval in ms (30000).
    pub health_interval_ms: u64,
    /// Health probe timeout in ms (5000).
    pub health_timeout_ms: u64,
    /// Jitter applied to backoff delays (`full`).
    pub jitter: Jitter,
    /// Overall deadline per call in ms, retries included (none by default).
    pub deadline_ms: Option<u64>,
    /// Longest server-requested delay honoured, in ms (300000).
    pub max_retry_after_ms: u64,
    /// Retries allowed per call by the retry budget (0.2).
    pub retry_budget_ratio: f64,
    /// Retries always available in the budget (10).
    pub retry_budget_reserve: u32,
    /// Failure-rate trip threshold, in percent of the window (50).
    pub failure_rate_percent: u8,
    /// Calls in the failure-rate window (20).
    pub failure_window: usize,
    /// Calls needed in the window before the rate can trip (10).
    pub failure_min_calls: usize,
    /// Health probes without head progress before an endpoint counts as stalled (3).
    pub health_stall_probes: u32,
    /// HTTP requests per minute at most (a batch counts once), over every client sharing
    /// the [`RequestBudget`] of [`ResilienceConfig::request_budget`]; 0, the default: no
    /// limit (requests are still counted).
    pub requests_per_minute: u32,
}

impl Default for ResilienceConfig {
    fn default() -> Self {
        Self {
            timeout_ms: 30_000,
            max_attempts: 3,
            initial_backoff_ms: 1_000,
            backoff_factor: 2.0,
            max_backoff_ms: 30_000,
            failure_threshold: 5,
            recovery_timeout_ms: 60_000,
            half_open_max_calls: 3,
            max_connections: 100,
            batch_size: 50,
            health_interval_ms: 30_000,
            health_timeout_ms: 5_000,
            jitter: Jitter::Full,
            deadline_ms: None,
            max_retry_after_ms: 300_000,
            retry_budget_ratio: 0.2,
            retry_budget_reserve: 10,
            failure_rate_percent: 50,
            failure_window: 20,
            failure_min_calls: 10,
            health_stall_probes: 3,
            requests_per_minute: 0,
        }
    }
}

impl ResilienceConfig {
    /// The backoff these settings describe.
    pub fn backoff(&self) -> Backoff {
        Backoff {
            initial: Duration::from_millis(self.initial_backoff_ms),
            factor: self.backoff_factor,
            max: Duration::from_millis(self.max_backoff_ms),
            jitter: self.jitter,
        }
    }

    /// The retry policy these settings describe.
    pub fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy {
            max_attempts: self.max_attempts,
            backoff: self.backoff(),
            max_retry_after: Duration::from_millis(self.max_retry_after_ms),
        }
    }

    /// The circuit breaker settings these settings describe.
    pub fn breaker(&self) -> BreakerConfig {
        BreakerConfig {
            failure_threshold: self.failure_threshold,
            failure_rate_percent: self.failure_rate_percent,
            window_size: self.failure_window,
            min_calls: self.failure_min_calls,
            recovery_timeout: Duration::from_millis(self.recovery_timeout_ms),
            half_open_max_calls: self.half_open_max_calls,
        }
    }

    /// A new [`RequestBudget`] of `requests_per_minute` (unlimited when 0). Build it once and
    /// give it to every client that must count together
    /// (`ResilientClientBuilder::request_budget`); a builder given none makes one of its own
    /// from its config. Refused: a value above [`crate::MAX_REQUESTS_PER_WINDOW`].
    pub fn request_budget(&self) -> Result<RequestBudget, ConfigError> {
        match self.requests_per_minute {
            0 => Ok(RequestBudget::unlimited()),
            n => RequestBudget::new(n, Duration::from_secs(60))
                .map_err(|e| ConfigError::new("requests_per_minute", e.reason)),
        }
    }

    /// The per-attempt timeout.
    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms)
    }
}
