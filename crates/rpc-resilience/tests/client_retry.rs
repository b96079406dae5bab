//! ResilientClient retry rules against a real jsonrpsee server, on tokio's paused clock.

use crate::support;

use std::sync::Arc;
use std::time::Duration;

use rpc_resilience::{CallOptions, ResilienceConfig, RetryBudget, RpcError};
use serde_json::{json, Value};
use support::calls::{call, check, rpc, send_transaction};
use support::raw::{http, json_200, RawServer};
use support::{client, exact_config, hex, Scripted, Step};
use tokio::time::Instant;

#[tokio::test(start_paused = true)]
async fn a_read_succeeds_after_transient_failures_with_one_and_two_second_backoffs() {
    let server = Scripted::start(vec![
        Step::Err(-32603, None),
        Step::Err(-32603, None),
        Step::Ok(hex(7)),
    ])
    .await;
    check(
        call(&server, exact_config(), "eth_blockNumber", json!([])).await,
        Ok(hex(7)),
        3,
        3000,
    );
}

#[tokio::test(start_paused = true)]
async fn when_every_attempt_fails_the_last_error_is_kept() {
    let server = Scripted::start(vec![
        Step::Err(-32603, None),
        Step::Err(-32603, None),
        Step::Err(-32000, None),
    ])
    .await;
    check(
        call(&server, exact_config(), "eth_blockNumber", json!([])).await,
        Err(rpc(-32000)),
        3,
        3000,
    );
}

#[tokio::test(start_paused = true)]
async fn a_wrong_request_is_answered_once() {
    let server = Scripted::start(vec![Step::Err(-32602, None)]).await;
    check(
        call(&server, exact_config(), "eth_getBalance", json!([])).await,
        Err(rpc(-32602)),
        1,
        0,
    );
}

