//! What the tests share: a stand-in over a fresh anvil, plain JSON-RPC over HTTP/1 (hyper,
//! no timers: a paused clock stays put while anvil answers), and legacy transactions
//! signed with anvil's dev key.

#![allow(dead_code)]

use alloy_consensus::{SignableTransaction, TxLegacy};
use alloy_eips::eip2718::Encodable2718;
use alloy_primitives::{hex, Address, Bytes, Signature, TxKind, U256};
use evm_sender::anvil::{AnvilConfig, DEV_ADDRESS, DEV_KEY};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes as Body;
use hyper::{Request, StatusCode, Uri};
use hyper_util::rt::TokioIo;
use k256::ecdsa::SigningKey;
use node_standin::{NodeStandIn, StandInConfig, GWEI};
use serde_json::{json, Value};
use tokio::net::TcpStream;

/// The dev account, the sender of every test transaction, as `0x` hex.
pub(crate) fn sender() -> String {
    format!("{DEV_ADDRESS:#x}")
}

/// A recipient of value transfers.
pub(crate) const RECIPIENT: Address = Address::repeat_byte(0x42);

/// Half a gwei: below the pool's minimum.
pub(crate) const GWEI_HALF: u128 = GWEI / 2;

/// Init code that reverts at once (`PUSH1 0 PUSH1 0 REVERT`): a creation that reverts.
pub(crate) const REVERTING_INIT_CODE: &str = "0x60006000fd";

/// The stand-in with `config` over a fresh automining anvil.
pub(crate) async fn stand_in(config: StandInConfig) -> NodeStandIn {
    NodeStandIn::start(config).await.unwrap()
}

/// The stand-in with `config` over a fresh anvil that mines only on `evm_mine`.
pub(crate) async fn stand_in_no_mining(config: StandInConfig) -> NodeStandIn {
    let anvil = AnvilConfig {
        no_mining: true,
        ..AnvilConfig::default()
    };
    NodeStandIn::start_with(config, &anvil).await.unwrap()
}

/// One HTTP POST: status, `Retry-After` if any, body as JSON.
pub(crate) async fn post(url: &str, body: &Value) -> (StatusCode, Option<String>, Value) {
    let uri: Uri = url.parse().unwrap();
    let authority = uri.authority().unwrap().to_string();
    let stream = TcpStream::connect(&authority).await.unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(connection);
    let request = Request::post(uri)
        .header("host", authority)
        .header("content-type", "application/json")
        .body(Full::new(Body::from(body.to_string())))
        .unwrap();
    let response = sender.send_request(request).await.unwrap();
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, retry_after, serde_json::from_slice(&body).unwrap())
}

/// A call's whole response object (`result` or `error`).
pub(crate) async fn answer(url: &str, method: &str, params: Value) -> Value {
    let call = json!({"jsonrpc": "2.0", "id": 7, "method": method, "params": params});
    let (status, _, body) = post(url, &call).await;
    assert_eq!(status, StatusCode::OK, "{method}: {body}");
    body
}

/// A call's `result`; panics on an error.
pub(crate) async fn call(url: &str, method: &str, params: Value) -> Value {
    let body = answer(url, method, params).await;
    match body.get("result") {
        Some(result) => result.clone(),
        None => panic!("{method}: {body}"),
    }
}

/// A quantity result as a `u64`.
pub(crate) async fn quantity(url: &str, method: &str, params: Value) -> u64 {
    let result = call(url, method, params).await;
    u64::from_str_radix(result.as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
}

/// The dev account's nonce at `tag`.
pub(crate) async fn nonce(url: &str, tag: &str) -> u64 {
    quantity(url, "eth_getTransactionCount", json!([sender(), tag])).await
}

/// Mines one block on anvil (behind the stand-in).
pub(crate) async fn mine(stand_in: &NodeStandIn) {
    call(stand_in.node_url(), "evm_mine", json!([])).await;
}

/// A legacy transaction of the dev key, as built by [`tx`].
#[derive(Debug, Clone)]
pub(crate) struct Tx {
    pub(crate) nonce: u64,
    pub(crate) gas_limit: u64,
    pub(crate) gas_price: u128,
    pub(crate) to: Option<Address>,
    pub(crate) data: Vec<u8>,
}

/// 1 wei to [`RECIPIENT`] at `nonce`: 21,000 gas at 2 gwei.
pub(crate) fn tx(nonce: u64) -> Tx {
    Tx {
        nonce,
        gas_limit: 21_000,
        gas_price: 2 * GWEI,
        to: Some(RECIPIENT),
        data: Vec::new(),
    }
}

impl Tx {
    /// Signed with the dev key (chain 31337): raw bytes as `0x` hex.
    pub(crate) fn raw(&self) -> String {
        let tx = TxLegacy {
            chain_id: Some(evm_sender::anvil::CHAIN_ID),
            nonce: self.nonce,
            gas_price: self.gas_price,
            gas_limit: self.gas_limit,
            to: self.to.map_or(TxKind::Create, TxKind::Call),
            value: U256::from(1),
            input: Bytes::from(self.data.clone()),
        };
        let key = SigningKey::from_slice(&hex::decode(DEV_KEY).unwrap()).unwrap();
        let signature: Signature = key
            .sign_prehash_recoverable(tx.signature_hash().as_slice())
            .unwrap()
            .into();
        format!(
            "0x{}",
            hex::encode(tx.into_signed(signature).encoded_2718())
        )
    }
}

/// `eth_sendRawTransaction`'s whole response.
pub(crate) async fn send(url: &str, tx: &Tx) -> Value {
    answer(url, "eth_sendRawTransaction", json!([tx.raw()])).await
}

/// `eth_sendRawTransaction`'s hash; panics on an error.
pub(crate) async fn sent(url: &str, tx: &Tx) -> String {
    let body = send(url, tx).await;
    match body.get("result").and_then(Value::as_str) {
        Some(hash) => hash.to_string(),
        None => panic!("send: {body}"),
    }
}

/// The JSON-RPC error code of a response object, if it is an error.
pub(crate) fn error_code(body: &Value) -> Option<i64> {
    body.pointer("/error/code").and_then(Value::as_i64)
}

/// The JSON-RPC error message of a response object ("" if none).
pub(crate) fn error_message(body: &Value) -> String {
    body.pointer("/error/message")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

#[track_caller]
pub(crate) fn check<T: PartialEq + std::fmt::Debug>(got: T, want: T) {
    assert_eq!(got, want);
}

/// The receipt of `hash` read through `url`, once anvil has one: automine mines a moment
/// after the send returns. Real time: not for tests with a paused clock.
pub(crate) async fn receipt_once_mined(url: &str, hash: &str) -> Value {
    for _ in 0..500 {
        let receipt = call(url, "eth_getTransactionReceipt", json!([hash])).await;
        if !receipt.is_null() {
            return receipt;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("{hash}: no receipt after 5 s");
}
