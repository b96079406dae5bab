//! Health monitor rules: stalled heads, unreachable nodes, breaker feeding, no leaked task.

use crate::support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rpc_resilience::{
    BreakerState, CircuitBreaker, HealthConfig, HealthMonitor, HealthProbe, HealthStatus, RpcError,
};
use support::{hex, Scripted, Step};

/// A monitor whose probe answers `heads` in turn (an `Err` for `None`), repeating the last.
fn monitor(heads: Vec<Option<u64>>, breaker: Option<Arc<CircuitBreaker>>) -> HealthMonitor {
    let calls = Arc::new(AtomicU64::new(0));
    let probe = move || {
        let n = calls.fetch_add(1, Ordering::SeqCst) as usize;
        let head = heads.get(n).or(heads.last()).copied().flatten();
        async move {
            head.ok_or(RpcError::Connect {
                endpoint: "node".into(),
                reason: "refused".into(),
            })
        }
    };
    HealthMonitor::spawn(HealthConfig::default(), probe, breaker)
}

/// The status after each of `probes` probes (one every 30 s).
async fn statuses(monitor: &HealthMonitor, probes: usize) -> Vec<HealthStatus> {
    let mut seen = Vec::new();
    for _ in 0..probes {
        tokio::time::sleep(Duration::from_millis(1)).await;
        seen.push(monitor.status());
        tokio::time::sleep(Duration::from_millis(29_999)).await;
    }
    seen
}

/// Checks the status seen after each probe.
#[track_caller]
fn check(seen: Vec<HealthStatus>, expected: Vec<HealthStatus>) {
    assert_eq!(seen, expected, "status after each probe");
}

#[tokio::test(start_paused = true)]
async fn a_head_that_stops_advancing_for_three_probes_is_stalled() {
    let m = monitor(
        vec![Some(1), Some(2), Some(2), Some(2), Some(2), Some(3)],
        None,
    );
    use HealthStatus::*;
    let expected = vec![
        Healthy { head: 1 },
        Healthy { head: 2 },
        Healthy { head: 2 },
        Healthy { head: 2 },
        Stalled { head: 2, probes: 3 },
        Healthy { head: 3 },
    ];
    check(statuses(&m, 6).await, expected);
}

#[tokio::test(start_paused = true)]
async fn a_failing_probe_marks_it_unreachable_and_opens_the_breaker() {
    let breaker = Arc::new(CircuitBreaker::default());
    let m = monitor(vec![None], Some(Arc::clone(&breaker)));
    let seen = statuses(&m, 5).await;
    assert!(seen
        .iter()
        .all(|s| matches!(s, HealthStatus::Unreachable { .. }) && !s.is_healthy()));
    assert_eq!(breaker.state(), BreakerState::Open);
}

#[tokio::test(start_paused = true)]
async fn a_probe_slower_than_its_timeout_fails() {
    let probe = || async {
        tokio::time::sleep(Duration::from_secs(10)).await;
        Ok(1)
    };
    let m = HealthMonitor::spawn(HealthConfig::default(), probe, None);
    assert_eq!(m.status(), HealthStatus::Unknown);
    let mut changes = m.subscribe();
    changes.changed().await.unwrap();
    let timeout = RpcError::Timeout {
        after: Duration::from_secs(5),
    };
    assert_eq!(
        *changes.borrow(),
        HealthStatus::Unreachable {
            error: timeout.to_string()
        }
    );
}

#[tokio::test(start_paused = true)]
async fn dropping_the_monitor_stops_its_task() {
    let owned_by_probe = Arc::new(Mutex::new(0u32));
    let counter = Arc::clone(&owned_by_probe);
    let probe = move || {
        *counter.lock().unwrap() += 1;
        async { Ok(1) }
    };
    let m = HealthMonitor::spawn(HealthConfig::default(), probe, None);
    tokio::time::sleep(Duration::from_secs(61)).await;
    assert_eq!(*owned_by_probe.lock().unwrap(), 3);
    drop(m);
    tokio::time::sleep(Duration::from_secs(300)).await;
    assert_eq!(
        *owned_by_probe.lock().unwrap(),
        3,
        "no probe after the drop"
    );
    assert_eq!(
        Arc::strong_count(&owned_by_probe),
        1,
        "the task and its probe are gone"
    );
}

#[tokio::test(start_paused = true)]
async fn the_client_health_monitor_probes_eth_block_number_and_sees_a_stall() {
    let server = Scripted::start(vec![Step::Ok(hex(5))]).await;
    let c = rpc_resilience::ResilientClient::builder()
        .endpoint(&server.url)
        .health_monitor(true)
        .build()
        .unwrap();
    tokio::time::sleep(Duration::from_secs(90) + Duration::from_millis(1)).await;
    let health = c.endpoints().remove(0).health;
    assert_eq!(health, Some(HealthStatus::Stalled { head: 5, probes: 3 }));
    assert_eq!(server.hits(), 4);
    drop(c);
    tokio::time::sleep(Duration::from_secs(300)).await;
    assert_eq!(server.hits(), 4, "the monitor stopped with the client");
}

#[tokio::test(start_paused = true)]
async fn the_health_probe_method_and_params_are_configurable() {
    let server = Scripted::start(vec![Step::Ok(hex(5))]).await;
    let c = rpc_resilience::ResilientClient::builder()
        .endpoint(&server.url)
        .health_monitor(true)
        .health_probe(HealthProbe::new("flaky", serde_json::json!([42, 0])))
        .build()
        .unwrap();
    tokio::time::sleep(Duration::from_secs(30) + Duration::from_millis(1)).await;
    let health = c.endpoints().remove(0).health;
    let calls = (server.flaky_hits(42), server.hits());
    assert_eq!(
        (health, calls),
        (Some(HealthStatus::Healthy { head: 42 }), (2, 0)),
        "two probes of `flaky` [42, 0], none of eth_blockNumber"
    );
}

#[tokio::test(start_paused = true)]
async fn a_probe_answer_that_is_not_a_head_number_marks_it_unreachable() {
    let server = Scripted::start(vec![Step::Ok(serde_json::json!("not a head"))]).await;
    let c = rpc_resilience::ResilientClient::builder()
        .endpoint(&server.url)
        .health_monitor(true)
        .build()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1)).await;
    let health = c.endpoints().remove(0).health;
    assert!(
        matches!(&health, Some(HealthStatus::Unreachable { error }) if error.contains("not a head number")),
        "{health:?}"
    );
}

#[test]
fn the_client_health_monitor_needs_a_runtime() {
    let built = rpc_resilience::ResilientClient::builder()
        .endpoint("http://127.0.0.1:1")
        .health_monitor(true)
        .build();
    assert!(matches!(built, Err(RpcError::InvalidRequest { .. })));
}