#[tokio::test(start_paused = true)]
async fn http_429_waits_the_retry_after_header() {
    let server = RawServer::start(vec![
        http("429 Too Many Requests", &["retry-after: 9"], b"slow down"),
        json_200(r#"{"jsonrpc":"2.0","id":$ID,"result":"0x5"}"#),
    ])
    .await;
    let c = client(&[&server.url], exact_config());
    let start = Instant::now();
    let result = c
        .call::<String, _>("eth_sendTransaction", send_transaction())
        .await;
    assert_eq!(
        (result, server.hits(), start.elapsed()),
        (Ok("0x5".to_owned()), 2, Duration::from_secs(9))
    );
}

#[tokio::test(start_paused = true)]
async fn the_retry_budget_stops_a_retry_storm() {
    let server = Scripted::start(vec![Step::Err(-32603, None)]).await;
    let config = ResilienceConfig {
        failure_threshold: 1_000,
        failure_window: 1_000,
        failure_min_calls: 1_000,
        ..exact_config()
    };
    let c = rpc_resilience::ResilientClient::builder()
        .endpoint(&server.url)
        .config(config)
        .retry_budget(Arc::new(RetryBudget::new(0.1, 0, 1_000)))
        .build()
        .unwrap();
    for _ in 0..20 {
        let _ = c.call::<Value, _>("eth_blockNumber", json!([])).await;
    }
    // 20 calls earn 2 retries at 10 %: without the budget the server would see 60 hits.
    assert_eq!(server.hits(), 22);
    // Every call ends on a refused retry (the two lucky ones after their second attempt).
    assert_eq!(c.metrics().rejected_by_budget, 20);
}

#[tokio::test(start_paused = true)]
async fn the_overall_deadline_ends_the_retries_with_the_last_error() {
    let server = Scripted::start(vec![Step::Err(-32603, None)]).await;
    let c = client(
        &[&server.url],
        ResilienceConfig {
            deadline_ms: Some(2_500),
            max_attempts: 10,
            ..exact_config()
        },
    );
    let start = Instant::now();
    let result = c.call::<Value, _>("eth_blockNumber", json!([])).await;
    let expected = RpcError::DeadlineExceeded {
        deadline: Duration::from_millis(2_500),
        last: Some(Box::new(rpc(-32603))),
    };
    assert_eq!(
        (result, server.hits(), start.elapsed()),
        (Err(expected), 2, Duration::from_secs(1))
    );
}

#[tokio::test(start_paused = true)]
async fn a_per_call_timeout_overrides_the_default() {
    let server = Scripted::start(vec![Step::Slow(Duration::from_secs(10), json!(1))]).await;
    let c = client(
        &[&server.url],
        ResilienceConfig {
            max_attempts: 1,
            ..exact_config()
        },
    );
    let start = Instant::now();
    let result = c
        .call_with_timeout::<Value, _>("eth_blockNumber", json!([]), Duration::from_secs(5))
        .await;
    assert_eq!(
        (result, start.elapsed()),
        (
            Err(RpcError::Timeout {
                after: Duration::from_secs(5)
            }),
            Duration::from_secs(5)
        )
    );
}

#[tokio::test(start_paused = true)]
async fn a_per_call_deadline_and_idempotency_override_the_defaults() {
    let server = Scripted::start(vec![Step::Err(-32603, None), Step::Ok(json!(1))]).await;
    let c = client(&[&server.url], exact_config());
    let options = CallOptions {
        idempotent: Some(false),
        deadline: Some(Duration::from_secs(60)),
        ..CallOptions::default()
    };
    let result = c
        .call_with::<Value, _>("eth_blockNumber", json!([]), options)
        .await;
    assert_eq!((result, server.hits()), (Err(rpc(-32603)), 1));
}

#[tokio::test(start_paused = true)]
async fn http_503_with_retry_after_is_a_rate_limit_and_without_it_a_status_error() {
    let server = RawServer::start(vec![
        http("503 Service Unavailable", &["retry-after: 3"], b"busy"),
        http("503 Service Unavailable", &[], b"down"),
    ])
    .await;
    let c = client(
        &[&server.url],
        ResilienceConfig {
            max_attempts: 1,
            ..exact_config()
        },
    );
    let first = c.call::<String, _>("eth_blockNumber", ()).await;
    assert_eq!(
        first,
        Err(RpcError::RateLimited {
            retry_after: Some(Duration::from_secs(3))
        })
    );
    let second = c.call::<String, _>("eth_blockNumber", ()).await;
    assert_eq!(second, Err(RpcError::HttpStatus { status: 503 }));
}

#[tokio::test(start_paused = true)]
async fn builder_shortcuts_set_timeout_deadline_attempts_and_classifier() {
    use rpc_resilience::{RetryClassifier, RetryDecision};
    #[derive(Debug)]
    struct NeverRetry;
    impl RetryClassifier<RpcError> for NeverRetry {
        fn classify(&self, _: &RpcError) -> RetryDecision {
            RetryDecision::DoNotRetry
        }
    }
    let server = Scripted::start(vec![Step::Err(-32603, None)]).await;
    let never = rpc_resilience::ResilientClient::builder()
        .endpoint(&server.url)
        .classifier(NeverRetry)
        .build()
        .unwrap();
    assert!(never.call::<Value, _>("eth_blockNumber", ()).await.is_err());
    assert_eq!(server.hits(), 1);
    server.set_script(vec![Step::Slow(Duration::from_secs(20), json!(1))]);
    let c = rpc_resilience::ResilientClient::builder()
        .endpoint(&server.url)
        .timeout(Duration::from_secs(2))
        .deadline(Duration::from_secs(3))
        .max_attempts(5)
        .jitter_seed(3)
        .build()
        .unwrap();
    let start = Instant::now();
    let result = c.call::<Value, _>("eth_blockNumber", ()).await;
    assert!(
        matches!(result, Err(RpcError::DeadlineExceeded { .. })),
        "{result:?}"
    );
    assert!(start.elapsed() <= Duration::from_secs(3));
}
