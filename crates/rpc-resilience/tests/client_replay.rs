//! Replay safety through the client: what may have reached the server is resent only when
//! replay-safe (the standard reads, or what the caller's policy names); final and rate-limit
//! codes are the caller's classifier's; real server, tokio's paused clock.

use crate::support;

use std::time::Duration;

use rpc_resilience::{
    DefaultIdempotency, IdempotencyPolicy, ReplaySafeMethods, ResilienceConfig, RpcError,
};
use serde_json::json;
use support::calls::{call, call_through, check, rpc, send_transaction};
use support::{
    app_classifier, builder, exact_config, hex, Scripted, Step, APP_FINAL, APP_RATE_LIMITED,
};

#[tokio::test(start_paused = true)]
async fn eth_send_transaction_is_not_resent_after_a_timeout() {
    let server = Scripted::start(vec![Step::Slow(Duration::from_secs(60), json!("late"))]).await;
    let timeout = RpcError::Timeout {
        after: Duration::from_secs(30),
    };
    check(
        call(
            &server,
            exact_config(),
            "eth_sendTransaction",
            send_transaction(),
        )
        .await,
        Err(timeout),
        1,
        30_000,
    );
}

#[tokio::test(start_paused = true)]
async fn eth_send_transaction_is_not_resent_after_a_server_error() {
    let server = Scripted::start(vec![Step::Err(-32603, None), Step::Ok(json!("0xhash"))]).await;
    check(
        call(
            &server,
            exact_config(),
            "eth_sendTransaction",
            send_transaction(),
        )
        .await,
        Err(rpc(-32603)),
        1,
        0,
    );
}

#[tokio::test(start_paused = true)]
async fn a_method_the_caller_marks_replay_safe_is_resent_after_a_timeout() {
    let server = Scripted::start(vec![
        Step::Slow(Duration::from_secs(60), json!("late")),
        Step::Ok(json!("ok")),
    ])
    .await;
    let policy = DefaultIdempotency.or(ReplaySafeMethods::new(["app_write"]));
    check(
        call_through(
            builder(&[&server.url], exact_config()).idempotency(policy),
            &server,
            "app_write",
            json!(["item-0"]),
        )
        .await,
        Ok(json!("ok")),
        2,
        31_000,
    );
}

#[tokio::test(start_paused = true)]
async fn codes_the_caller_names_final_are_not_retried() {
    let server = Scripted::start(vec![Step::Err(APP_FINAL, None), Step::Ok(hex(1))]).await;
    check(
        call_through(
            builder(&[&server.url], exact_config()).classifier(app_classifier()),
            &server,
            "eth_blockNumber",
            json!([]),
        )
        .await,
        Err(rpc(APP_FINAL)),
        1,
        0,
    );
}

#[tokio::test(start_paused = true)]
async fn without_the_callers_classifier_a_server_defined_code_is_retried() {
    let server = Scripted::start(vec![Step::Err(APP_FINAL, None), Step::Ok(hex(1))]).await;
    check(
        call(&server, exact_config(), "eth_blockNumber", json!([])).await,
        Ok(hex(1)),
        2,
        1_000,
    );
}

#[tokio::test(start_paused = true)]
async fn a_code_the_classifier_calls_rate_limited_waits_the_asked_delay_then_is_resent() {
    let server = Scripted::start(vec![
        Step::Err(APP_RATE_LIMITED, Some(json!({"wait_ms": 7_000}))),
        Step::Ok(json!("ok")),
    ])
    .await;
    check(
        call_through(
            builder(&[&server.url], exact_config()).classifier(app_classifier()),
            &server,
            "eth_sendTransaction",
            send_transaction(),
        )
        .await,
        Ok(json!("ok")),
        2,
        7_000,
    );
}

#[tokio::test(start_paused = true)]
async fn a_server_asked_delay_is_capped_at_the_configured_maximum() {
    let server = Scripted::start(vec![
        Step::Err(APP_RATE_LIMITED, Some(json!({"wait_ms": 3_600_000}))),
        Step::Ok(json!(1)),
    ])
    .await;
    let config = ResilienceConfig {
        max_retry_after_ms: 300_000,
        ..exact_config()
    };
    check(
        call_through(
            builder(&[&server.url], config).classifier(app_classifier()),
            &server,
            "eth_blockNumber",
            json!([]),
        )
        .await,
        Ok(json!(1)),
        2,
        300_000,
    );
}
