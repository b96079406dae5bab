//! Metrics rules: counters, percentiles, snapshot JSON and the same through the `metrics` facade.

use crate::support;

use std::time::Duration;

use std::collections::HashMap;

use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};
use rpc_resilience::metrics::{facade, LatencyHistogram};
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

/// What the debugging recorder holds: counters and gauges by name, histogram sample counts.
fn recorded(snapshotter: &Snapshotter) -> HashMap<String, f64> {
    snapshotter
        .snapshot()
        .into_vec()
        .into_iter()
        .map(|(key, _, _, value)| {
            let value = match value {
                DebugValue::Counter(v) => v as f64,
                DebugValue::Gauge(v) => v.into_inner(),
                DebugValue::Histogram(samples) => samples.len() as f64,
            };
            (key.key().name().to_owned(), value)
        })
        .collect()
}

/// Each expected series holds its value (one snapshot: taking one resets the recorder's values).
#[track_caller]
fn check_recorded(snapshotter: &Snapshotter, expected: &[(&str, f64)]) -> HashMap<String, f64> {
    let got = recorded(snapshotter);
    for (name, value) in expected {
        assert_eq!(got.get(*name), Some(value), "{name} in {got:?}");
    }
    got
}

#[tokio::test(start_paused = true)]
async fn the_client_emits_its_counters_through_the_metrics_facade() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let _local = metrics::set_default_local_recorder(&recorder);
    let server = Scripted::start(vec![Step::Err(-32603, None)]).await;
    let c = client(
        &[&server.url],
        ResilienceConfig {
            max_attempts: 2,
            ..exact_config()
        },
    );
    let _ = c.call::<Value, _>("eth_blockNumber", json!([])).await;
    let got = check_recorded(
        &snapshotter,
        &[
            (facade::REQUESTS_TOTAL, 1.0),
            (facade::RETRIES_TOTAL, 1.0),
            (facade::FAILURES_TOTAL, 1.0),
            (facade::SUCCESS_RATE, 0.0),
            (facade::REQUEST_DURATION_SECONDS, 1.0),
        ],
    );
    assert!(got[facade::LAST_ERROR_TIMESTAMP_SECONDS] > 0.0, "{got:?}");
}

#[test]
fn every_counter_is_described_and_emitted() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    metrics::with_local_recorder(&recorder, || {
        facade::describe();
        let m = Metrics::new();
        m.record_breaker_rejection();
        m.record_budget_rejection();
        let breaker = std::sync::Arc::new(CircuitBreaker::new(BreakerConfig {
            failure_threshold: 1,
            ..BreakerConfig::default()
        }));
        m.watch_breaker(std::sync::Arc::clone(&breaker));
        breaker.record_failure();
    });
    check_recorded(
        &snapshotter,
        &[
            (facade::REJECTED_BY_BREAKER_TOTAL, 1.0),
            (facade::REJECTED_BY_BUDGET_TOTAL, 1.0),
            (facade::BREAKER_TRIPS_TOTAL, 1.0),
            (facade::REQUESTS_TOTAL, 0.0),
            (facade::SUCCESSES_TOTAL, 0.0),
        ],
    );
}

#[test]
fn the_duration_buckets_are_the_histograms_own() {
    let buckets = facade::request_duration_buckets();
    assert_eq!(buckets.len(), rpc_resilience::metrics::histogram::BUCKETS);
    assert!(buckets.windows(2).all(|w| w[0] < w[1]), "{buckets:?}");
    assert_eq!(buckets[0], 50e-6);
}
