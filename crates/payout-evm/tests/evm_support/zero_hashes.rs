//! A JSON-RPC server on 127.0.0.1 in front of a real anvil that behaves as the Luxtensor
//! node does with block hashes and receipts: every block hash it answers is zero (blocks,
//! receipts, logs), and, once armed, it keeps the next raw transaction from anvil, uses
//! its nonce (`anvil_setNonce`, one block mined) and answers a made-up receipt for it:
//! status 1, the head's number, a zero block hash, no logs. So a nonce is used by a
//! transaction that did nothing, and its receipt says it succeeded.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use alloy_primitives::{hex, keccak256, B256};
use jsonrpsee::server::{RpcModule, Server, ServerHandle};
use jsonrpsee::types::ErrorObjectOwned;
use rpc_resilience::{ResilientClient, RpcError};
use serde_json::{json, Value};

/// The calls the backend makes, passed on to anvil (hashes rewritten).
const METHODS: &[&str] = &[
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
    "eth_getLogs",
    "eth_getBalance",
    "eth_getCode",
];

struct State {
    anvil: ResilientClient,
    sender: String,
    armed: Arc<AtomicBool>,
    /// The transactions kept from anvil (by hash).
    kept: Mutex<HashSet<B256>>,
}

/// The server, stopped on drop.
pub struct ZeroHashes {
    pub url: String,
    /// Set: the next raw transaction is kept from anvil and its nonce used (once).
    pub armed: Arc<AtomicBool>,
    handle: ServerHandle,
}

impl ZeroHashes {
    /// In front of `anvil` (its client), for the transactions of `sender`.
    pub async fn start(anvil: ResilientClient, sender: &str) -> ZeroHashes {
        let armed = Arc::new(AtomicBool::new(false));
        let state = State {
            anvil,
            sender: sender.to_string(),
            armed: armed.clone(),
            kept: Mutex::default(),
        };
        let mut module = RpcModule::new(state);
        for &method in METHODS {
            module
                .register_async_method(method, move |params, state, _| async move {
                    let params: Value = params.parse().unwrap_or(Value::Array(Vec::new()));
                    answer(&state, method, params).await
                })
                .unwrap();
        }
        let server = Server::builder().build("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", server.local_addr().unwrap());
        let handle = server.start(module);
        ZeroHashes { url, armed, handle }
    }
}

impl Drop for ZeroHashes {
    fn drop(&mut self) {
        let _ = self.handle.stop();
    }
}

async fn answer(state: &State, method: &str, params: Value) -> Result<Value, ErrorObjectOwned> {
    let anvil = |method: &'static str, params: Value| async move {
        state
            .anvil
            .call::<Value, _>(method, params)
            .await
            .map_err(error_object)
    };
    match method {
        "eth_sendRawTransaction" if state.armed.swap(false, Ordering::SeqCst) => {
            let raw = hex::decode(params[0].as_str().unwrap_or_default()).unwrap_or_default();
            let hash = keccak256(&raw);
            state.kept.lock().unwrap().insert(hash);
            let nonce = anvil("eth_getTransactionCount", json!([state.sender, "latest"])).await?;
            let next = u64::from_str_radix(nonce.as_str().unwrap().trim_start_matches("0x"), 16)
                .unwrap()
                + 1;
            anvil(
                "anvil_setNonce",
                json!([state.sender, format!("{next:#x}")]),
            )
            .await?;
            anvil("evm_mine", json!([])).await?;
            Ok(json!(hash.to_string()))
        }
        "eth_getTransactionReceipt" => {
            let hash: B256 = params[0]
                .as_str()
                .unwrap_or_default()
                .parse()
                .unwrap_or_default();
            if state.kept.lock().unwrap().contains(&hash) {
                let head = anvil("eth_blockNumber", json!([])).await?;
                return Ok(json!({
                    "transactionHash": hash.to_string(),
                    "blockNumber": head,
                    "blockHash": B256::ZERO.to_string(),
                    "status": "0x1",
                    "gasUsed": "0x5208",
                    "logs": [],
                    "contractAddress": null,
                }));
            }
            let mut receipt = forward(state, method, params).await?;
            zero(&mut receipt, "blockHash");
            if let Some(logs) = receipt.get_mut("logs").and_then(Value::as_array_mut) {
                logs.iter_mut().for_each(|log| zero(log, "blockHash"));
            }
            Ok(receipt)
        }
        "eth_getBlockByNumber" => {
            let mut block = forward(state, method, params).await?;
            zero(&mut block, "hash");
            zero(&mut block, "parentHash");
            Ok(block)
        }
        "eth_getLogs" => {
            let mut logs = forward(state, method, params).await?;
            if let Some(list) = logs.as_array_mut() {
                list.iter_mut().for_each(|log| zero(log, "blockHash"));
            }
            Ok(logs)
        }
        _ => forward(state, method, params).await,
    }
}

async fn forward(state: &State, method: &str, params: Value) -> Result<Value, ErrorObjectOwned> {
    state
        .anvil
        .call::<Value, _>(method, params)
        .await
        .map_err(error_object)
}

/// `value[field]` set to the zero hash when it holds a value.
fn zero(value: &mut Value, field: &str) {
    if let Some(hash) = value.get_mut(field).filter(|v| !v.is_null()) {
        *hash = json!(B256::ZERO.to_string());
    }
}

/// Anvil's error answer, passed on as it was.
fn error_object(error: RpcError) -> ErrorObjectOwned {
    match error {
        RpcError::Rpc {
            code,
            message,
            data,
        } => ErrorObjectOwned::owned(code, message, data),
        other => ErrorObjectOwned::owned(-32603, other.to_string(), None::<()>),
    }
}
