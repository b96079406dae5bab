//! Prometheus text exposition (format 0.0.4) of [`Metrics`], written by hand.
//!
//! The format is small and stable; writing it directly avoids a registry and keeps the output
//! exactly what the tests check: HELP and TYPE before each family, cumulative buckets, `+Inf`.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use super::histogram::{bucket_bound, BUCKETS};
use super::Metrics;

/// Renders every metric with names prefixed by `prefix` (e.g. `rpc`).
pub fn render(metrics: &Metrics, prefix: &str) -> String {
    let mut out = String::with_capacity(4096);
    let load = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
    let counters = [
        ("requests_total", "Calls started.", load(&metrics.requests)),
        (
            "successes_total",
            "Calls that succeeded.",
            load(&metrics.successes),
        ),
        (
            "failures_total",
            "Calls that failed after retries.",
            load(&metrics.failures),
        ),
        (
            "retries_total",
            "Attempts after the first.",
            load(&metrics.retries),
        ),
        (
            "rejected_by_breaker_total",
            "Calls or attempts rejected by an open circuit breaker.",
            load(&metrics.rejected_by_breaker),
        ),
        (
            "rejected_by_budget_total",
            "Retries refused by the retry budget.",
            load(&metrics.rejected_by_budget),
        ),
        (
            "breaker_trips_total",
            "Times a circuit breaker opened.",
            metrics.trips(),
        ),
    ];
    for (name, help, value) in counters {
        family(&mut out, prefix, name, help, "counter");
        let _ = writeln!(out, "{prefix}_{name} {value}");
    }
    let snapshot = metrics.snapshot();
    family(
        &mut out,
        prefix,
        "success_rate",
        "Successes over finished calls.",
        "gauge",
    );
    let _ = writeln!(out, "{prefix}_success_rate {}", snapshot.success_rate);
    if let Some(last) = &snapshot.last_error {
        family(
            &mut out,
            prefix,
            "last_error_timestamp_seconds",
            "When the last failure happened.",
            "gauge",
        );
        let _ = writeln!(
            out,
            "{prefix}_last_error_timestamp_seconds {}",
            last.at_unix_ms as f64 / 1000.0
        );
    }
    let name = "request_duration_seconds";
    family(
        &mut out,
        prefix,
        name,
        "Call latency, retries included.",
        "histogram",
    );
    let mut cumulative = 0u64;
    for (i, count) in metrics.latency.bucket_counts().into_iter().enumerate() {
        cumulative += count;
        if i < BUCKETS {
            let le = bucket_bound(i).as_secs_f64();
            let _ = writeln!(out, "{prefix}_{name}_bucket{{le=\"{le}\"}} {cumulative}");
        } else {
            let _ = writeln!(out, "{prefix}_{name}_bucket{{le=\"+Inf\"}} {cumulative}");
        }
    }
    let _ = writeln!(
        out,
        "{prefix}_{name}_sum {}",
        metrics.latency.sum().as_secs_f64()
    );
    let _ = writeln!(out, "{prefix}_{name}_count {cumulative}");
    out
}

fn family(out: &mut String, prefix: &str, name: &str, help: &str, kind: &str) {
    let _ = writeln!(out, "# HELP {prefix}_{name} {help}");
    let _ = writeln!(out, "# TYPE {prefix}_{name} {kind}");
}
