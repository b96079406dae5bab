//! One retry rule for single calls and batches: every case of one table, run as a call and as
//! a batch of one item against a real server on tokio's paused clock, ends the same way.

use crate::support;

use std::time::Duration;

use rpc_resilience::{
    DefaultIdempotency, IdempotencyPolicy, ReplaySafeMethods, ResilientClient, RpcError,
    SignedTransactions,
};
use serde_json::{json, Value};
use support::{
    app_classifier, builder, dead_url, exact_config, Scripted, Step, APP_FINAL, APP_RATE_LIMITED,
};
use tokio::time::Instant;

/// One case: a method, what the server does, whether a dead endpoint comes first, and the
/// expected (result, server hits, virtual time).
struct Case {
    method: &'static str,
    script: Vec<Step>,
    dead_first: bool,
    result: Result<Value, RpcError>,
    hits: u32,
    elapsed_ms: u64,
}

type Outcome = (Result<Value, RpcError>, u32, Duration);

/// Replay-safe: the standard reads, signed transactions and `app_write`; the made-up
/// protocol's final and rate-limit codes.
fn client(server: &Scripted, dead_first: bool) -> ResilientClient {
    let dead = dead_url();
    let urls: Vec<&str> = match dead_first {
        true => vec![&dead, &server.url],
        false => vec![&server.url],
    };
    let policy = DefaultIdempotency
        .or(SignedTransactions)
        .or(ReplaySafeMethods::new(["app_write"]));
    builder(&urls, exact_config())
        .idempotency(policy)
        .classifier(app_classifier())
        .build()
        .unwrap()
}

async fn as_call(case: &Case) -> Outcome {
    let server = Scripted::start(case.script.clone()).await;
    let c = client(&server, case.dead_first);
    let start = Instant::now();
    let result = c.call::<Value, _>(case.method, json!([])).await;
    (result, server.hits(), start.elapsed())
}

async fn as_batch_item(case: &Case) -> Outcome {
    let server = Scripted::start(case.script.clone()).await;
    let c = client(&server, case.dead_first);
    let start = Instant::now();
    let mut results = c
        .batch::<Value, _>(&[(case.method, json!([]))])
        .await
        .unwrap();
    assert_eq!(results.len(), 1);
    (results.remove(0), server.hits(), start.elapsed())
}

#[track_caller]
fn check(case: &Case, call: Outcome, batch: Outcome) {
    let expected = (
        case.result.clone(),
        case.hits,
        Duration::from_millis(case.elapsed_ms),
    );
    assert_eq!(call, expected, "{} as a call", case.method);
    assert_eq!(batch, expected, "{} as a batch item", case.method);
}

fn rpc(code: i32) -> RpcError {
    RpcError::Rpc {
        code,
        message: "scripted error".into(),
        data: None,
    }
}

fn late() -> Step {
    Step::Slow(Duration::from_secs(60), json!("late"))
}

fn timed_out() -> RpcError {
    RpcError::Timeout {
        after: Duration::from_secs(30),
    }
}

fn cases() -> Vec<Case> {
    let case = |method, script, result, hits, elapsed_ms| Case {
        method,
        script,
        dead_first: false,
        result,
        hits,
        elapsed_ms,
    };
    vec![
        // A read is resent after a server error and after a timeout.
        case(
            "eth_blockNumber",
            vec![Step::Err(-32603, None), Step::Ok(json!(1))],
            Ok(json!(1)),
            2,
            1_000,
        ),
        case(
            "eth_getBalance",
            vec![late(), Step::Ok(json!(2))],
            Ok(json!(2)),
            2,
            31_000,
        ),
        // A read that keeps failing uses its three attempts (1 s, then 2 s between them).
        case(
            "eth_blockNumber",
            vec![Step::Err(-32603, None)],
            Err(rpc(-32603)),
            3,
            3_000,
        ),
        // eth_sendTransaction may have run: never resent.
        case(
            "eth_sendTransaction",
            vec![late(), Step::Ok(json!("0xhash"))],
            Err(timed_out()),
            1,
            30_000,
        ),
        case(
            "eth_sendTransaction",
            vec![Step::Err(-32603, None), Step::Ok(json!("0xhash"))],
            Err(rpc(-32603)),
            1,
            0,
        ),
        // Replay-safe by the caller's policy: resent.
        case(
            "eth_sendRawTransaction",
            vec![late(), Step::Ok(json!("0xhash"))],
            Ok(json!("0xhash")),
            2,
            31_000,
        ),
        case(
            "app_write",
            vec![Step::Err(-32603, None), Step::Ok(json!("done"))],
            Ok(json!("done")),
            2,
            1_000,
        ),
        // Final codes, standard or the caller's: answered once.
        case(
            "eth_blockNumber",
            vec![Step::Err(APP_FINAL, None), Step::Ok(json!(1))],
            Err(rpc(APP_FINAL)),
            1,
            0,
        ),
        case(
            "app_write",
            vec![Step::Err(-32602, None), Step::Ok(json!("done"))],
            Err(rpc(-32602)),
            1,
            0,
        ),
        // Rate limited by the caller's code: not executed, so even a send is resent, after
        // the delay the server asked for.
        case(
            "eth_sendTransaction",
            vec![
                Step::Err(APP_RATE_LIMITED, Some(json!({"wait_ms": 4_000}))),
                Step::Ok(json!("0xhash")),
            ],
            Ok(json!("0xhash")),
            2,
            4_000,
        ),
        // A connect error sent nothing: even a send goes to the next endpoint.
        Case {
            dead_first: true,
            ..case(
                "eth_sendTransaction",
                vec![Step::Ok(json!("0xhash"))],
                Ok(json!("0xhash")),
                1,
                1_000,
            )
        },
    ]
}

#[tokio::test(start_paused = true)]
async fn batches_and_single_calls_follow_the_same_retry_rule() {
    for case in cases() {
        let call = as_call(&case).await;
        let batch = as_batch_item(&case).await;
        check(&case, call, batch);
    }
}
