//! One call through a client against a scripted server, and the check of its outcome:
//! (result, server hits, virtual time taken).

use std::time::Duration;

use rpc_resilience::{ResilienceConfig, ResilientClientBuilder, RpcError};
use serde_json::{json, Value};
use tokio::time::Instant;

use super::{builder, Scripted};

/// `eth_sendTransaction` params: the node signs and picks the nonce.
pub fn send_transaction() -> Value {
    json!([{"from": "0x01", "to": "0x02", "value": "0x10"}])
}

/// Calls `method` once and reports (result, server hits, virtual time taken).
pub async fn call(
    server: &Scripted,
    config: ResilienceConfig,
    method: &str,
    params: Value,
) -> (Result<Value, RpcError>, u32, Duration) {
    call_through(builder(&[&server.url], config), server, method, params).await
}

/// Like [`call`], through a client built by `builder` (its own policy or classifier).
pub async fn call_through(
    builder: ResilientClientBuilder,
    server: &Scripted,
    method: &str,
    params: Value,
) -> (Result<Value, RpcError>, u32, Duration) {
    let c = builder.build().unwrap();
    let start = Instant::now();
    let result = c.call::<Value, _>(method, params).await;
    (result, server.hits(), start.elapsed())
}

#[track_caller]
pub fn check(
    outcome: (Result<Value, RpcError>, u32, Duration),
    result: Result<Value, RpcError>,
    hits: u32,
    elapsed_ms: u64,
) {
    assert_eq!(outcome.0, result);
    assert_eq!(outcome.1, hits, "server hits");
    assert_eq!(outcome.2, Duration::from_millis(elapsed_ms), "virtual time");
}

pub fn rpc(code: i32) -> RpcError {
    RpcError::Rpc {
        code,
        message: "scripted error".into(),
        data: None,
    }
}
