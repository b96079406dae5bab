//! ResilientClient breaker and failover rules against real servers, on tokio's paused clock.

use crate::support;

use std::time::Duration;

use metrics_util::debugging::{DebugValue, DebuggingRecorder};
use rpc_resilience::metrics::facade::BREAKER_TRIPS_TOTAL;
use rpc_resilience::{BreakerState, ResilienceConfig, RpcError};
use serde_json::{json, Value};
use support::{client, dead_url, exact_config, hex, Scripted, Step};

fn one_attempt() -> ResilienceConfig {
    ResilienceConfig {
        max_attempts: 1,
        ..exact_config()
    }
}

async fn block_number(c: &rpc_resilience::ResilientClient) -> Result<Value, RpcError> {
    c.call::<Value, _>("eth_blockNumber", json!([])).await
}

#[track_caller]
fn check(c: &rpc_resilience::ResilientClient, index: usize, state: BreakerState, trips: u64) {
    let breaker = c.breaker(index).unwrap();
    assert_eq!(
        (breaker.state(), breaker.trips()),
        (state, trips),
        "endpoint {index}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_breaker_opens_after_five_failures_and_rejects_without_touching_the_server() {
    let server = Scripted::start(vec![Step::Err(-32603, None)]).await;
    let c = client(&[&server.url], one_attempt());
    for _ in 0..5 {
        assert!(block_number(&c).await.is_err());
    }
    check(&c, 0, BreakerState::Open, 1);
    let rejected = block_number(&c).await;
    assert_eq!(
        rejected,
        Err(RpcError::CircuitOpen {
            endpoint: server.url.clone()
        })
    );
    assert_eq!(server.hits(), 5);
    let metrics = c.metrics();
    assert_eq!((metrics.trips, metrics.rejected_by_breaker), (1, 1));
}

#[tokio::test(start_paused = true)]
async fn after_the_recovery_time_three_good_probes_close_it() {
    let server = Scripted::start(vec![Step::Err(-32603, None)]).await;
    let c = client(&[&server.url], one_attempt());
    for _ in 0..5 {
        let _ = block_number(&c).await;
    }
    tokio::time::advance(Duration::from_secs(60)).await;
    check(&c, 0, BreakerState::HalfOpen, 1);
    server.set_script(vec![Step::Ok(hex(1))]);
    for _ in 0..3 {
        assert_eq!(block_number(&c).await, Ok(hex(1)));
    }
    check(&c, 0, BreakerState::Closed, 1);
}

#[tokio::test(start_paused = true)]
async fn a_failed_probe_reopens_it() {
    let server = Scripted::start(vec![Step::Err(-32603, None)]).await;
    let c = client(&[&server.url], one_attempt());
    for _ in 0..5 {
        let _ = block_number(&c).await;
    }
    tokio::time::advance(Duration::from_secs(60)).await;
    assert!(block_number(&c).await.is_err());
    check(&c, 0, BreakerState::Open, 2);
    assert_eq!(server.hits(), 6);
}

#[tokio::test(start_paused = true)]
async fn calls_fail_over_to_the_second_endpoint_when_the_first_is_down() {
    let second = Scripted::start(vec![Step::Ok(hex(9))]).await;
    let c = client(&[&dead_url(), &second.url], exact_config());
    for _ in 0..5 {
        assert_eq!(block_number(&c).await, Ok(hex(9)));
    }
    check(&c, 0, BreakerState::Open, 1);
    assert_eq!(block_number(&c).await, Ok(hex(9)));
    assert_eq!(second.hits(), 6);
}

#[tokio::test(start_paused = true)]
async fn calls_move_back_to_the_first_endpoint_when_it_heals() {
    let first = Scripted::start(vec![Step::Ok(hex(1))]).await;
    let second = Scripted::start(vec![Step::Ok(hex(2))]).await;
    let c = client(&[&first.url, &second.url], exact_config());
    assert_eq!(block_number(&c).await, Ok(hex(1)));
    let first_addr = first.stop().await;
    for _ in 0..5 {
        assert_eq!(block_number(&c).await, Ok(hex(2)));
    }
    check(&c, 0, BreakerState::Open, 1);
    let healed = Scripted::start_at(first_addr, vec![Step::Ok(hex(1))]).await;
    tokio::time::advance(Duration::from_secs(60)).await;
    for _ in 0..4 {
        assert_eq!(block_number(&c).await, Ok(hex(1)));
    }
    check(&c, 0, BreakerState::Closed, 1);
    assert_eq!((healed.hits(), second.hits()), (4, 5));
}

#[tokio::test(start_paused = true)]
async fn a_write_that_timed_out_is_never_sent_to_another_endpoint() {
    let first = Scripted::start(vec![Step::Slow(Duration::from_secs(60), json!("late"))]).await;
    let second = Scripted::start(vec![Step::Ok(json!("ok"))]).await;
    let c = client(&[&first.url, &second.url], exact_config());
    let result = c
        .call::<Value, _>(
            "eth_sendTransaction",
            json!([{"from": "0x01", "value": "0x10"}]),
        )
        .await;
    assert_eq!(
        result,
        Err(RpcError::Timeout {
            after: Duration::from_secs(30)
        })
    );
    assert_eq!((first.hits(), second.hits()), (1, 0));
}

#[tokio::test(start_paused = true)]
async fn when_every_breaker_is_open_the_first_endpoint_is_named() {
    let (a, b) = (dead_url(), dead_url());
    let c = client(
        &[&a, &b],
        ResilienceConfig {
            max_attempts: 1,
            failure_threshold: 1,
            ..exact_config()
        },
    );
    let _ = block_number(&c).await;
    let _ = block_number(&c).await;
    assert_eq!(
        block_number(&c).await,
        Err(RpcError::CircuitOpen {
            endpoint: a.clone()
        })
    );
    let states: Vec<_> = c
        .endpoints()
        .into_iter()
        .map(|e| (e.url, e.breaker, e.trips, e.health))
        .collect();
    assert_eq!(
        states,
        vec![
            (a, BreakerState::Open, 1, None),
            (b, BreakerState::Open, 1, None)
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn each_trip_is_counted_once_by_its_breaker_and_every_view_agrees() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let _local = metrics::set_default_local_recorder(&recorder);
    let (a, b) = (dead_url(), dead_url());
    let c = client(
        &[&a, &b],
        ResilienceConfig {
            max_attempts: 1,
            failure_threshold: 1,
            ..exact_config()
        },
    );
    let _ = block_number(&c).await; // trips a
    let _ = block_number(&c).await; // trips b
    let per_endpoint: Vec<u64> = c.endpoints().into_iter().map(|e| e.trips).collect();
    let facade = snapshotter
        .snapshot()
        .into_vec()
        .into_iter()
        .find_map(|(key, _, _, value)| (key.key().name() == BREAKER_TRIPS_TOTAL).then_some(value));
    let views = (per_endpoint, c.metrics().trips, facade);
    assert_eq!(views, (vec![1, 1], 2, Some(DebugValue::Counter(2))));
}
