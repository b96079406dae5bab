//! [`BreakerConfig`]: when a circuit breaker trips, how long it stays open, how it probes.
//!
//! Plain data with the defaults of the `[rpc]` config section, so a breaker can be built alone.

use std::time::Duration;

/// Circuit breaker settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakerConfig {
    /// Trip after this many failures in a row (default 5).
    pub failure_threshold: u32,
    /// Trip when at least this percentage of the calls in the window failed (default 50).
    pub failure_rate_percent: u8,
    /// How many recent calls the failure-rate window holds (default 20).
    pub window_size: usize,
    /// The failure rate is judged only once the window holds this many calls (default 10).
    pub min_calls: usize,
    /// How long the breaker stays open before letting probes through (default 60 s).
    pub recovery_timeout: Duration,
    /// Probes let through while half-open; that many successes close it (default 3).
    pub half_open_max_calls: u32,
}

impl Default for BreakerConfig {
    fn default() -> Self {
        Self {
            failure_threshold: 5,
            failure_rate_percent: 50,
            window_size: 20,
            min_calls: 10,
            recovery_timeout: Duration::from_secs(60),
            half_open_max_calls: 3,
        }
    }
}
