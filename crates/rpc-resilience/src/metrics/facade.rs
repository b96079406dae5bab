//! The client's metrics through the [`metrics`](::metrics) facade, for a process that installs a recorder.
//!
//! Every [`Metrics`](super::Metrics) method also emits here, and every
//! [`CircuitBreaker`](crate::CircuitBreaker) adds its trips to [`BREAKER_TRIPS_TOTAL`], so a
//! binary that installs a recorder (a Prometheus exporter, say) gets the series below with
//! no call of its own. Without a recorder each emission is a no-op. Series carry no labels:
//! nothing from an endpoint (whose URL may hold credentials) ever reaches them. Every client
//! of a process adds to the same series.

use std::time::Duration;

use ::metrics::{
    counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram, Unit,
};

/// Counter: calls started.
pub const REQUESTS_TOTAL: &str = "rpc_requests_total";
/// Counter: calls that succeeded.
pub const SUCCESSES_TOTAL: &str = "rpc_successes_total";
/// Counter: calls that failed after retries.
pub const FAILURES_TOTAL: &str = "rpc_failures_total";
/// Counter: attempts after the first.
pub const RETRIES_TOTAL: &str = "rpc_retries_total";
/// Counter: calls or attempts rejected by an open circuit breaker.
pub const REJECTED_BY_BREAKER_TOTAL: &str = "rpc_rejected_by_breaker_total";
/// Counter: retries refused by the retry budget.
pub const REJECTED_BY_BUDGET_TOTAL: &str = "rpc_rejected_by_budget_total";
/// Counter: times a circuit breaker opened.
pub const BREAKER_TRIPS_TOTAL: &str = "rpc_breaker_trips_total";
/// Gauge: successes over finished calls (1 before any call finished).
pub const SUCCESS_RATE: &str = "rpc_success_rate";
/// Gauge: when the last failure happened, in seconds since the Unix epoch.
pub const LAST_ERROR_TIMESTAMP_SECONDS: &str = "rpc_last_error_timestamp_seconds";
/// Histogram: call latency, retries included, in seconds.
pub const REQUEST_DURATION_SECONDS: &str = "rpc_request_duration_seconds";

const COUNTERS: [(&str, &str); 7] = [
    (REQUESTS_TOTAL, "Calls started."),
    (SUCCESSES_TOTAL, "Calls that succeeded."),
    (FAILURES_TOTAL, "Calls that failed after retries."),
    (RETRIES_TOTAL, "Attempts after the first."),
    (
        REJECTED_BY_BREAKER_TOTAL,
        "Calls or attempts rejected by an open circuit breaker.",
    ),
    (
        REJECTED_BY_BUDGET_TOTAL,
        "Retries refused by the retry budget.",
    ),
    (BREAKER_TRIPS_TOTAL, "Times a circuit breaker opened."),
];

/// Describes every series to the installed recorder and registers the counters at zero,
/// so a scrape lists them before anything happened. Call once after installing it.
pub fn describe() {
    for (name, help) in COUNTERS {
        describe_counter!(name, Unit::Count, help);
        counter!(name).increment(0);
    }
    describe_gauge!(SUCCESS_RATE, "Successes over finished calls.");
    describe_gauge!(
        LAST_ERROR_TIMESTAMP_SECONDS,
        Unit::Seconds,
        "When the last failure happened (Unix time)."
    );
    describe_histogram!(
        REQUEST_DURATION_SECONDS,
        Unit::Seconds,
        "Call latency, retries included."
    );
}

/// The bucket bounds of [`REQUEST_DURATION_SECONDS`] in seconds: those of
/// [`LatencyHistogram`](super::LatencyHistogram), for an exporter that takes buckets.
pub fn request_duration_buckets() -> Vec<f64> {
    (0..super::histogram::BUCKETS)
        .map(|i| super::histogram::bucket_bound(i).as_secs_f64())
        .collect()
}

pub(crate) fn add(name: &'static str) {
    counter!(name).increment(1);
}

pub(crate) fn finished(latency: Duration, successes: u64, failures: u64) {
    histogram!(REQUEST_DURATION_SECONDS).record(latency.as_secs_f64());
    let finished = successes.saturating_add(failures);
    if finished > 0 {
        gauge!(SUCCESS_RATE).set(successes as f64 / finished as f64);
    }
}

pub(crate) fn failed_at(unix_ms: u64) {
    gauge!(LAST_ERROR_TIMESTAMP_SECONDS).set(unix_ms as f64 / 1000.0);
}
