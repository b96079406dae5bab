//! Typed `#[rpc(client)]` traits run through the ResilientClient (it implements `ClientT`).

use crate::support;

use jsonrpsee::core::client::{ClientT, Error};
use jsonrpsee::proc_macros::rpc;
use jsonrpsee::rpc_params;
use rpc_resilience::{ResilienceConfig, RpcError};
use support::{client, dead_url, exact_config, hex, Scripted, Step};

/// The slice of a node's API these tests use.
#[rpc(client)]
trait Node {
    /// The head block number.
    #[method(name = "eth_blockNumber")]
    async fn block_number(&self) -> jsonrpsee::core::RpcResult<String>;

    /// An account's balance.
    #[method(name = "eth_getBalance")]
    async fn balance(&self, address: String, tag: String) -> jsonrpsee::core::RpcResult<String>;
}

#[tokio::test(start_paused = true)]
async fn a_typed_rpc_client_trait_runs_through_the_resilient_client() {
    let server = Scripted::start(vec![Step::Err(-32603, None), Step::Ok(hex(42))]).await;
    let c = client(&[&server.url], exact_config());
    assert_eq!(c.block_number().await.unwrap(), "0x2a");
    assert_eq!(server.hits(), 2, "the first failure was retried");
}

#[tokio::test(start_paused = true)]
async fn a_json_rpc_error_comes_back_as_a_call_error() {
    let server = Scripted::start(vec![Step::Err(-32602, None)]).await;
    let c = client(&[&server.url], exact_config());
    match c.balance("0x01".into(), "latest".into()).await {
        Err(Error::Call(object)) => assert_eq!(object.code(), -32602),
        other => panic!("expected a call error, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn other_failures_come_back_as_transport_errors_holding_the_rpc_error() {
    let c = client(
        &[&dead_url()],
        ResilienceConfig {
            max_attempts: 1,
            ..exact_config()
        },
    );
    match c.block_number().await {
        Err(Error::Transport(inner)) => {
            let error = inner
                .downcast_ref::<RpcError>()
                .expect("an RpcError inside");
            assert!(matches!(error, RpcError::Connect { .. }), "{error:?}");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_timeout_comes_back_as_request_timeout() {
    let server =
        Scripted::start(vec![Step::Slow(std::time::Duration::from_secs(60), hex(1))]).await;
    let c = client(
        &[&server.url],
        ResilienceConfig {
            max_attempts: 1,
            ..exact_config()
        },
    );
    assert!(matches!(c.block_number().await, Err(Error::RequestTimeout)));
}

#[tokio::test(start_paused = true)]
async fn notifications_are_sent_once() {
    let server = Scripted::start(vec![Step::Ok(hex(1))]).await;
    let c = client(&[&server.url], exact_config());
    c.notification("scripted", rpc_params![]).await.unwrap();
    let dead = client(
        &[&dead_url()],
        ResilienceConfig {
            max_attempts: 1,
            ..exact_config()
        },
    );
    assert!(dead.notification("scripted", rpc_params![]).await.is_err());
}
