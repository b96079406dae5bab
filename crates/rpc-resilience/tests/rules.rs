//! Small rules: error classification, config defaults, the builder, the concurrency limit,
//! the outcome window.

use crate::support;

use std::time::Duration;

use rpc_resilience::breaker::OutcomeWindow;
use rpc_resilience::{ConcurrencyLimit, ResilienceConfig, ResilientClient, RpcError};

fn rpc(code: i32) -> RpcError {
    RpcError::Rpc {
        code,
        message: String::new(),
        data: None,
    }
}

#[track_caller]
fn check(error: RpcError, retryable: bool, may_have_run: bool, endpoint_failure: bool) {
    let got = (
        error.is_retryable(),
        error.may_have_reached_server(),
        error.is_endpoint_failure(),
    );
    assert_eq!(
        got,
        (retryable, may_have_run, endpoint_failure),
        "{error:?}"
    );
}

#[test]
fn errors_say_whether_a_retry_can_help_and_whether_the_request_may_have_run() {
    check(
        RpcError::Connect {
            endpoint: "e".into(),
            reason: "r".into(),
        },
        true,
        false,
        true,
    );
    check(
        RpcError::Timeout {
            after: Duration::from_secs(1),
        },
        true,
        true,
        true,
    );
    check(
        RpcError::Transport {
            reason: "reset".into(),
        },
        true,
        true,
        true,
    );
    check(RpcError::HttpStatus { status: 502 }, true, true, true);
    check(RpcError::HttpStatus { status: 503 }, true, true, true);
    check(RpcError::HttpStatus { status: 404 }, false, true, false);
    check(
        RpcError::RateLimited { retry_after: None },
        true,
        false,
        false,
    );
    check(rpc(-32603), true, true, true);
    for code in [-32000, -32042, -32099] {
        check(rpc(code), true, true, false); // a server's own codes mean nothing here
    }
    for code in [-32700, -32600, -32601, -32602] {
        check(rpc(code), false, true, false);
    }
    check(
        RpcError::CircuitOpen {
            endpoint: "e".into(),
        },
        false,
        false,
        false,
    );
    check(
        RpcError::BudgetExhausted {
            last: Box::new(rpc(-32603)),
        },
        false,
        false,
        false,
    );
    check(
        RpcError::DeadlineExceeded {
            deadline: Duration::ZERO,
            last: None,
        },
        false,
        true,
        false,
    );
    check(
        RpcError::MalformedResponse { reason: "x".into() },
        true,
        true,
        true,
    );
    check(RpcError::ResponseTooLarge, false, true, false);
    check(
        RpcError::InvalidRequest { reason: "x".into() },
        false,
        false,
        false,
    );
}

#[test]
fn only_rate_limits_carry_a_delay() {
    let d = Some(Duration::from_secs(2));
    assert_eq!(RpcError::RateLimited { retry_after: d }.retry_after(), d);
    assert_eq!(rpc(-32603).retry_after(), None);
}

