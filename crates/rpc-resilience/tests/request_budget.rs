//! The request budget and rate-limit answers, against real servers on 127.0.0.1 and tokio's
//! paused clock: a shared window of N requests (a batch counts once; the config's
//! `requests_per_minute`), a node's Retry-After (or, without one, a limited budget's window)
//! pausing every holder, and rate limits that are not node failures.

use crate::support;

use std::sync::Arc;
use std::time::Duration;

use rpc_resilience::{
    BreakerState, HealthStatus, RequestBudget, ResilienceConfig, ResilientClient, RetryBudget,
    RpcError,
};
use serde_json::{json, Value};
use support::raw::{http, json_200, RawServer};
use support::{builder, exact_config, hex, Scripted, Step};
use tokio::time::Instant;

const MINUTE: Duration = Duration::from_secs(60);

/// A client over `url` counting against `budget`.
fn sharing(url: &str, budget: &RequestBudget, config: ResilienceConfig) -> ResilientClient {
    builder(&[url], config)
        .request_budget(budget.clone())
        .build()
        .unwrap()
}

/// When each call returned (virtual seconds since `start`), calling one after the other.
async fn seconds_at_each(clients: &[&ResilientClient], start: Instant) -> Vec<u64> {
    let mut out = Vec::new();
    for c in clients {
        c.call::<Value, _>("eth_blockNumber", ()).await.unwrap();
        out.push(start.elapsed().as_secs());
    }
    out
}

#[track_caller]
fn check<T: PartialEq + std::fmt::Debug>(got: T, want: T) {
    assert_eq!(got, want);
}

#[tokio::test(start_paused = true)]
async fn two_clients_sharing_three_requests_a_minute_send_the_fourth_a_minute_later() {
    let server = Scripted::start(vec![Step::Ok(hex(1))]).await;
    let budget = RequestBudget::new(3, MINUTE).unwrap();
    let (a, b) = (
        sharing(&server.url, &budget, exact_config()),
        sharing(&server.url, &budget, exact_config()),
    );
    let start = Instant::now();
    let at = seconds_at_each(&[&a, &b, &a, &b, &a], start).await;
    check((at, budget.requests()), (vec![0, 0, 0, 60, 60], 5));
}

#[tokio::test(start_paused = true)]
async fn requests_per_minute_limits_a_client_built_from_the_config_alone() {
    let server = Scripted::start(vec![Step::Ok(hex(1))]).await;
    let config = ResilienceConfig {
        requests_per_minute: 2,
        ..exact_config()
    };
    let c = builder(&[&server.url], config).build().unwrap();
    let start = Instant::now();
    let at = seconds_at_each(&[&c, &c, &c], start).await;
    check(
        (at, c.request_budget().limit()),
        (vec![0, 0, 60], Some((2, MINUTE))),
    );
}

#[tokio::test(start_paused = true)]
async fn clients_given_the_configs_one_budget_share_its_requests_per_minute() {
    let server = Scripted::start(vec![Step::Ok(hex(1))]).await;
    let config = ResilienceConfig {
        requests_per_minute: 2,
        ..exact_config()
    };
    let budget = config.request_budget().unwrap();
    let (a, b) = (
        sharing(&server.url, &budget, config.clone()),
        sharing(&server.url, &budget, config),
    );
    let start = Instant::now();
    let at = seconds_at_each(&[&a, &b, &a, &b], start).await;
    check((at, budget.requests()), (vec![0, 0, 60, 60], 4));
}

#[tokio::test(start_paused = true)]
async fn a_batch_of_many_calls_counts_as_one_request() {
    let server = Scripted::start(vec![Step::Ok(hex(1))]).await;
    let budget = RequestBudget::new(2, MINUTE).unwrap();
    let c = sharing(&server.url, &budget, exact_config());
    let start = Instant::now();
    let calls: Vec<(&str, ())> = vec![("eth_blockNumber", ()); 40];
    let answers = c.batch::<String, _>(&calls).await.unwrap();
    check(answers.len(), 40);
    let at = seconds_at_each(&[&c, &c], start).await;
    check((at, budget.requests(), server.hits()), (vec![0, 60], 3, 42));
}

