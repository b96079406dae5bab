//! Luxtensor's retry rules (feature `client`): keyed writes and reads are replay-safe, the
//! protocol's final codes are final, its rate limit waits the delay in the error data.
#![cfg(feature = "client")]

use std::time::Duration;

use luxtensor_protocol::{classifier, code, is_final, policy};
use rpc_resilience::{IdempotencyPolicy, RetryClassifier, RetryDecision, RpcError};
use serde_json::{json, Value};

#[track_caller]
fn check_replay_safe(method: &str, params: Option<Value>, expected: bool) {
    let text = params.map(|p| p.to_string());
    assert_eq!(
        policy().is_idempotent(method, text.as_deref()),
        expected,
        "{method} {text:?}"
    );
}

#[test]
fn reads_are_replay_safe() {
    check_replay_safe("luxtensor_totalSupply", None, true);
    check_replay_safe("luxtensor_getTransfer", Some(json!(["mint:1"])), true);
    check_replay_safe("eth_getBalance", Some(json!(["0x01", "latest"])), true);
    check_replay_safe("eth_blockNumber", None, true);
}

#[test]
fn writes_are_replay_safe_only_with_an_idempotency_key() {
    let (to, from) = ("0x01", "0x02");
    check_replay_safe("luxtensor_mint", Some(json!([to, "0x10", "mint:1"])), true);
    check_replay_safe("luxtensor_mint", Some(json!([to, "0x10"])), false);
    check_replay_safe("luxtensor_mint", Some(json!([to, "0x10", null])), false);
    check_replay_safe("luxtensor_mint", None, false);
    let keyed = json!([from, to, "0x10", "transfer:1:0"]);
    check_replay_safe("luxtensor_transfer", Some(keyed), true);
    check_replay_safe("luxtensor_transfer", Some(json!([from, to, "0x10"])), false);
    // The key goes last: a string in another position is not one.
    check_replay_safe(
        "luxtensor_transfer",
        Some(json!([from, to, "0x10", 5])),
        false,
    );
    check_replay_safe(
        "luxtensor_transfer",
        Some(json!({"idempotencyKey": "k"})),
        false,
    );
    check_replay_safe("luxtensor_transfer", Some(json!("garbage")), false);
}

#[test]
fn other_writes_are_never_replay_safe() {
    check_replay_safe("eth_sendTransaction", Some(json!([{}])), false);
    check_replay_safe("luxtensor_burn", Some(json!(["0x01", "0x10", "k"])), false);
}

fn rpc(code: i32, data: Option<Value>) -> RpcError {
    RpcError::Rpc {
        code,
        message: String::new(),
        data,
    }
}

#[track_caller]
fn check_classified(error: RpcError, decision: RetryDecision, may_have_run: bool) {
    let c = classifier();
    let got = (c.classify(&error), c.may_have_reached_server(&error));
    assert_eq!(got, (decision, may_have_run), "{error:?}");
    assert_eq!(is_final(&error), decision == RetryDecision::DoNotRetry);
}

#[test]
fn the_protocols_refusals_are_final() {
    for code in [-32001, -32002, -32003, -32004, -32010, -32602] {
        check_classified(rpc(code, None), RetryDecision::DoNotRetry, true);
    }
    check_classified(rpc(code::INTERNAL_ERROR, None), RetryDecision::Retry, true);
}

#[test]
fn a_rate_limit_waits_the_delay_in_its_data_and_applied_nothing() {
    let asked = Some(json!({"retry_after_ms": 1_500}));
    let wait = |ms: Option<u64>| RetryDecision::RateLimited {
        retry_after: ms.map(Duration::from_millis),
    };
    check_classified(rpc(-32005, asked), wait(Some(1_500)), false);
    check_classified(rpc(-32005, None), wait(None), false);
}
