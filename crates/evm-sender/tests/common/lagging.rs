//! A JSON-RPC server on 127.0.0.1 in front of a real anvil that shows each receipt `lag`
//! after anvil first has it, as anvil itself briefly does (its `latest` nonce moves a moment
//! before the receipt is stored), here for long enough to observe every time; and, with
//! `zero_hashes`, answers every block hash as zero (blocks and receipts), as the Luxtensor
//! node does.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use jsonrpsee::server::{RpcModule, Server, ServerHandle};
use jsonrpsee::types::ErrorObjectOwned;
use rpc_resilience::{ResilientClient, RpcError};
use serde_json::Value;

/// The calls the sender makes, all passed on to anvil.
pub const METHODS: &[&str] = &[
    "eth_chainId",
    "eth_blockNumber",
    "eth_getTransactionCount",
    "eth_gasPrice",
    "eth_estimateGas",
    "eth_call",
    "eth_sendRawTransaction",
    "eth_getTransactionReceipt",
    "eth_getBlockByNumber",
    "eth_getTransactionByHash",
];

struct State {
    anvil: ResilientClient,
    lag: Duration,
    zero_hashes: bool,
    /// When anvil first answered each receipt (by transaction hash).
    seen: Mutex<HashMap<String, Instant>>,
}

/// The server, stopped on drop.
pub struct LaggingReceipts {
    pub url: String,
    handle: ServerHandle,
}

impl LaggingReceipts {
    pub async fn start(anvil_url: &str, lag: Duration) -> LaggingReceipts {
        LaggingReceipts::start_with(anvil_url, lag, false).await
    }

    /// [`LaggingReceipts::start`], every block hash zero when `zero_hashes`.
    pub async fn start_with(anvil_url: &str, lag: Duration, zero_hashes: bool) -> LaggingReceipts {
        let state = State {
            anvil: super::client(anvil_url),
            lag,
            zero_hashes,
            seen: Mutex::default(),
        };
        let mut module = RpcModule::new(state);
        for &method in METHODS {
            module
                .register_async_method(method, move |params, state, _| async move {
                    let params: Value = params.parse().unwrap_or(Value::Array(Vec::new()));
                    let mut answer: Value = state
                        .anvil
                        .call(method, params.clone())
                        .await
                        .map_err(error_object)?;
                    if state.zero_hashes {
                        for field in ["hash", "blockHash", "parentHash"] {
                            if let Some(hash) = answer.get_mut(field).filter(|v| !v.is_null()) {
                                *hash = Value::String(format!("0x{}", "0".repeat(64)));
                            }
                        }
                    }
                    if method != "eth_getTransactionReceipt" || answer.is_null() {
                        return Ok::<_, ErrorObjectOwned>(answer);
                    }
                    let first = *state
                        .seen
                        .lock()
                        .unwrap()
                        .entry(params.to_string())
                        .or_insert_with(Instant::now);
                    Ok(if first.elapsed() < state.lag {
                        Value::Null
                    } else {
                        answer
                    })
                })
                .unwrap();
        }
        let server = Server::builder().build("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", server.local_addr().unwrap());
        let handle = server.start(module);
        LaggingReceipts { url, handle }
    }
}

impl Drop for LaggingReceipts {
    fn drop(&mut self) {
        let _ = self.handle.stop();
    }
}

/// Anvil's error answer, passed on as it was.
pub fn error_object(error: RpcError) -> ErrorObjectOwned {
    match error {
        RpcError::Rpc {
            code,
            message,
            data,
        } => ErrorObjectOwned::owned(code, message, data),
        other => ErrorObjectOwned::owned(-32603, other.to_string(), None::<()>),
    }
}