#[test]
fn the_config_defaults_are_the_design_defaults_and_unknown_keys_are_rejected() {
    let c: ResilienceConfig = serde_json::from_str("{}").unwrap();
    let got = (
        c.timeout_ms,
        c.max_attempts,
        c.initial_backoff_ms,
        c.backoff_factor,
        c.max_backoff_ms,
        c.failure_threshold,
        c.recovery_timeout_ms,
        c.half_open_max_calls,
        c.max_connections,
        c.batch_size,
        c.health_interval_ms,
        c.health_timeout_ms,
    );
    assert_eq!(
        got,
        (30_000, 3, 1_000, 2.0, 30_000, 5, 60_000, 3, 100, 50, 30_000, 5_000)
    );
    assert!(serde_json::from_str::<ResilienceConfig>(r#"{"timeout_msec": 1}"#).is_err());
    let partial: ResilienceConfig =
        serde_json::from_str(r#"{"max_attempts": 7, "jitter": "decorrelated"}"#).unwrap();
    assert_eq!((partial.max_attempts, partial.timeout_ms), (7, 30_000));
}

#[tokio::test]
async fn the_concurrency_limit_holds_slots_until_permits_drop() {
    let limit = ConcurrencyLimit::new(2);
    let a = limit.acquire().await;
    let _b = limit.acquire().await;
    assert_eq!((limit.max(), limit.available()), (2, 0));
    drop(a);
    assert_eq!(limit.available(), 1);
    assert_eq!(ConcurrencyLimit::new(0).max(), 1);
}

#[test]
fn the_outcome_window_forgets_the_oldest_outcome() {
    let mut w = OutcomeWindow::new(3);
    assert!(w.is_empty());
    for success in [false, false, true, true] {
        w.record(success);
    }
    assert_eq!((w.len(), w.failures()), (3, 1));
    assert!(w.rate_reached(3, 33) && !w.rate_reached(3, 34) && !w.rate_reached(4, 1));
}

#[test]
fn the_builder_rejects_no_endpoint_a_bad_url_and_a_bad_token() {
    assert!(ResilientClient::builder().build().is_err());
    assert!(ResilientClient::builder()
        .endpoint("ftp://127.0.0.1:1")
        .build()
        .is_err());
    let bad_token = ResilientClient::builder()
        .endpoint("http://127.0.0.1:1")
        .bearer_token(Some("a\nb"))
        .build();
    assert!(matches!(bad_token, Err(RpcError::InvalidRequest { .. })));
}

#[test]
fn the_token_never_shows_in_debug_output() {
    let builder = ResilientClient::builder()
        .endpoint("http://user:p@ss@127.0.0.1:1/path@x")
        .bearer_token(Some("s3cret-token"));
    let shown = format!("{builder:?}");
    assert!(
        !shown.contains("s3cret") && !shown.contains("ss@"),
        "{shown}"
    );
    let client = builder.build().unwrap();
    let shown = format!("{client:?}");
    assert!(
        !shown.contains("s3cret")
            && !shown.contains("ss@")
            && shown.contains("http://***@127.0.0.1:1/path@x"),
        "{shown}"
    );
}

#[tokio::test]
async fn the_bearer_token_is_sent_as_an_authorization_header() {
    use support::raw::{json_200, RawServer};
    let server = RawServer::start(vec![json_200(r#"{"jsonrpc":"2.0","id":$ID,"result":1}"#)]).await;
    let c = ResilientClient::builder()
        .endpoint(&server.url)
        .bearer_token(Some("s3cret-token"))
        .build()
        .unwrap();
    assert_eq!(c.call::<u64, _>("eth_blockNumber", ()).await, Ok(1));
    let heads = server.heads();
    assert!(
        heads[0].contains("authorization: bearer s3cret-token"),
        "{heads:?}"
    );
    let anonymous = ResilientClient::builder()
        .endpoint(&server.url)
        .bearer_token(None::<String>)
        .build()
        .unwrap();
    assert_eq!(anonymous.call::<u64, _>("eth_blockNumber", ()).await, Ok(1));
    assert!(!server.heads()[1].contains("authorization"));
}

#[test]
fn the_client_and_its_futures_can_cross_threads() {
    fn assert_send_sync<T: Send + Sync + Clone>(_: &T) {}
    fn assert_send<T: Send>(_: T) {}
    let c = ResilientClient::builder()
        .endpoint("http://127.0.0.1:1")
        .build()
        .unwrap();
    assert_send_sync(&c);
    assert_send(c.call::<u64, _>("eth_blockNumber", ()));
    assert_send(c.batch::<u64, ()>(&[]));
    assert_send(jsonrpsee::core::client::ClientT::request::<u64, _>(
        &c,
        "eth_blockNumber",
        jsonrpsee::rpc_params![],
    ));
}
