//! Each method of the wire protocol and each error code, over real HTTP.
//!
//! One rule per test; every answer is read from a devnet on 127.0.0.1.

use crate::support;

use serde_json::{json, Value};
use support::{addr, hex, quantity, start};

/// Checks a JSON-RPC error: its code, and a piece of its message.
#[track_caller]
fn check(error: &Value, code: i64, mentions: &str) {
    assert_eq!(error["code"].as_i64(), Some(code), "error: {error}");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(mentions),
        "{message:?} should mention {mentions:?}"
    );
}

#[tokio::test]
async fn chain_id_is_the_configured_one_in_hex() {
    let (_devnet, rpc) = start(|c| c.chain_id = 1000).await;
    assert_eq!(rpc.ok("eth_chainId", json!([])).await, json!("0x3e8"));
}

#[tokio::test]
async fn a_fresh_ledger_is_at_block_zero_with_no_supply() {
    let (_devnet, rpc) = start(|_| {}).await;
    assert_eq!(rpc.ok("eth_blockNumber", json!([])).await, json!("0x0"));
    assert_eq!(
        rpc.ok("luxtensor_totalSupply", json!([])).await,
        json!("0x0")
    );
    assert_eq!(rpc.balance(&addr(1)).await, 0);
}

#[tokio::test]
async fn mint_credits_the_recipient_raises_supply_and_advances_the_block() {
    let (_devnet, rpc) = start(|_| {}).await;
    let result = rpc.mint(&addr(1), 1000, None).await;
    assert_eq!(result["blockNumber"], json!("0x1"));
    assert!(result["txHash"]
        .as_str()
        .is_some_and(|h| h.len() == 66 && h.starts_with("0x")));
    assert_eq!(rpc.balance(&addr(1)).await, 1000);
    assert_eq!(rpc.total_supply().await, 1000);
    assert_eq!(rpc.block_number().await, 1);
}

#[tokio::test]
async fn transfer_moves_balance_and_keeps_supply() {
    let (_devnet, rpc) = start(|_| {}).await;
    rpc.mint(&addr(1), 1000, None).await;
    let result = rpc
        .ok("luxtensor_transfer", json!([addr(1), addr(2), "0x64"]))
        .await;
    assert_eq!(result["blockNumber"], json!("0x2"));
    assert_eq!(rpc.balance(&addr(1)).await, 900);
    assert_eq!(rpc.balance(&addr(2)).await, 100);
    assert_eq!(rpc.total_supply().await, 1000);
}

#[tokio::test]
async fn addresses_are_case_insensitive() {
    let (_devnet, rpc) = start(|_| {}).await;
    rpc.mint("0x00000000000000000000000000000000000000AB", 5, None)
        .await;
    assert_eq!(
        rpc.balance("0x00000000000000000000000000000000000000ab")
            .await,
        5
    );
}

#[tokio::test]
async fn get_balance_accepts_any_block_tag_and_none() {
    let (_devnet, rpc) = start(|_| {}).await;
    rpc.mint(&addr(1), 7, None).await;
    for params in [
        json!([addr(1), "latest"]),
        json!([addr(1), "pending"]),
        json!([addr(1)]),
    ] {
        assert_eq!(quantity(&rpc.ok("eth_getBalance", params).await), 7);
    }
}

#[tokio::test]
async fn get_transfer_reports_an_applied_write_with_its_receipt() {
    let (_devnet, rpc) = start(|_| {}).await;
    rpc.mint(&addr(1), 1000, None).await;
    let receipt = rpc
        .ok(
            "luxtensor_transfer",
            json!([addr(1), addr(2), "0xa", "pay-1"]),
        )
        .await;
    let found = rpc.ok("luxtensor_getTransfer", json!(["pay-1"])).await;
    assert_eq!(found["status"], json!("applied"));
    assert_eq!(found["txHash"], receipt["txHash"]);
    assert_eq!(found["blockNumber"], receipt["blockNumber"]);
    assert_eq!(found["from"], json!(addr(1)));
    assert_eq!(found["to"], json!(addr(2)));
    assert_eq!(found["amount"], json!("0xa"));
}

#[tokio::test]
async fn get_transfer_of_an_unknown_key_is_null() {
    let (_devnet, rpc) = start(|_| {}).await;
    assert_eq!(
        rpc.ok("luxtensor_getTransfer", json!(["nope"])).await,
        Value::Null
    );
}

#[tokio::test]
async fn a_bad_amount_is_invalid_params_naming_amount() {
    let (_devnet, rpc) = start(|_| {}).await;
    for amount in [
        json!("1000"),
        json!("0xzz"),
        json!(1000),
        json!("0x1ffffffffffffffffffffffffffffffff"),
    ] {
        check(
            &rpc.err("luxtensor_mint", json!([addr(1), amount])).await,
            -32602,
            "invalid amount",
        );
    }
}

#[tokio::test]
async fn a_bad_address_is_invalid_params_naming_the_field() {
    let (_devnet, rpc) = start(|_| {}).await;
    check(
        &rpc.err("luxtensor_mint", json!(["0x12", "0x1"])).await,
        -32602,
        "invalid to",
    );
    check(
        &rpc.err("luxtensor_transfer", json!(["nothex", addr(2), "0x1"]))
            .await,
        -32602,
        "invalid from",
    );
    check(
        &rpc.err("eth_getBalance", json!([42, "latest"])).await,
        -32602,
        "invalid address",
    );
}

#[tokio::test]
async fn a_missing_param_is_invalid_params_naming_it() {
    let (_devnet, rpc) = start(|_| {}).await;
    check(
        &rpc.err("luxtensor_transfer", json!([addr(1), addr(2)]))
            .await,
        -32602,
        "invalid amount: missing",
    );
    check(
        &rpc.err("luxtensor_getTransfer", json!([])).await,
        -32602,
        "invalid idempotencyKey",
    );
}