#[tokio::test(start_paused = true)]
async fn without_a_limit_nothing_waits_and_every_request_is_counted() {
    let server = Scripted::start(vec![Step::Ok(hex(1))]).await;
    let c = builder(&[&server.url], exact_config()).build().unwrap();
    let start = Instant::now();
    let at = seconds_at_each(&[&c, &c, &c], start).await;
    check((at, c.request_budget().requests()), (vec![0, 0, 0], 3));
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_pauses_every_client_sharing_the_budget() {
    let server = RawServer::start(vec![
        http("429 Too Many Requests", &["retry-after: 9"], b"slow down"),
        json_200(r#"{"jsonrpc":"2.0","id":$ID,"result":"0x5"}"#),
    ])
    .await;
    let budget = RequestBudget::unlimited();
    let once = ResilienceConfig {
        max_attempts: 1,
        ..exact_config()
    };
    let a = sharing(&server.url, &budget, once.clone());
    let b = sharing(&server.url, &budget, once);
    let start = Instant::now();
    let limited = a.call::<String, _>("eth_blockNumber", ()).await;
    check(
        limited,
        Err(RpcError::RateLimited {
            retry_after: Some(Duration::from_secs(9)),
        }),
    );
    let answer = b.call::<String, _>("eth_blockNumber", ()).await;
    check(
        (answer, start.elapsed(), server.hits()),
        (Ok("0x5".to_owned()), Duration::from_secs(9), 2),
    );
}

#[tokio::test(start_paused = true)]
async fn waiting_out_a_rate_limit_takes_nothing_from_the_retry_budget() {
    let server = RawServer::start(vec![
        http("429 Too Many Requests", &["retry-after: 2"], b"slow down"),
        http("429 Too Many Requests", &[], b"slow down"),
        json_200(r#"{"jsonrpc":"2.0","id":$ID,"result":"0x7"}"#),
    ])
    .await;
    let c = builder(&[&server.url], exact_config())
        .retry_budget(Arc::new(RetryBudget::new(0.0, 0, 0))) // no retry after a failure
        .build()
        .unwrap();
    let start = Instant::now();
    let answer = c.call::<String, _>("eth_blockNumber", ()).await;
    // 2 s as asked, then the backoff's second step (2 s) for the 429 without a delay.
    check(
        (answer, start.elapsed(), server.hits()),
        (Ok("0x7".to_owned()), Duration::from_secs(4), 3),
    );
}

#[tokio::test(start_paused = true)]
async fn a_429_without_retry_after_waits_out_a_limited_budgets_window() {
    // A node counting 100 requests a minute that another program (or this one before a
    // restart) spent: only a new window helps, and a backoff of 1 s, 2 s would end the call.
    let server = RawServer::start(vec![
        http("429 Too Many Requests", &[], b"rate limited"),
        json_200(r#"{"jsonrpc":"2.0","id":$ID,"result":"0x8"}"#),
    ])
    .await;
    let budget = RequestBudget::new(90, MINUTE).unwrap();
    let (a, b) = (
        sharing(&server.url, &budget, exact_config()),
        sharing(&server.url, &budget, exact_config()),
    );
    let start = Instant::now();
    let answer = a.call::<String, _>("eth_blockNumber", ()).await;
    check((answer, start.elapsed()), (Ok("0x8".to_owned()), MINUTE));
    let other = b.call::<String, _>("eth_blockNumber", ()).await;
    check(
        (other.is_ok(), start.elapsed(), server.hits()),
        (true, MINUTE, 3),
    );
}

#[tokio::test(start_paused = true)]
async fn rate_limited_health_probes_neither_trip_the_breaker_nor_mark_the_node_down() {
    let server = RawServer::start(vec![http(
        "429 Too Many Requests",
        &["retry-after: 1"],
        b"slow down",
    )])
    .await;
    let config = ResilienceConfig {
        failure_threshold: 1,
        health_interval_ms: 1_000,
        ..exact_config()
    };
    let c = builder(&[&server.url], config)
        .health_monitor(true)
        .build()
        .unwrap();
    tokio::time::sleep(Duration::from_secs(10)).await;
    let status = &c.endpoints()[0];
    assert!(server.hits() >= 5, "probes sent: {}", server.hits());
    check(
        (status.breaker, status.health.clone()),
        (BreakerState::Closed, Some(HealthStatus::Unknown)),
    );
}

#[tokio::test(start_paused = true)]
async fn a_code_the_classifier_calls_rate_limited_pauses_the_shared_budget() {
    let server = Scripted::start(vec![
        Step::Err(support::APP_RATE_LIMITED, Some(json!({"wait_ms": 4_000}))),
        Step::Ok(hex(3)),
    ])
    .await;
    let budget = RequestBudget::unlimited();
    let once = ResilienceConfig {
        max_attempts: 1,
        ..exact_config()
    };
    let a = builder(&[&server.url], once.clone())
        .classifier(support::app_classifier())
        .request_budget(budget.clone())
        .build()
        .unwrap();
    let b = sharing(&server.url, &budget, once);
    let start = Instant::now();
    assert!(a.call::<Value, _>("scripted", ()).await.is_err());
    let answer = b.call::<Value, _>("scripted", ()).await;
    check(
        (answer, start.elapsed()),
        (Ok(hex(3)), Duration::from_secs(4)),
    );
}

#[test]
fn a_budget_of_no_requests_or_no_window_is_refused() {
    let refused = |max, window| RequestBudget::new(max, window).unwrap_err().to_string();
    check(
        refused(0, MINUTE),
        "max_requests: must be in 1..=1000000, found 0".to_owned(),
    );
    check(
        refused(100, Duration::ZERO),
        "window: must be at least 1 ms".to_owned(),
    );
}
