//! Idempotency keys: a replay answers the first result and changes nothing; the
//! same key with other params (or another method) is a -32003 conflict.

use crate::support;

use serde_json::{json, Value};
use support::{addr, start, Rpc};

/// Ledger state seen over HTTP: (block number, total supply, balances of addr(1..=2)).
async fn state(rpc: &Rpc) -> (u128, u128, u128, u128) {
    (
        rpc.block_number().await,
        rpc.total_supply().await,
        rpc.balance(&addr(1)).await,
        rpc.balance(&addr(2)).await,
    )
}

/// Checks that an error is an idempotency conflict naming the key.
#[track_caller]
fn check_conflict(error: &Value, key: &str) {
    assert_eq!(error["code"].as_i64(), Some(-32003), "error: {error}");
    assert!(
        error["message"].as_str().unwrap_or_default().contains(key),
        "{error}"
    );
}

#[tokio::test]
async fn a_replayed_mint_returns_the_first_receipt_and_changes_nothing() {
    let (_devnet, rpc) = start(|_| {}).await;
    let first = rpc.mint(&addr(1), 100, Some("m-1")).await;
    let before = state(&rpc).await;
    let again = rpc.mint(&addr(1), 100, Some("m-1")).await;
    assert_eq!(again, first);
    assert_eq!(state(&rpc).await, before);
}

#[tokio::test]
async fn a_replayed_transfer_returns_the_first_receipt_and_changes_nothing() {
    let (_devnet, rpc) = start(|_| {}).await;
    rpc.mint(&addr(1), 100, None).await;
    let params = json!([addr(1), addr(2), "0x5", "t-1"]);
    let first = rpc.ok("luxtensor_transfer", params.clone()).await;
    let before = state(&rpc).await;
    let again = rpc.ok("luxtensor_transfer", params).await;
    assert_eq!(again, first);
    assert_eq!(state(&rpc).await, before);
}

#[tokio::test]
async fn a_replay_with_another_amount_is_a_conflict() {
    let (_devnet, rpc) = start(|_| {}).await;
    rpc.mint(&addr(1), 100, None).await;
    rpc.ok(
        "luxtensor_transfer",
        json!([addr(1), addr(2), "0x5", "t-1"]),
    )
    .await;
    let before = state(&rpc).await;
    let error = rpc
        .err(
            "luxtensor_transfer",
            json!([addr(1), addr(2), "0x6", "t-1"]),
        )
        .await;
    check_conflict(&error, "t-1");
    assert_eq!(state(&rpc).await, before);
}

#[tokio::test]
async fn a_replay_with_another_recipient_is_a_conflict() {
    let (_devnet, rpc) = start(|_| {}).await;
    rpc.mint(&addr(1), 100, Some("m-1")).await;
    check_conflict(
        &rpc.err("luxtensor_mint", json!([addr(2), "0x64", "m-1"]))
            .await,
        "m-1",
    );
}

#[tokio::test]
async fn mint_and_transfer_share_one_key_namespace() {
    let (_devnet, rpc) = start(|_| {}).await;
    rpc.mint(&addr(1), 100, Some("shared")).await;
    let error = rpc
        .err(
            "luxtensor_transfer",
            json!([addr(1), addr(2), "0x64", "shared"]),
        )
        .await;
    check_conflict(&error, "shared");
    assert_eq!(rpc.balance(&addr(2)).await, 0);
}

#[tokio::test]
async fn a_failed_write_does_not_claim_its_key() {
    let (_devnet, rpc) = start(|_| {}).await;
    rpc.err(
        "luxtensor_transfer",
        json!([addr(1), addr(2), "0x5", "retry-me"]),
    )
    .await;
    assert_eq!(
        rpc.ok("luxtensor_getTransfer", json!(["retry-me"])).await,
        Value::Null
    );
    rpc.mint(&addr(1), 5, None).await;
    rpc.ok(
        "luxtensor_transfer",
        json!([addr(1), addr(2), "0x5", "retry-me"]),
    )
    .await;
    assert_eq!(rpc.balance(&addr(2)).await, 5);
}

#[tokio::test]
async fn a_replay_inside_one_batch_applies_once() {
    let (_devnet, rpc) = start(|_| {}).await;
    let responses = rpc
        .batch(&[
            ("luxtensor_mint", json!([addr(1), "0x64", "b-1"])),
            ("luxtensor_mint", json!([addr(1), "0x64", "b-1"])),
        ])
        .await;
    assert_eq!(responses[0]["result"], responses[1]["result"]);
    assert_eq!(rpc.total_supply().await, 100);
}

#[tokio::test]
async fn an_empty_key_is_invalid_params() {
    let (_devnet, rpc) = start(|_| {}).await;
    let error = rpc.err("luxtensor_mint", json!([addr(1), "0x1", ""])).await;
    assert_eq!(error["code"].as_i64(), Some(-32602));
    assert!(error["message"]
        .as_str()
        .unwrap_or_default()
        .contains("idempotencyKey"));
}

#[tokio::test]
async fn a_mint_replayed_with_another_memo_is_a_conflict() {
    let (_devnet, rpc) = start(|_| {}).await;
    rpc.ok("luxtensor_mint", json!([addr(1), "0x64", "m-1", "plan=a"]))
        .await;
    let before = state(&rpc).await;
    check_conflict(
        &rpc.err("luxtensor_mint", json!([addr(1), "0x64", "m-1", "plan=b"]))
            .await,
        "m-1",
    );
    check_conflict(
        &rpc.err("luxtensor_mint", json!([addr(1), "0x64", "m-1"]))
            .await,
        "m-1",
    );
    assert_eq!(state(&rpc).await, before);
}

#[tokio::test]
async fn a_mint_replayed_with_the_same_memo_returns_the_first_receipt() {
    let (_devnet, rpc) = start(|_| {}).await;
    let params = json!([addr(1), "0x64", "m-1", "plan=a"]);
    let first = rpc.ok("luxtensor_mint", params.clone()).await;
    let before = state(&rpc).await;
    assert_eq!(rpc.ok("luxtensor_mint", params).await, first);
    assert_eq!(state(&rpc).await, before);
}

#[tokio::test]
async fn get_transfer_returns_the_memo_a_mint_was_given() {
    let (_devnet, rpc) = start(|_| {}).await;
    rpc.ok("luxtensor_mint", json!([addr(1), "0x0", "m-0", "plan=a"]))
        .await;
    let record = rpc.ok("luxtensor_getTransfer", json!(["m-0"])).await;
    assert_eq!(record["memo"], json!("plan=a"));
    assert_eq!(record["amount"], json!("0x0"));
    assert_eq!(record["kind"], json!("mint"));
    let plain = {
        rpc.mint(&addr(1), 5, Some("m-1")).await;
        rpc.ok("luxtensor_getTransfer", json!(["m-1"])).await
    };
    assert_eq!(plain["memo"], Value::Null);
}

#[tokio::test]
async fn a_memo_that_is_not_printable_ascii_is_refused_naming_it() {
    let (_devnet, rpc) = start(|_| {}).await;
    let error = rpc
        .err(
            "luxtensor_mint",
            json!([addr(1), "0x1", "m-1", "plan\u{7}"]),
        )
        .await;
    assert_eq!(error["code"].as_i64(), Some(-32602), "{error}");
    assert!(error["message"]
        .as_str()
        .unwrap_or_default()
        .contains("memo"));
}
