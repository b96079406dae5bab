//! Cancel safety: a call dropped mid-flight gives back its concurrency slot and its half-open
//! probe permit.

use crate::support;

use std::time::Duration;

use rpc_resilience::{BreakerState, ResilienceConfig, RpcError};
use serde_json::{json, Value};
use support::{client, exact_config, hex, Scripted, Step};

/// Checks that a call made after the drop got through with `expected`.
#[track_caller]
fn check(next: Result<Result<Value, RpcError>, tokio::time::error::Elapsed>, expected: Value) {
    assert_eq!(next.ok(), Some(Ok(expected)), "the next call got through");
}

#[tokio::test(start_paused = true)]
async fn a_dropped_call_frees_its_concurrency_slot() {
    let server = Scripted::start(vec![
        Step::Slow(Duration::from_secs(3_600), hex(1)),
        Step::Ok(hex(2)),
    ])
    .await;
    let c = client(
        &[&server.url],
        ResilienceConfig {
            max_connections: 1,
            ..exact_config()
        },
    );
    let pending = c.call::<Value, _>("eth_blockNumber", json!([]));
    // Poll it until the request is on the server, then drop it.
    let dropped = tokio::time::timeout(Duration::from_secs(1), pending).await;
    assert!(dropped.is_err(), "still pending when dropped");
    assert_eq!(server.hits(), 1);
    let next = tokio::time::timeout(
        Duration::from_secs(10),
        c.call::<Value, _>("eth_blockNumber", json!([])),
    )
    .await;
    check(next, hex(2)); // the only slot was given back
}

#[tokio::test(start_paused = true)]
async fn a_dropped_probe_gives_its_permit_back() {
    let server = Scripted::start(vec![Step::Err(-32603, None)]).await;
    let config = ResilienceConfig {
        max_attempts: 1,
        half_open_max_calls: 1,
        ..exact_config()
    };
    let c = client(&[&server.url], config);
    for _ in 0..5 {
        let _ = c.call::<Value, _>("eth_blockNumber", json!([])).await;
    }
    tokio::time::advance(Duration::from_secs(60)).await;
    server.set_script(vec![
        Step::Slow(Duration::from_secs(3_600), hex(1)),
        Step::Ok(hex(2)),
    ]);
    let probe = tokio::time::timeout(
        Duration::from_secs(1),
        c.call::<Value, _>("eth_blockNumber", json!([])),
    )
    .await;
    assert!(probe.is_err(), "the probe was pending when dropped");
    assert_eq!(c.breaker(0).unwrap().state(), BreakerState::HalfOpen);
    let next = tokio::time::timeout(
        Duration::from_secs(10),
        c.call::<Value, _>("eth_blockNumber", json!([])),
    )
    .await;
    check(next, hex(2)); // a new probe was admitted, not rejected as CircuitOpen
    assert_eq!(c.breaker(0).unwrap().state(), BreakerState::Closed);
}
