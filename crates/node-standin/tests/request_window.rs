//! Behaviour 3: 100 HTTP requests per 60-second window, a batch counting once; then HTTP 429
//! with the node's JSON-RPC error -32000 and no `Retry-After`.

use std::time::Duration;

use hyper::StatusCode;
use node_standin::{StandInConfig, RATE_LIMITED_BODY};
use serde_json::{json, Value};

use crate::support::{check, post, stand_in};

fn config() -> StandInConfig {
    StandInConfig {
        request_window: true,
        ..StandInConfig::default()
    }
}

fn block_number() -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "eth_blockNumber", "params": []})
}

#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
#[tokio::test(start_paused = true)]
async fn the_101st_request_of_a_window_is_answered_429_with_error_32000() {
    let stand_in = stand_in(config()).await;
    for _ in 0..100 {
        check(
            post(stand_in.url(), &block_number()).await.0,
            StatusCode::OK,
        );
    }
    let (status, retry_after, body) = post(stand_in.url(), &block_number()).await;
    check(status, StatusCode::TOO_MANY_REQUESTS);
    check(retry_after, None);
    check(
        body.clone(),
        serde_json::from_str(RATE_LIMITED_BODY).unwrap(),
    );
    check(body["error"]["code"].clone(), json!(-32000));
    let counters = stand_in.counters();
    check((counters.requests, counters.rate_limited), (101, 1));
}

#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
#[tokio::test(start_paused = true)]
async fn a_batch_counts_as_one_request() {
    let stand_in = stand_in(config()).await;
    let batch = Value::Array(vec![block_number(); 10]);
    for _ in 0..100 {
        let (status, _, body) = post(stand_in.url(), &batch).await;
        check(
            (status, body.as_array().map(Vec::len)),
            (StatusCode::OK, Some(10)),
        );
    }
    check(
        post(stand_in.url(), &batch).await.0,
        StatusCode::TOO_MANY_REQUESTS,
    );
}

#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
#[tokio::test(start_paused = true)]
async fn a_new_window_serves_again_60_seconds_after_the_first_request() {
    let stand_in = stand_in(config()).await;
    for _ in 0..100 {
        post(stand_in.url(), &block_number()).await;
    }
    tokio::time::advance(Duration::from_secs(59)).await;
    check(
        post(stand_in.url(), &block_number()).await.0,
        StatusCode::TOO_MANY_REQUESTS,
    );
    tokio::time::advance(Duration::from_secs(1)).await;
    check(
        post(stand_in.url(), &block_number()).await.0,
        StatusCode::OK,
    );
}