#[tokio::test]
async fn too_many_params_are_invalid_params() {
    let (_devnet, rpc) = start(|_| {}).await;
    check(
        &rpc.err("eth_chainId", json!([1])).await,
        -32602,
        "invalid params",
    );
}

#[tokio::test]
async fn overdrawing_is_insufficient_balance_and_changes_nothing() {
    let (_devnet, rpc) = start(|_| {}).await;
    rpc.mint(&addr(1), 10, None).await;
    let error = rpc
        .err("luxtensor_transfer", json!([addr(1), addr(2), "0xb"]))
        .await;
    check(&error, -32001, "insufficient balance");
    assert_eq!(rpc.balance(&addr(1)).await, 10);
    assert_eq!(rpc.block_number().await, 1);
}

#[tokio::test]
async fn minting_past_max_supply_fails_and_changes_nothing() {
    let (_devnet, rpc) = start(|c| c.max_supply = 100).await;
    rpc.mint(&addr(1), 60, None).await;
    check(
        &rpc.err("luxtensor_mint", json!([addr(1), hex(41)])).await,
        -32002,
        "max supply",
    );
    rpc.mint(&addr(1), 40, None).await;
    assert_eq!(rpc.total_supply().await, 100);
}

#[tokio::test]
async fn the_default_max_supply_is_21_million_mdt() {
    let (_devnet, rpc) = start(|_| {}).await;
    let cap: u128 = 21_000_000 * 10u128.pow(18);
    rpc.mint(&addr(1), cap, None).await;
    check(
        &rpc.err("luxtensor_mint", json!([addr(1), "0x1"])).await,
        -32002,
        "max supply",
    );
}

#[tokio::test]
async fn writes_without_a_token_are_unauthorized_and_change_nothing() {
    let (_devnet, rpc) = start(|_| {}).await;
    let anonymous = rpc.anonymous();
    check(
        &anonymous
            .err("luxtensor_mint", json!([addr(1), "0x1"]))
            .await,
        -32004,
        "unauthorized",
    );
    check(
        &anonymous
            .err("luxtensor_transfer", json!([addr(1), addr(2), "0x0"]))
            .await,
        -32004,
        "unauthorized",
    );
    assert_eq!(rpc.total_supply().await, 0);
}

#[tokio::test]
async fn writes_with_a_wrong_token_are_unauthorized() {
    let (_devnet, rpc) = start(|c| c.token = "right".into()).await;
    let error = rpc
        .with_token("wrong")
        .err("luxtensor_mint", json!([addr(1), "0x1"]))
        .await;
    check(&error, -32004, "unauthorized");
    rpc.with_token("right").mint(&addr(1), 1, None).await;
}

#[tokio::test]
async fn reads_need_no_token() {
    let (_devnet, rpc) = start(|_| {}).await;
    assert_eq!(
        rpc.anonymous().ok("eth_blockNumber", json!([])).await,
        json!("0x0")
    );
}

#[tokio::test]
async fn an_unknown_method_is_method_not_found() {
    let (_devnet, rpc) = start(|_| {}).await;
    check(
        &rpc.err("eth_sendTransaction", json!([])).await,
        -32601,
        "not found",
    );
}

#[tokio::test]
async fn a_batch_over_the_limit_is_refused_and_applies_nothing() {
    let (_devnet, rpc) = start(|c| c.limits.max_batch_len = 3).await;
    let calls: Vec<_> = (0..4)
        .map(|_| ("luxtensor_mint", json!([addr(1), "0x1"])))
        .collect();
    let body: Vec<Value> = calls
        .iter()
        .enumerate()
        .map(|(id, (m, p))| json!({"jsonrpc": "2.0", "id": id, "method": m, "params": p}))
        .collect();
    let reply = rpc.post(&Value::Array(body)).await.expect("an answer");
    assert!(
        reply.body.to_string().contains("-32010"),
        "{:?}",
        reply.body
    );
    assert_eq!(rpc.total_supply().await, 0);
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused() {
    let (_devnet, rpc) = start(|c| c.limits.max_request_body_bytes = 1024).await;
    let key = "k".repeat(2000);
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "luxtensor_mint", "params": [addr(1), "0x1", key]});
    let reply = rpc.post(&body).await.expect("an answer");
    assert_eq!(reply.status, 413, "{:?}", reply.body);
    assert_eq!(rpc.total_supply().await, 0);
}

#[tokio::test]
async fn a_mixed_batch_applies_its_valid_calls_and_refuses_the_others_one_by_one() {
    let (_devnet, rpc) = start(|_| {}).await;
    let responses = rpc
        .batch(&[
            ("luxtensor_mint", json!([addr(1), "0xa"])),
            ("luxtensor_transfer", json!([addr(1), addr(2), "0xb"])),
            ("luxtensor_mint", json!([addr(1), "0xzz"])),
            ("luxtensor_transfer", json!([addr(1), addr(2), "0x3"])),
            ("eth_getBalance", json!([addr(2), "latest"])),
        ])
        .await;
    assert_eq!(responses[0]["result"]["blockNumber"], json!("0x1"));
    check(&responses[1]["error"], -32001, "insufficient");
    check(&responses[2]["error"], -32602, "invalid amount");
    assert_eq!(responses[3]["result"]["blockNumber"], json!("0x2"));
    assert_eq!(responses[4]["result"], json!("0x3"));
    assert_eq!(rpc.balance(&addr(1)).await, 7);
    assert_eq!(rpc.block_number().await, 2);
}
