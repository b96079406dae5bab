//! Batch rules: chunking, request order, and retrying only the failed (idempotent) items.

use crate::support;

use jsonrpsee::core::client::ClientT;
use jsonrpsee::core::params::BatchRequestBuilder;
use jsonrpsee::rpc_params;
use rpc_resilience::{AssumeIdempotent, ResilienceConfig, ResilientClient, RpcError};
use serde_json::json;
use support::{app_classifier, exact_config, Scripted, Step, APP_RATE_LIMITED};

fn client_for(server: &Scripted, config: ResilienceConfig, idempotent: bool) -> ResilientClient {
    ResilientClient::builder()
        .endpoint(&server.url)
        .config(config)
        .idempotency(AssumeIdempotent(idempotent))
        .build()
        .unwrap()
}

/// Checks a batch's per-item results and how often the server saw each `flaky` item.
#[track_caller]
fn check(
    server: &Scripted,
    results: Vec<Result<u64, RpcError>>,
    expected: Vec<Result<u64, RpcError>>,
    hits: &[(u64, u32)],
) {
    assert_eq!(results, expected);
    let seen: Vec<(u64, u32)> = hits
        .iter()
        .map(|&(id, _)| (id, server.flaky_hits(id)))
        .collect();
    assert_eq!(seen, hits, "server hits per item");
}

/// `flaky` items: (id, how many times it fails first).
fn items(spec: &[(u64, u32)]) -> Vec<(&'static str, (u64, u32))> {
    spec.iter().map(|&item| ("flaky", item)).collect()
}

#[tokio::test(start_paused = true)]
async fn a_large_batch_is_chunked_and_answered_in_request_order() {
    let server = Scripted::start(vec![]).await;
    let c = client_for(
        &server,
        ResilienceConfig {
            batch_size: 50,
            ..exact_config()
        },
        true,
    );
    let spec: Vec<(u64, u32)> = (0..120).map(|id| (id, 0)).collect();
    let results = c.batch::<u64, _>(&items(&spec)).await.unwrap();
    let ids: Vec<u64> = results.into_iter().map(Result::unwrap).collect();
    assert_eq!(ids, (0..120).collect::<Vec<_>>());
}

#[tokio::test(start_paused = true)]
async fn only_the_failed_items_of_a_batch_are_retried() {
    let server = Scripted::start(vec![]).await;
    let c = client_for(&server, exact_config(), true);
    let results = c
        .batch::<u64, _>(&items(&[(0, 0), (1, 1), (2, 0), (3, 2), (4, 0)]))
        .await
        .unwrap();
    let expected = vec![Ok(0), Ok(1), Ok(2), Ok(3), Ok(4)];
    check(
        &server,
        results,
        expected,
        &[(0, 1), (1, 2), (2, 1), (3, 3), (4, 1)],
    );
    assert_eq!(c.metrics().retries, 2);
}

#[tokio::test(start_paused = true)]
async fn failed_items_that_are_not_idempotent_are_not_retried() {
    let server = Scripted::start(vec![]).await;
    let c = client_for(&server, exact_config(), false);
    let results = c.batch::<u64, _>(&items(&[(0, 0), (1, 1)])).await.unwrap();
    let failure = RpcError::Rpc {
        code: -32603,
        message: "flaky failure".into(),
        data: None,
    };
    check(
        &server,
        results,
        vec![Ok(0), Err(failure)],
        &[(0, 1), (1, 1)],
    );
}

#[tokio::test(start_paused = true)]
async fn an_item_that_keeps_failing_keeps_its_last_error_after_max_attempts() {
    let server = Scripted::start(vec![]).await;
    let c = client_for(&server, exact_config(), true);
    let results = c.batch::<u64, _>(&items(&[(7, 10)])).await.unwrap();
    assert!(
        matches!(&results[0], Err(RpcError::Rpc { code: -32603, .. })),
        "{results:?}"
    );
    assert_eq!(server.flaky_hits(7), 3);
}

#[tokio::test(start_paused = true)]
async fn batch_request_through_client_t_keeps_order_and_reports_item_errors() {
    let server = Scripted::start(vec![Step::Err(-32602, None)]).await;
    let c = client_for(&server, exact_config(), true);
    let mut batch = BatchRequestBuilder::new();
    batch.insert("flaky", rpc_params![1u64, 0u32]).unwrap();
    batch.insert("scripted", rpc_params![]).unwrap();
    batch.insert("flaky", rpc_params![2u64, 0u32]).unwrap();
    let response = c.batch_request::<u64>(batch).await.unwrap();
    assert_eq!(
        (response.num_successful_calls(), response.num_failed_calls()),
        (2, 1)
    );
    let codes: Vec<Result<u64, i32>> = response
        .into_iter()
        .map(|r| r.map_err(|e| e.code()))
        .collect();
    assert_eq!(codes, vec![Ok(1), Err(-32602), Ok(2)]);
}

#[tokio::test(start_paused = true)]
async fn a_batch_item_of_the_wrong_type_is_an_item_error() {
    let server = Scripted::start(vec![Step::Ok(json!("not a number"))]).await;
    let c = client_for(&server, exact_config(), true);
    let mut batch = BatchRequestBuilder::new();
    batch.insert("scripted", rpc_params![]).unwrap();
    let response = c.batch_request::<u64>(batch).await.unwrap();
    let codes: Vec<Result<u64, i32>> = response
        .into_iter()
        .map(|r| r.map_err(|e| e.code()))
        .collect();
    assert_eq!(codes, vec![Err(-32700)]);
}

