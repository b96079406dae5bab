//! Seeded, reproducible fault injection: what can go wrong and how often.
//!
//! A [`FaultInjector`] draws one [`Fault`] per HTTP request from a ChaCha8 stream
//! seeded by [`FaultConfig::seed`], so a run with the same seed and the same request
//! order meets the same faults. The config can be swapped while the server runs.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// How often each fault happens (rates are probabilities in [0, 1] per HTTP request).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaultConfig {
    /// Seed of the random stream that picks faults.
    pub seed: u64,
    /// Answer with HTTP 500 carrying a JSON-RPC -32603 error, without applying.
    pub error_rate: f64,
    /// Close the connection without an answer, without applying.
    pub drop_rate: f64,
    /// Answer HTTP 429 with `Retry-After` (and a -32005 error body), without applying.
    pub rate_limit_rate: f64,
    /// Answer HTTP 503 with `Retry-After`, without applying.
    pub unavailable_rate: f64,
    /// Apply the request, then hold the answer for `late`.
    pub late_rate: f64,
    /// How long a late answer waits after the write committed (default 5 s).
    pub late: Duration,
    /// Delay added before every request is handled (default none).
    pub latency: Duration,
    /// The `Retry-After` sent with 429 and 503 answers (default 1 s).
    pub retry_after: Duration,
}

impl Default for FaultConfig {
    fn default() -> Self {
        FaultConfig {
            seed: 0,
            error_rate: 0.0,
            drop_rate: 0.0,
            rate_limit_rate: 0.0,
            unavailable_rate: 0.0,
            late_rate: 0.0,
            late: Duration::from_millis(5000),
            latency: Duration::ZERO,
            retry_after: Duration::from_secs(1),
        }
    }
}

/// The fault picked for one HTTP request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Handle the request normally.
    None,
    /// HTTP 500 with a -32603 body; nothing applied.
    Error,
    /// Connection closed without an answer; nothing applied.
    Drop,
    /// HTTP 429 with `Retry-After`; nothing applied.
    RateLimited(Duration),
    /// HTTP 503 with `Retry-After`; nothing applied.
    Unavailable(Duration),
    /// Applied, answered after the given delay.
    Late(Duration),
}

/// Picks faults from a [`FaultConfig`] and its seeded random stream; shared by clones.
#[derive(Debug, Clone)]
pub struct FaultInjector {
    state: Arc<Mutex<(FaultConfig, ChaCha8Rng)>>,
}

impl FaultInjector {
    /// An injector following `config`, its stream seeded by `config.seed`.
    pub fn new(config: FaultConfig) -> Self {
        FaultInjector {
            state: Arc::new(Mutex::new((config, ChaCha8Rng::seed_from_u64(config.seed)))),
        }
    }

    /// Replaces the config and restarts the random stream from its seed.
    pub fn set(&self, config: FaultConfig) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        *state = (config, ChaCha8Rng::seed_from_u64(config.seed));
    }

    /// The config in force.
    pub fn config(&self) -> FaultConfig {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).0
    }

    /// Draws the fault for the next request, plus the latency to add before it.
    ///
    /// One uniform draw per request, compared with the rates stacked in the order
    /// drop, error, 429, 503, late; so rates that sum to at most 1 are exact.
    pub fn next(&self) -> (Fault, Duration) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let (config, rng) = &mut *state;
        let any = config.drop_rate
            + config.error_rate
            + config.rate_limit_rate
            + config.unavailable_rate
            + config.late_rate;
        if any <= 0.0 {
            return (Fault::None, config.latency);
        }
        let draw: f64 = rng.random();
        let mut edge = 0.0;
        let picks = [
            (config.drop_rate, Fault::Drop),
            (config.error_rate, Fault::Error),
            (
                config.rate_limit_rate,
                Fault::RateLimited(config.retry_after),
            ),
            (
                config.unavailable_rate,
                Fault::Unavailable(config.retry_after),
            ),
            (config.late_rate, Fault::Late(config.late)),
        ];
        for (rate, fault) in picks {
            edge += rate.max(0.0);
            if draw < edge {
                return (fault, config.latency);
            }
        }
        (Fault::None, config.latency)
    }
}
