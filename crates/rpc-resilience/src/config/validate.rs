//! The rules every [`ResilienceConfig`] key must follow, checked in one place: by the
//! builder's `build()` and by any program that loads the `[rpc]` section (so a bad value is
//! refused when the file is read, not when the first call fails).

use super::ResilienceConfig;
use crate::{ConfigError, MAX_REQUESTS_PER_WINDOW};

/// The largest `batch_size` [`ResilienceConfig::validate`] accepts.
///
/// 1000 calls is the batch limit of the Luxtensor devnet (`DevnetConfig::max_batch_len`, which
/// refuses a larger batch whole) and a common limit of JSON-RPC nodes. For a node that accepts
/// more, raise the limit with `ResilientClientBuilder::max_batch_size` (the builder then checks
/// with [`ResilienceConfig::validate_with_batch_limit`]).
pub const DEFAULT_MAX_BATCH_SIZE: usize = 1000;

/// The largest `failure_window`: the breaker keeps one entry per call of the window.
pub const MAX_FAILURE_WINDOW: usize = 100_000;

/// The largest `retry_budget_ratio` (the same bound as finagle's budget): 1000 retries per call.
pub const MAX_RETRY_BUDGET_RATIO: f64 = 1000.0;

impl ResilienceConfig {
    /// Checks every key against its range, with `batch_size` at most
    /// [`DEFAULT_MAX_BATCH_SIZE`]; the error names the first key out of range.
    ///
    /// Durations are at least 1 ms, counts at least 1, `backoff_factor` a finite number of at
    /// least 1.0, `retry_budget_ratio` finite in [0, 1000], `failure_rate_percent` in 1..=100,
    /// `max_backoff_ms >= initial_backoff_ms`, `failure_min_calls <= failure_window` and
    /// `requests_per_minute` at most [`MAX_REQUESTS_PER_WINDOW`] (0: no limit).
    /// (`jitter` is checked when it is read: only known names deserialize.)
    ///
    /// ```
    /// use rpc_resilience::ResilienceConfig;
    ///
    /// let bad = ResilienceConfig { timeout_ms: 0, ..ResilienceConfig::default() };
    /// let error = bad.validate().unwrap_err();
    /// assert_eq!(error.to_string(), "timeout_ms: must be at least 1");
    /// assert!(ResilienceConfig::default().validate().is_ok());
    /// ```
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.validate_with_batch_limit(DEFAULT_MAX_BATCH_SIZE)
    }

    /// [`validate`](Self::validate) for a node whose batch limit is `max_batch_size` calls.
    pub fn validate_with_batch_limit(&self, max_batch_size: usize) -> Result<(), ConfigError> {
        let durations = [
            ("timeout_ms", self.timeout_ms),
            ("initial_backoff_ms", self.initial_backoff_ms),
            ("max_backoff_ms", self.max_backoff_ms),
            ("recovery_timeout_ms", self.recovery_timeout_ms),
            ("health_interval_ms", self.health_interval_ms),
            ("health_timeout_ms", self.health_timeout_ms),
            ("max_retry_after_ms", self.max_retry_after_ms),
            ("deadline_ms", self.deadline_ms.unwrap_or(1)), // none: no deadline
        ];
        let counts = [
            ("max_attempts", u64::from(self.max_attempts)),
            ("failure_threshold", u64::from(self.failure_threshold)),
            ("half_open_max_calls", u64::from(self.half_open_max_calls)),
            ("health_stall_probes", u64::from(self.health_stall_probes)),
            ("max_connections", wide(self.max_connections)),
            ("failure_window", wide(self.failure_window)),
            ("failure_min_calls", wide(self.failure_min_calls)),
            ("batch_size", wide(self.batch_size)),
        ];
        for (key, value) in durations.into_iter().chain(counts) {
            at_least(key, value, 1)?;
        }
        let whose = if max_batch_size == DEFAULT_MAX_BATCH_SIZE {
            " (the devnet's batch limit)"
        } else {
            " (the node's batch limit)"
        };
        at_most("batch_size", self.batch_size, max_batch_size, whose)?;
        at_most(
            "failure_window",
            self.failure_window,
            MAX_FAILURE_WINDOW,
            "",
        )?;
        let never = " (failure_window: the rate could never be judged)";
        at_most(
            "failure_min_calls",
            self.failure_min_calls,
            self.failure_window,
            never,
        )?;
        at_least(
            "max_backoff_ms",
            self.max_backoff_ms,
            self.initial_backoff_ms,
        )
        .map_err(|e| ConfigError::new(e.key, format!("{} (initial_backoff_ms)", e.reason)))?;
        if !(1..=100).contains(&self.failure_rate_percent) {
            return Err(ConfigError::new(
                "failure_rate_percent",
                format!("must be in 1..=100, found {}", self.failure_rate_percent),
            ));
        }
        if !(self.backoff_factor.is_finite() && self.backoff_factor >= 1.0) {
            return Err(ConfigError::new(
                "backoff_factor",
                format!(
                    "must be a finite number of at least 1.0, found {}",
                    self.backoff_factor
                ),
            ));
        }
        if self.requests_per_minute > MAX_REQUESTS_PER_WINDOW {
            return Err(ConfigError::new(
                "requests_per_minute",
                format!(
                    "must be at most {MAX_REQUESTS_PER_WINDOW} (0: no limit), found {}",
                    self.requests_per_minute
                ),
            ));
        }
        let ratio = self.retry_budget_ratio;
        if !(ratio.is_finite() && (0.0..=MAX_RETRY_BUDGET_RATIO).contains(&ratio)) {
            return Err(ConfigError::new(
                "retry_budget_ratio",
                format!("must be a finite number in [0, 1000], found {ratio}"),
            ));
        }
        Ok(())
    }
}

/// `usize` to `u64` (equal width or wider on every supported target; saturates otherwise).
fn wide(value: usize) -> u64 {
    u64::try_from(value).unwrap_or(u64::MAX)
}

fn at_least(key: &'static str, value: u64, min: u64) -> Result<(), ConfigError> {
    if value < min {
        return Err(ConfigError::new(key, format!("must be at least {min}")));
    }
    Ok(())
}

fn at_most(key: &'static str, value: usize, max: usize, note: &str) -> Result<(), ConfigError> {
    if value > max {
        return Err(ConfigError::new(
            key,
            format!("must be at most {max}{note}, found {value}"),
        ));
    }
    Ok(())
}
