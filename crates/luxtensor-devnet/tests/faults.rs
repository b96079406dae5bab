//! Fault injection, per HTTP request: each kind does what it says, refused
//! requests apply nothing, late answers apply first, and a seed replays the same
//! faults. Timing is checked on tokio's paused clock.

use crate::support;

use std::time::Duration;

use luxtensor_devnet::FaultConfig;
use serde_json::{json, Value};
use support::{addr, start, Reply, Rpc};
use tokio::time::Instant;

fn mint_request(key: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "luxtensor_mint", "params": [addr(1), "0x1", key]})
}

/// Checks a refused answer: its HTTP status, its JSON-RPC error code and `Retry-After`.
#[track_caller]
fn check(reply: &Reply, status: u16, code: i64, retry_after: Option<&str>) {
    assert_eq!(reply.status, status, "{:?}", reply.body);
    assert_eq!(
        reply.body["error"]["code"].as_i64(),
        Some(code),
        "{:?}",
        reply.body
    );
    assert_eq!(reply.retry_after.as_deref(), retry_after);
}

/// Asserts over HTTP (faults off) that the mint under `key` was not applied.
async fn assert_not_applied(devnet: &luxtensor_devnet::DevnetHandle, rpc: &Rpc, key: &str) {
    devnet.set_faults(FaultConfig::default());
    assert_eq!(
        rpc.ok("luxtensor_getTransfer", json!([key])).await,
        Value::Null
    );
    assert_eq!(rpc.total_supply().await, 0);
}

#[tokio::test]
async fn an_error_fault_answers_500_with_an_internal_error_and_applies_nothing() {
    let (devnet, rpc) = start(|c| c.faults.error_rate = 1.0).await;
    let reply = rpc.post(&mint_request("e-1")).await.expect("an answer");
    check(&reply, 500, -32603, None);
    assert_not_applied(&devnet, &rpc, "e-1").await;
}

#[tokio::test]
async fn a_drop_fault_closes_the_connection_and_applies_nothing() {
    let (devnet, rpc) = start(|c| c.faults.drop_rate = 1.0).await;
    let outcome = rpc.post(&mint_request("d-1")).await;
    assert!(
        outcome.is_err(),
        "expected a closed connection, got {outcome:?}"
    );
    assert_not_applied(&devnet, &rpc, "d-1").await;
}

#[tokio::test]
async fn a_429_fault_says_retry_after_and_applies_nothing() {
    let (devnet, rpc) = start(|c| c.faults.rate_limit_rate = 1.0).await;
    let reply = rpc.post(&mint_request("r-1")).await.expect("an answer");
    check(&reply, 429, -32005, Some("1"));
    assert_eq!(reply.body["error"]["data"]["retry_after_ms"], json!(1000));
    assert_not_applied(&devnet, &rpc, "r-1").await;
}

#[tokio::test]
async fn a_503_fault_says_retry_after_and_applies_nothing() {
    let (devnet, rpc) = start(|c| {
        c.faults.unavailable_rate = 1.0;
        c.faults.retry_after = Duration::from_millis(2500);
    })
    .await;
    let reply = rpc.post(&mint_request("u-1")).await.expect("an answer");
    check(&reply, 503, -32005, Some("3"));
    assert_not_applied(&devnet, &rpc, "u-1").await;
}

#[tokio::test(start_paused = true)]
async fn a_late_fault_applies_first_and_answers_after_late_ms() {
    let (devnet, rpc) = start(|c| {
        c.faults.late_rate = 1.0;
        c.faults.late = Duration::from_millis(5000);
    })
    .await;
    let started = Instant::now();
    let write = tokio::spawn({
        let rpc = rpc.clone();
        async move { rpc.post(&mint_request("l-1")).await }
    });
    // Wait (on the paused clock) until the write has committed, then stop faults
    // so the check below is answered at once.
    while devnet.ledger().get_write("l-1").ok().flatten().is_none() {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    devnet.set_faults(FaultConfig::default());
    let found = rpc.ok("luxtensor_getTransfer", json!(["l-1"])).await;
    assert_eq!(found["status"], json!("applied"));
    assert!(
        !write.is_finished(),
        "the late answer arrived before the check"
    );
    let reply = write.await.expect("task ends").expect("an answer");
    assert_eq!(reply.body["result"]["blockNumber"], json!("0x1"));
    assert!(started.elapsed() >= Duration::from_millis(5000));
    assert_eq!(rpc.total_supply().await, 1);
}

#[tokio::test(start_paused = true)]
async fn latency_delays_every_answer() {
    let (_devnet, rpc) = start(|c| c.faults.latency = Duration::from_millis(300)).await;
    let started = Instant::now();
    rpc.ok("eth_blockNumber", json!([])).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn with_a_seeded_rate_only_the_answered_writes_are_applied() {
    let (devnet, rpc) = start(|c| {
        c.faults.seed = 42;
        c.faults.error_rate = 0.5;
    })
    .await;
    let mut answered = 0u128;
    for n in 0..40 {
        let reply = rpc
            .post(&mint_request(&format!("s-{n}")))
            .await
            .expect("an answer");
        if reply.status == 200 {
            answered += 1;
        }
    }
    assert!(answered > 0 && answered < 40, "answered {answered} of 40");
    devnet.set_faults(FaultConfig::default());
    assert_eq!(rpc.total_supply().await, answered);
}

async fn statuses(rpc: &Rpc, n: usize) -> Vec<u16> {
    let mut out = Vec::new();
    for _ in 0..n {
        let request = json!({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []});
        out.push(rpc.post(&request).await.map_or(0, |reply| reply.status));
    }
    out
}

#[tokio::test]
async fn the_same_seed_replays_the_same_faults() {
    let faults = FaultConfig {
        seed: 7,
        error_rate: 0.3,
        rate_limit_rate: 0.2,
        unavailable_rate: 0.2,
        drop_rate: 0.1,
        ..FaultConfig::default()
    };
    let (devnet, rpc) = start(|c| c.faults = faults).await;
    let first = statuses(&rpc, 30).await;
    devnet.set_faults(faults);
    assert_eq!(statuses(&rpc, 30).await, first);
    devnet.set_faults(FaultConfig { seed: 8, ..faults });
    assert_ne!(statuses(&rpc, 30).await, first);
}

#[tokio::test]
async fn faults_can_be_turned_off_while_running() {
    let (devnet, rpc) = start(|c| c.faults.error_rate = 1.0).await;
    assert_eq!(
        rpc.post(&mint_request("x"))
            .await
            .expect("an answer")
            .status,
        500
    );
    devnet.set_faults(FaultConfig::default());
    rpc.mint(&addr(1), 1, None).await;
    assert_eq!(devnet.faults(), FaultConfig::default());
}

#[tokio::test]
async fn a_batch_is_one_request_for_faults() {
    let (devnet, rpc) = start(|c| c.faults.error_rate = 1.0).await;
    let batch = json!([
        {"jsonrpc": "2.0", "id": 1, "method": "luxtensor_mint", "params": [addr(1), "0x1"]},
        {"jsonrpc": "2.0", "id": 2, "method": "luxtensor_mint", "params": [addr(2), "0x1"]},
    ]);
    let reply = rpc.post(&batch).await.expect("an answer");
    assert_eq!(reply.status, 500);
    devnet.set_faults(FaultConfig::default());
    assert_eq!(rpc.total_supply().await, 0);
}