#[tokio::test(start_paused = true)]
async fn an_empty_batch_is_answered_empty_without_a_request() {
    // A dead endpoint: any request would fail.
    let c = ResilientClient::builder()
        .endpoint(support::dead_url())
        .config(exact_config())
        .build()
        .unwrap();
    let none: Vec<(&str, ())> = Vec::new();
    assert_eq!(c.batch::<u64, _>(&none).await.unwrap(), Vec::new());
    let response = c
        .batch_request::<u64>(BatchRequestBuilder::new())
        .await
        .unwrap();
    assert_eq!(response.len(), 0);
    assert_eq!(c.metrics().requests, 0, "nothing was sent");
}

#[tokio::test(start_paused = true)]
async fn a_batch_to_a_dead_endpoint_fails_over_to_the_next() {
    let server = Scripted::start(vec![]).await;
    let c = ResilientClient::builder()
        .endpoint(support::dead_url())
        .endpoint(&server.url)
        .config(exact_config())
        .build()
        .unwrap();
    let results = c.batch::<u64, _>(&items(&[(5, 0), (6, 0)])).await.unwrap();
    assert_eq!(results, vec![Ok(5), Ok(6)]);
}

#[tokio::test(start_paused = true)]
async fn a_batch_stops_retrying_when_the_budget_is_spent() {
    let server = Scripted::start(vec![]).await;
    let c = ResilientClient::builder()
        .endpoint(&server.url)
        .config(exact_config())
        .idempotency(AssumeIdempotent(true))
        .retry_budget(std::sync::Arc::new(rpc_resilience::RetryBudget::new(
            0.0, 0, 0,
        )))
        .build()
        .unwrap();
    let results = c.batch::<u64, _>(&items(&[(1, 1)])).await.unwrap();
    assert!(
        matches!(&results[0], Err(RpcError::BudgetExhausted { .. })),
        "{results:?}"
    );
    assert_eq!(server.flaky_hits(1), 1);
}

#[tokio::test(start_paused = true)]
async fn a_rate_limited_batch_item_waits_the_delay_the_server_asked_for() {
    let server = Scripted::start(vec![
        Step::Err(APP_RATE_LIMITED, Some(json!({"wait_ms": 4_000}))),
        Step::Ok(json!(8)),
    ])
    .await;
    let c = ResilientClient::builder()
        .endpoint(&server.url)
        .config(exact_config())
        .idempotency(AssumeIdempotent(false))
        .classifier(app_classifier())
        .build()
        .unwrap();
    let start = tokio::time::Instant::now();
    let results = c.batch::<u64, _>(&[("scripted", ())]).await.unwrap();
    assert_eq!(
        (results, start.elapsed()),
        (vec![Ok(8)], std::time::Duration::from_secs(4))
    );
}

#[tokio::test(start_paused = true)]
async fn a_batch_that_outlives_the_overall_deadline_fails_its_pending_items() {
    let server = Scripted::start(vec![Step::Slow(
        std::time::Duration::from_secs(20),
        json!(1),
    )])
    .await;
    let c = client_for(
        &server,
        ResilienceConfig {
            deadline_ms: Some(10_000),
            ..exact_config()
        },
        true,
    );
    let results = c.batch::<u64, _>(&[("scripted", ())]).await.unwrap();
    let deadline = RpcError::DeadlineExceeded {
        deadline: std::time::Duration::from_secs(10),
        last: None,
    };
    assert_eq!(results, vec![Err(deadline)]);
}

#[tokio::test(start_paused = true)]
async fn a_batch_retry_that_would_overrun_the_deadline_is_not_made_and_the_item_says_so() {
    let server = Scripted::start(vec![]).await;
    let c = client_for(
        &server,
        ResilienceConfig {
            deadline_ms: Some(500),
            ..exact_config()
        },
        true,
    );
    let results = c.batch::<u64, _>(&items(&[(1, 1)])).await.unwrap();
    let deadline = RpcError::DeadlineExceeded {
        deadline: std::time::Duration::from_millis(500),
        last: Some(Box::new(RpcError::Rpc {
            code: -32603,
            message: "flaky failure".into(),
            data: None,
        })),
    };
    assert_eq!(results, vec![Err(deadline)]);
    assert_eq!(server.flaky_hits(1), 1);
}

#[tokio::test(start_paused = true)]
async fn batch_item_errors_map_to_json_rpc_error_objects() {
    let server = Scripted::start(vec![Step::Err(APP_RATE_LIMITED, None)]).await;
    let c = client_for(
        &server,
        ResilienceConfig {
            max_attempts: 1,
            ..exact_config()
        },
        true,
    );
    let mut batch = BatchRequestBuilder::new();
    batch.insert("scripted", rpc_params![]).unwrap();
    let response = c.batch_request::<u64>(batch).await.unwrap();
    let codes: Vec<Result<u64, i32>> = response
        .into_iter()
        .map(|r| r.map_err(|e| e.code()))
        .collect();
    assert_eq!(codes, vec![Err(APP_RATE_LIMITED)]);
    let dead = ResilientClient::builder()
        .endpoint(support::dead_url())
        .config(ResilienceConfig {
            max_attempts: 1,
            ..exact_config()
        })
        .build()
        .unwrap();
    let mut batch = BatchRequestBuilder::new();
    batch.insert("scripted", rpc_params![]).unwrap();
    let response = dead.batch_request::<u64>(batch).await.unwrap();
    let codes: Vec<Result<u64, i32>> = response
        .into_iter()
        .map(|r| r.map_err(|e| e.code()))
        .collect();
    assert_eq!(codes, vec![Err(-32603)]);
}
