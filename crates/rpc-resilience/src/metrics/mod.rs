//! Metrics: counters, a latency histogram, the last error, a serde snapshot, and the same
//! through the `metrics` facade.
//!
//! - [`histogram`]: [`LatencyHistogram`] with fixed log-spaced buckets and p50/p90/p99;
//! - [`facade`]: the series emitted through the `metrics` crate when a recorder is installed
//!   (a Prometheus exporter renders them; this crate writes no exposition format);
//! - this file: [`Metrics`], the lock-free recorder, and its [`MetricsSnapshot`] for callers
//!   without a recorder.

pub mod facade;
pub mod histogram;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

pub use histogram::{LatencyHistogram, LatencySummary};

use crate::CircuitBreaker;

/// Records what happens to calls. Shared behind an `Arc`; every method takes `&self`.
///
/// Breaker trips are not counted here: each [`CircuitBreaker`] counts its own, and the
/// metrics report the sum over the breakers they [watch](Metrics::watch_breaker).
#[derive(Debug, Default)]
pub struct Metrics {
    pub(crate) requests: AtomicU64,
    pub(crate) successes: AtomicU64,
    pub(crate) failures: AtomicU64,
    pub(crate) retries: AtomicU64,
    pub(crate) rejected_by_breaker: AtomicU64,
    pub(crate) rejected_by_budget: AtomicU64,
    breakers: Mutex<Vec<Arc<CircuitBreaker>>>,
    pub(crate) latency: LatencyHistogram,
    last_error: Mutex<Option<LastError>>,
}

/// The most recent failure and when it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastError {
    /// The error's message.
    pub message: String,
    /// When it happened, in ms since the Unix epoch (wall clock, for display).
    pub at_unix_ms: u64,
}

/// A point-in-time copy of every metric, ready for JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricsSnapshot {
    /// Calls started.
    pub requests: u64,
    /// Calls that succeeded.
    pub successes: u64,
    /// Calls that failed (after any retries).
    pub failures: u64,
    /// Retries made (attempts after the first).
    pub retries: u64,
    /// Calls or attempts rejected by an open circuit breaker.
    pub rejected_by_breaker: u64,
    /// Retries refused by the retry budget.
    pub rejected_by_budget: u64,
    /// Times a circuit breaker opened.
    pub trips: u64,
    /// successes / (successes + failures), 1.0 before any call finished.
    pub success_rate: f64,
    /// Call latency percentiles.
    pub latency: LatencySummary,
    /// The most recent failure.
    pub last_error: Option<LastError>,
}

impl Metrics {
    /// A fresh recorder with every counter at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// A call started.
    pub fn record_request(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        facade::add(facade::REQUESTS_TOTAL);
    }

    /// A call succeeded after `latency`.
    pub fn record_success(&self, latency: Duration) {
        let successes = self.successes.fetch_add(1, Ordering::Relaxed) + 1;
        self.latency.record(latency);
        facade::add(facade::SUCCESSES_TOTAL);
        facade::finished(latency, successes, self.failures.load(Ordering::Relaxed));
    }

    /// A call failed after `latency` with `error`.
    pub fn record_failure(&self, latency: Duration, error: &dyn std::fmt::Display) {
        let failures = self.failures.fetch_add(1, Ordering::Relaxed) + 1;
        self.latency.record(latency);
        let at_unix_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        facade::add(facade::FAILURES_TOTAL);
        facade::finished(latency, self.successes.load(Ordering::Relaxed), failures);
        facade::failed_at(at_unix_ms);
        let last = LastError {
            message: error.to_string(),
            at_unix_ms,
        };
        *self
            .last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(last);
    }

    /// An attempt after the first was made.
    pub fn record_retry(&self) {
        self.retries.fetch_add(1, Ordering::Relaxed);
        facade::add(facade::RETRIES_TOTAL);
    }

    /// A circuit breaker rejected a call or attempt.
    pub fn record_breaker_rejection(&self) {
        self.rejected_by_breaker.fetch_add(1, Ordering::Relaxed);
        facade::add(facade::REJECTED_BY_BREAKER_TOTAL);
    }

    /// The retry budget refused a retry.
    pub fn record_budget_rejection(&self) {
        self.rejected_by_budget.fetch_add(1, Ordering::Relaxed);
        facade::add(facade::REJECTED_BY_BUDGET_TOTAL);
    }

    /// Reports `breaker`'s trips in [`Metrics::trips`] from now on.
    pub fn watch_breaker(&self, breaker: Arc<CircuitBreaker>) {
        self.breakers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(breaker);
    }

    /// Times the watched circuit breakers opened, in total.
    pub fn trips(&self) -> u64 {
        self.breakers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .map(|breaker| breaker.trips())
            .sum()
    }

    /// A copy of every metric now.
    pub fn snapshot(&self) -> MetricsSnapshot {
        let successes = self.successes.load(Ordering::Relaxed);
        let failures = self.failures.load(Ordering::Relaxed);
        let finished = successes + failures;
        MetricsSnapshot {
            requests: self.requests.load(Ordering::Relaxed),
            successes,
            failures,
            retries: self.retries.load(Ordering::Relaxed),
            rejected_by_breaker: self.rejected_by_breaker.load(Ordering::Relaxed),
            rejected_by_budget: self.rejected_by_budget.load(Ordering::Relaxed),
            trips: self.trips(),
            success_rate: if finished == 0 {
                1.0
            } else {
                successes as f64 / finished as f64
            },
            latency: self.latency.summary(),
            last_error: self
                .last_error
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone(),
        }
    }
}
