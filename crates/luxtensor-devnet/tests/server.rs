//! Starting and stopping the node: loopback only, clear errors for a busy port,
//! a bad ledger path, a ledger file held by another devnet, a ledger above its
//! cap and a token that can never authenticate, and what the handle exposes.

use crate::support;

use std::net::SocketAddr;
use std::time::Duration;

use luxtensor_devnet::{Devnet, DevnetConfig, DevnetError, FaultConfig, Ledger, LedgerPath};
use serde_json::{json, Value};
use support::{addr, start};

/// Checks that a start failed, with a message mentioning `mentions`, and whether a retry could help.
#[track_caller]
fn check(outcome: Result<(), DevnetError>, retryable: bool, mentions: &str) {
    let error = outcome.expect_err("start must fail");
    assert_eq!(error.is_retryable(), retryable, "{error}");
    assert!(error.to_string().contains(mentions), "{error}");
}

async fn try_start(config: DevnetConfig) -> Result<(), DevnetError> {
    Devnet::start(config).await.map(|_| ())
}

#[tokio::test]
async fn a_non_loopback_address_is_refused_before_binding() {
    let config = DevnetConfig {
        addr: SocketAddr::from(([0, 0, 0, 0], 0)),
        ..DevnetConfig::default()
    };
    check(try_start(config).await, false, "loopback");
}

#[tokio::test]
async fn a_busy_port_is_a_bind_error() {
    let (devnet, _rpc) = start(|_| {}).await;
    let config = DevnetConfig {
        addr: devnet.addr(),
        ..DevnetConfig::default()
    };
    check(try_start(config).await, false, "cannot listen");
}

#[tokio::test]
async fn an_unopenable_ledger_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("missing-dir").join("ledger.sqlite");
    let config = DevnetConfig {
        ledger: LedgerPath::File(file.clone()),
        ..DevnetConfig::default()
    };
    // Its lock file, next to it, is the first thing that cannot be created.
    let expected = format!("cannot lock the ledger with {}.lock", file.display());
    check(try_start(config).await, false, &expected);
}

#[tokio::test]
async fn a_second_devnet_on_the_same_ledger_file_is_refused_naming_the_holder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("devnet.sqlite");
    let config = DevnetConfig {
        ledger: LedgerPath::File(file.clone()),
        ..DevnetConfig::default()
    };
    let first = Devnet::start(config.clone()).await.expect("first starts");
    let expected = format!(
        "ledger {} is in use by another devnet (pid {}); it holds {}.lock",
        file.display(),
        std::process::id(),
        file.display()
    );
    check(try_start(config).await, false, &expected);
    assert_eq!(first.total_supply(), 0, "the first devnet is untouched");
    first.shutdown().await;
}

#[tokio::test]
async fn a_ledger_file_is_free_again_once_its_devnet_stops() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ledger = LedgerPath::File(dir.path().join("devnet.sqlite"));
    let (first, rpc) = start(|c| c.ledger = ledger.clone()).await;
    rpc.mint(&addr(1), 5, None).await;
    first.shutdown().await;
    let config = DevnetConfig {
        ledger,
        ..DevnetConfig::default()
    };
    let second = Devnet::start(config).await.expect("second starts");
    assert_eq!(second.total_supply(), 5);
    second.shutdown().await;
}

#[tokio::test]
async fn a_ledger_above_the_max_supply_is_refused_naming_both_in_mdt() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ledger = LedgerPath::File(dir.path().join("devnet.sqlite"));
    let mdt = 10u128.pow(18);
    Ledger::open(&ledger, 2 * mdt, 1337)
        .expect("opens")
        .mint(&addr(1), 3 * mdt / 2, None)
        .expect("mint 1.5 MDT");
    let config = DevnetConfig {
        ledger,
        max_supply: mdt,
        ..DevnetConfig::default()
    };
    check(
        try_start(config).await,
        false,
        "ledger total supply 1.5 MDT is above the max supply 1 MDT",
    );
}

#[tokio::test]
async fn a_token_that_can_never_authenticate_is_refused_at_start() {
    for (token, reason) in [
        ("", "must not be empty"),
        (" padded ", "must not contain whitespace"),
        ("two words", "must not contain whitespace"),
        ("bell\u{7}", "must not contain control characters"),
        ("tökén", "must be visible ASCII characters only"),
    ] {
        let config = DevnetConfig {
            token: token.into(),
            ..DevnetConfig::default()
        };
        check(
            try_start(config).await,
            false,
            &format!("invalid devnet token: {reason}"),
        );
    }
}

#[tokio::test]
async fn the_ipv6_loopback_is_accepted() {
    let config = DevnetConfig {
        addr: "[::1]:0".parse().expect("address"),
        ..DevnetConfig::default()
    };
    // Machines without IPv6 cannot bind ::1; only the loopback rule is under test.
    match Devnet::start(config).await {
        Ok(devnet) => {
            assert!(devnet.url().starts_with("http://[::1]:"));
            devnet.shutdown().await;
        }
        Err(error) => assert!(matches!(error, DevnetError::Bind { .. }), "{error}"),
    }
}

#[tokio::test]
async fn the_handle_reads_the_same_ledger_as_http() {
    let (devnet, rpc) = start(|_| {}).await;
    rpc.mint(&addr(3), 42, None).await;
    assert_eq!(devnet.balance(&addr(3)).expect("balance"), 42);
    assert_eq!(devnet.total_supply(), 42);
    assert_eq!(devnet.ledger().block_number(), 1);
}

#[tokio::test]
async fn set_faults_is_what_faults_reports() {
    let (devnet, _rpc) = start(|_| {}).await;
    let faults = FaultConfig {
        seed: 9,
        late_rate: 0.25,
        late: Duration::from_millis(200),
        ..FaultConfig::default()
    };
    devnet.set_faults(faults);
    assert_eq!(devnet.faults(), faults);
}

#[tokio::test]
async fn a_notification_gets_no_answer_and_applies_nothing() {
    let (_devnet, rpc) = start(|_| {}).await;
    let notification =
        json!({"jsonrpc": "2.0", "method": "luxtensor_mint", "params": [addr(1), "0x1"]});
    let reply = rpc.post(&notification).await.expect("an answer");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, Value::Null);
    assert_eq!(rpc.total_supply().await, 0);
}

#[tokio::test]
async fn after_shutdown_the_port_refuses_connections() {
    let (devnet, rpc) = start(|_| {}).await;
    devnet.shutdown().await;
    assert!(rpc
        .post(&json!({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"}))
        .await
        .is_err());
}

#[test]
fn only_rate_limits_are_retryable_among_request_errors() {
    let cases = [
        (DevnetError::RateLimited { retry_after_ms: 5 }, true, -32005),
        (DevnetError::Unauthorized, false, -32004),
        (
            DevnetError::IdempotencyConflict { key: "k".into() },
            false,
            -32003,
        ),
        (DevnetError::CorruptLedger("x".into()), false, -32603),
    ];
    for (error, retryable, code) in cases {
        assert_eq!(error.is_retryable(), retryable, "{error}");
        assert_eq!(error.rpc_code(), code, "{error}");
        assert_eq!(error.to_rpc_error().code(), code, "{error}");
    }
}
