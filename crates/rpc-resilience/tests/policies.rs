//! The ready-made policies as data: which calls each idempotency policy calls replay-safe,
//! and how a code classifier judges errors.

use std::time::Duration;

use rpc_resilience::{
    CodeClassifier, DefaultIdempotency, IdempotencyPolicy, ReplaySafeMethods, RetryClassifier,
    RetryDecision, RpcError, SignedTransactions,
};
use serde_json::json;

fn rpc(code: i32) -> RpcError {
    RpcError::Rpc {
        code,
        message: String::new(),
        data: None,
    }
}

#[track_caller]
fn check_idempotent(policy: &dyn IdempotencyPolicy, cases: &[(&str, bool)]) {
    let got: Vec<(&str, bool)> = cases
        .iter()
        .map(|&(method, _)| (method, policy.is_idempotent(method, Some("[]"))))
        .collect();
    assert_eq!(got, cases, "{policy:?}");
}

#[test]
fn the_default_policy_replays_only_standard_reads() {
    check_idempotent(
        &DefaultIdempotency,
        &[
            ("eth_blockNumber", true),
            ("eth_getBalance", true),
            ("eth_call", true),
            ("eth_getTransactionReceipt", true),
            ("net_version", true),
            ("web3_clientVersion", true),
            ("eth_sendTransaction", false),
            ("eth_sendRawTransaction", false),
            ("eth_getFilterChanges", false),
            ("eth_newFilter", false),
            ("eth_notAMethod", false),
            ("app_write", false),
        ],
    );
}

#[test]
fn signed_transactions_are_replay_safe_once_the_caller_opts_in() {
    check_idempotent(
        &DefaultIdempotency.or(SignedTransactions),
        &[
            ("eth_sendRawTransaction", true),
            ("eth_blockNumber", true),
            ("eth_sendTransaction", false),
        ],
    );
}

#[test]
fn methods_the_caller_names_join_the_standard_reads() {
    check_idempotent(
        &DefaultIdempotency.or(ReplaySafeMethods::new(["app_write", "app_read"])),
        &[
            ("app_write", true),
            ("app_read", true),
            ("eth_chainId", true),
            ("app_other", false),
        ],
    );
}

#[test]
fn a_code_classifier_adds_final_and_rate_limit_codes_to_the_defaults() {
    let classifier = CodeClassifier::new()
        .final_codes([-32041])
        .rate_limited(-32050, Some("wait_ms"));
    let with_data = |code, data| RpcError::Rpc {
        code,
        message: String::new(),
        data: Some(data),
    };
    let cases = [
        (rpc(-32041), RetryDecision::DoNotRetry, true),
        (rpc(-32602), RetryDecision::DoNotRetry, true),
        (rpc(-32000), RetryDecision::Retry, true),
        (
            with_data(-32050, json!({"wait_ms": 1500})),
            RetryDecision::RateLimited {
                retry_after: Some(Duration::from_millis(1500)),
            },
            false,
        ),
        (
            with_data(-32050, json!({"other": 1})),
            RetryDecision::RateLimited { retry_after: None },
            false,
        ),
        (
            RpcError::RateLimited { retry_after: None },
            RetryDecision::RateLimited { retry_after: None },
            false,
        ),
    ];
    for (error, decision, may_have_run) in cases {
        let got = (
            classifier.classify(&error),
            classifier.may_have_reached_server(&error),
        );
        assert_eq!(got, (decision, may_have_run), "{error:?}");
    }
}
