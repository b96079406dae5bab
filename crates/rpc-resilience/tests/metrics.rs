//! Metrics rules: counters, percentiles, snapshot JSON and valid Prometheus text.

mod support;

use std::time::Duration;

use rpc_resilience::metrics::LatencyHistogram;
use rpc_resilience::{BreakerConfig, CircuitBreaker, Metrics, ResilienceConfig, RpcError};
use serde_json::{json, Value};
use support::{client, exact_config, hex, Scripted, Step};

#[track_caller]
fn check_close(got: f64, want: f64) {
    assert!(
        (got - want).abs() <= want * 0.5,
        "{got} not within 50% of {want}"
    );
}

#[test]
fn percentiles_follow_the_recorded_latencies() {
    let h = LatencyHistogram::default();
    for ms in 1..=100u64 {
        h.record(Duration::from_millis(ms));
    }
    let s = h.summary();
    assert_eq!(s.count, 100);
    check_close(s.p50_ms, 50.0);
    check_close(s.p90_ms, 90.0);
    check_close(s.p99_ms, 99.0);
    check_close(s.mean_ms, 50.5);
    assert!(s.p50_ms <= s.p90_ms && s.p90_ms <= s.p99_ms);
}

#[test]
fn an_empty_histogram_reports_zeros() {
    let s = LatencyHistogram::default().summary();
    assert_eq!((s.count, s.p50_ms, s.p99_ms, s.mean_ms), (0, 0.0, 0.0, 0.0));
}

#[test]
fn latencies_beyond_the_last_bucket_are_counted() {
    let h = LatencyHistogram::default();
    h.record(Duration::from_secs(3_600));
    assert_eq!(h.bucket_counts().last(), Some(&1));
    assert!(h.quantile(0.5) > Duration::from_secs(60));
}

#[tokio::test(start_paused = true)]
async fn the_client_counts_requests_successes_failures_and_retries() {
    let server = Scripted::start(vec![
        Step::Err(-32603, None),
        Step::Ok(hex(1)),
        Step::Err(-32602, None),
    ])
    .await;
    let c = client(&[&server.url], exact_config());
    assert!(c
        .call::<Value, _>("eth_blockNumber", json!([]))
        .await
        .is_ok());
    assert!(c
        .call::<Value, _>("eth_blockNumber", json!([]))
        .await
        .is_err());
    let m = c.metrics();
    assert_eq!(
        (m.requests, m.successes, m.failures, m.retries),
        (2, 1, 1, 1)
    );
    assert_eq!(m.success_rate, 0.5);
    assert_eq!(m.latency.count, 2);
    let last = m.last_error.expect("a last error");
    assert_eq!(
        last.message,
        RpcError::Rpc {
            code: -32602,
            message: "scripted error".into(),
            data: None
        }
        .to_string()
    );
    assert!(last.at_unix_ms > 0);
}

#[test]
fn the_snapshot_serialises_to_json() {
    let m = Metrics::new();
    m.record_request();
    m.record_success(Duration::from_millis(3));
    let json = serde_json::to_value(m.snapshot()).unwrap();
    assert_eq!(json["requests"], 1);
    assert_eq!(json["success_rate"], 1.0);
    assert_eq!(json["latency"]["count"], 1);
    let back: rpc_resilience::MetricsSnapshot = serde_json::from_value(json).unwrap();
    assert_eq!(back.successes, 1);
}

/// Checks the text exposition format: HELP/TYPE before samples, valid names and values,
/// cumulative buckets ending in +Inf equal to _count.
#[track_caller]
fn check_exposition(text: &str) {
    let mut typed = std::collections::HashMap::new();
    let mut last_bucket = 0f64;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap();
            assert!(["counter", "gauge", "histogram"].contains(&kind), "{line}");
            typed.insert(name.to_owned(), kind.to_owned());
            continue;
        }
        if line.starts_with("# HELP ") {
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap();
        let name = series.split('{').next().unwrap();
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "{line}"
        );
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|s| name.strip_suffix(s))
            .filter(|f| typed.get(*f).is_some_and(|k| k == "histogram"));
        assert!(
            typed.contains_key(family.unwrap_or(name)),
            "sample before its TYPE: {line}"
        );
        let value: f64 = if value == "+Inf" {
            f64::INFINITY
        } else {
            value
                .parse()
                .unwrap_or_else(|_| panic!("bad value in {line}"))
        };
        if name.ends_with("_bucket") {
            assert!(value >= last_bucket, "buckets must be cumulative: {line}");
            last_bucket = value;
        }
        if name.ends_with("_count") {
            assert_eq!(value, last_bucket, "+Inf bucket equals _count");
        }
    }
    assert!(text.contains("le=\"+Inf\""));
}

#[tokio::test(start_paused = true)]
async fn the_prometheus_text_is_valid_exposition_format() {
    let server = Scripted::start(vec![Step::Err(-32603, None)]).await;
    let c = client(
        &[&server.url],
        ResilienceConfig {
            max_attempts: 2,
            ..exact_config()
        },
    );
    let _ = c.call::<Value, _>("eth_blockNumber", json!([])).await;
    let text = c.prometheus();
    check_exposition(&text);
    assert!(text.contains("rpc_requests_total 1\n"), "{text}");
    assert!(text.contains("rpc_retries_total 1\n"), "{text}");
    assert!(text.contains("rpc_failures_total 1\n"), "{text}");
    assert!(text.contains("rpc_last_error_timestamp_seconds "), "{text}");
    assert!(
        text.contains("rpc_request_duration_seconds_count 1\n"),
        "{text}"
    );
}

#[test]
fn every_counter_is_exposed() {
    let m = Metrics::new();
    m.record_breaker_rejection();
    m.record_budget_rejection();
    let breaker = std::sync::Arc::new(CircuitBreaker::new(BreakerConfig {
        failure_threshold: 1,
        ..BreakerConfig::default()
    }));
    m.watch_breaker(std::sync::Arc::clone(&breaker));
    breaker.record_failure();
    let text = m.to_prometheus("x");
    check_exposition(&text);
    for line in [
        "x_rejected_by_breaker_total 1",
        "x_rejected_by_budget_total 1",
        "x_breaker_trips_total 1",
        "x_success_rate 1",
    ] {
        assert!(text.contains(line), "{line} missing in {text}");
    }
}
