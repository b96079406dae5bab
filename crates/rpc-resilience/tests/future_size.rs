//! A call's future stays small: jsonrpsee's request future (a few KiB) is boxed at the
//! endpoint, so the layers above it (limit, retry, breaker) and every caller move a small
//! future. Unboxed, a call's future was 10 KiB, copied several times per call.

use std::mem::size_of_val;

use jsonrpsee::core::client::ClientT;
use jsonrpsee::rpc_params;
use rpc_resilience::ResilientClient;

/// The most a call's future may take, in bytes.
const MAX_BYTES: usize = 2048;

#[track_caller]
fn check(what: &str, bytes: usize) {
    assert!(bytes <= MAX_BYTES, "{what}: {bytes} bytes");
}

#[tokio::test]
async fn a_calls_future_takes_at_most_2_kib() {
    let client = ResilientClient::builder()
        .endpoint("http://127.0.0.1:1")
        .build()
        .unwrap();
    check("call", size_of_val(&client.call::<String, _>("m", ())));
    let request = ClientT::request::<String, _>(&client, "m", rpc_params![]);
    check("ClientT::request", size_of_val(&request));
    check(
        "batch",
        size_of_val(&client.batch::<String, ()>(&[("m", ())])),
    );
}
