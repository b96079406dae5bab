//! The Ethereum JSON-RPC calls the sender makes, typed, over [`ResilientClient`].
//!
//! Every call here is replay-safe: reads, and `eth_sendRawTransaction` of bytes already
//! journaled (a replay is the same transaction: the node answers "already known" or mines it
//! once). `replay_safe()` is the one place that tells the client so.

use alloy_primitives::{hex, Address, Bytes, B256};
use rpc_resilience::{
    CallOptions, DefaultClassifier, ResilientClient, RetryClassifier, RetryDecision, RpcError,
};
use serde_json::{json, Value};

use crate::{Error, Result, TxRequest};

/// Node answers to `eth_sendRawTransaction` that mean "look at the chain", not failure
/// (matched lowercase, as substrings).
pub const LOOK_AT_CHAIN: &[&str] = &[
    "nonce too low",
    "already known",
    "already imported",
    "known transaction",
    "already pending",
    "replacement transaction underpriced",
];

/// The per-call options for the sender's calls: all are replay-safe (see the module doc).
/// Change this one line if the client's idempotency API changes.
fn replay_safe() -> CallOptions {
    CallOptions {
        idempotent: Some(true),
        ..CallOptions::default()
    }
}

/// A retry classifier for Ethereum nodes: a JSON-RPC error answer ("nonce too low",
/// "execution reverted", ...) is the node's definite answer and is not retried, except an
/// internal error (-32603) or a rate limit; everything else as [`DefaultClassifier`].
/// Build the client with `ResilientClient::builder().classifier(EvmClassifier)`.
#[derive(Debug, Clone, Copy, Default)]
pub struct EvmClassifier;

impl RetryClassifier<RpcError> for EvmClassifier {
    fn classify(&self, error: &RpcError) -> RetryDecision {
        match error {
            RpcError::Rpc { code, .. } if *code != INTERNAL_ERROR && *code != LIMIT_EXCEEDED => {
                RetryDecision::DoNotRetry
            }
            other => DefaultClassifier.classify(other),
        }
    }

    fn may_have_reached_server(&self, error: &RpcError) -> bool {
        DefaultClassifier.may_have_reached_server(error)
    }
}

/// JSON-RPC 2.0's internal error: the node failed, not the request.
const INTERNAL_ERROR: i32 = -32603;
/// EIP-1474's "limit exceeded": the node asks the caller to slow down.
const LIMIT_EXCEEDED: i32 = -32005;

/// A receipt, as far as the sender needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawReceipt {
    pub(crate) block_number: u64,
    pub(crate) block_hash: B256,
    pub(crate) success: bool,
    pub(crate) gas_used: u64,
    pub(crate) contract_address: Option<Address>,
}

/// What `eth_sendRawTransaction` said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SendOutcome {
    /// Accepted into the pool (or a "look at the chain" answer).
    Accepted,
    /// Refused for another reason, with the node's message.
    Refused(String),
}

/// Why an estimate failed.
#[derive(Debug)]
pub(crate) enum EstimateError {
    /// The call reverts, with the decoded reason or the node's message.
    Reverts(String),
    /// Anything else.
    Other(Error),
}

pub(crate) async fn chain_id(client: &ResilientClient) -> Result<u64> {
    let value: Value = call(client, "eth_chainId", json!([])).await?;
    quantity("eth_chainId", &value)
}

pub(crate) async fn head(client: &ResilientClient) -> Result<u64> {
    let value: Value = call(client, "eth_blockNumber", json!([])).await?;
    quantity("eth_blockNumber", &value)
}

pub(crate) async fn nonce(client: &ResilientClient, address: Address, tag: &str) -> Result<u64> {
    let value: Value = call(
        client,
        "eth_getTransactionCount",
        json!([address.to_string(), tag]),
    )
    .await?;
    quantity("eth_getTransactionCount", &value)
}

pub(crate) async fn gas_price(client: &ResilientClient) -> Result<u128> {
    let value: Value = call(client, "eth_gasPrice", json!([])).await?;
    quantity("eth_gasPrice", &value)
}

fn call_object(from: Address, request: &TxRequest) -> Value {
    let mut object = json!({
        "from": from.to_string(),
        "data": hex::encode_prefixed(&request.data),
        "value": format!("{:#x}", request.value),
    });
    if let (Some(to), Some(fields)) = (request.to, object.as_object_mut()) {
        fields.insert("to".into(), json!(to.to_string()));
    }
    object
}

pub(crate) async fn estimate_gas(
    client: &ResilientClient,
    from: Address,
    request: &TxRequest,
) -> std::result::Result<u64, EstimateError> {
    let params = json!([call_object(from, request)]);
    match call::<Value>(client, "eth_estimateGas", params).await {
        Ok(value) => quantity("eth_estimateGas", &value).map_err(EstimateError::Other),
        Err(error) => Err(as_revert(error)),
    }
}

/// `eth_call` of `request` as a transaction would run it (latest block): `Ok` when it does not
/// revert. For an estimate that looks like a revert some nodes give instead of an error.
pub(crate) async fn call_reverts(
    client: &ResilientClient,
    from: Address,
    request: &TxRequest,
) -> std::result::Result<(), EstimateError> {
    eth_call(client, from, request, None)
        .await
        .map(|_| ())
        .map_err(as_revert)
}

/// A node's revert answer (code 3, or a message naming a revert) as [`EstimateError::Reverts`].
fn as_revert(error: Error) -> EstimateError {
    match error {
        Error::Rpc(RpcError::Rpc {
            code,
            message,
            data,
        }) if code == 3 || message.to_lowercase().contains("revert") => {
            EstimateError::Reverts(revert_reason(&message, data.as_ref()))
        }
        other => EstimateError::Other(other),
    }
}

/// `eth_call` at `block` (`None`: the latest block); the answer's bytes.
pub(crate) async fn eth_call(
    client: &ResilientClient,
    from: Address,
    request: &TxRequest,
    block: Option<u64>,
) -> Result<Bytes> {
    let tag = block.map_or_else(|| "latest".to_string(), |n| format!("{n:#x}"));
    let params = json!([call_object(from, request), tag]);
    let value: Value = call(client, "eth_call", params).await?;
    let text = value
        .as_str()
        .ok_or_else(|| malformed("eth_call", &value))?;
    hex::decode(text)
        .map(Bytes::from)
        .map_err(|_| malformed("eth_call", &value))
}

pub(crate) async fn send_raw(client: &ResilientClient, raw: &Bytes) -> Result<SendOutcome> {
    let params = json!([hex::encode_prefixed(raw)]);
    match call::<Value>(client, "eth_sendRawTransaction", params).await {
        Ok(_) => Ok(SendOutcome::Accepted),
        Err(Error::Rpc(RpcError::Rpc { message, .. })) => {
            let lower = message.to_lowercase();
            if LOOK_AT_CHAIN.iter().any(|m| lower.contains(m)) {
                Ok(SendOutcome::Accepted)
            } else {
                Ok(SendOutcome::Refused(message))
            }
        }
        Err(other) => Err(other),
    }
}

pub(crate) async fn receipt(client: &ResilientClient, hash: B256) -> Result<Option<RawReceipt>> {
    const M: &str = "eth_getTransactionReceipt";
    let value: Value = call(client, M, json!([hash.to_string()])).await?;
    parse_receipt(M, &value)
}

pub(crate) fn parse_receipt(method: &'static str, value: &Value) -> Result<Option<RawReceipt>> {
    if value.is_null() {
        return Ok(None);
    }
    let field = |name: &str| value.get(name).filter(|v| !v.is_null());
    let (Some(number), Some(block_hash)) = (field("blockNumber"), field("blockHash")) else {
        return Ok(None); // not mined yet (some nodes answer a pooled tx this way)
    };
    let status = field("status").ok_or_else(|| malformed(method, value))?;
    let contract_address = match field("contractAddress") {
        Some(v) => Some(parse_hex::<Address>(method, v)?),
        None => None,
    };
    Ok(Some(RawReceipt {
        block_number: quantity(method, number)?,
        block_hash: parse_hex(method, block_hash)?,
        success: quantity::<u64>(method, status)? == 1,
        gas_used: field("gasUsed").map_or(Ok(0), |v| quantity(method, v))?,
        contract_address,
    }))
}

/// The canonical block hash at `number`, `None` past the head.
pub(crate) async fn block_hash(client: &ResilientClient, number: u64) -> Result<Option<B256>> {
    const M: &str = "eth_getBlockByNumber";
    let value: Value = call(client, M, json!([format!("{number:#x}"), false])).await?;
    match value.get("hash").filter(|v| !v.is_null()) {
        Some(hash) => parse_hex(M, hash).map(Some),
        None => Ok(None),
    }
}

/// Whether the node knows `hash` (in its pool or mined): `eth_getTransactionByHash` answers
/// something other than null.
pub(crate) async fn transaction_known(client: &ResilientClient, hash: B256) -> Result<bool> {
    let value: Value = call(
        client,
        "eth_getTransactionByHash",
        json!([hash.to_string()]),
    )
    .await?;
    Ok(!value.is_null())
}

/// The latest block's `gasLimit`, `None` when the node does not give one (or gives 0).
pub(crate) async fn block_gas_limit(client: &ResilientClient) -> Result<Option<u64>> {
    const M: &str = "eth_getBlockByNumber";
    let value: Value = call(client, M, json!(["latest", false])).await?;
    match value.get("gasLimit").filter(|v| !v.is_null()) {
        Some(limit) => Ok(Some(quantity::<u64>(M, limit)?).filter(|&gas| gas > 0)),
        None => Ok(None),
    }
}

/// Reads as one JSON-RPC batch (one request against a node's request limit); each item's
/// answer in order. Only reads: the client replays them by its idempotency policy (the
/// standard reads are replay-safe by default).
pub(crate) async fn batch(
    client: &ResilientClient,
    items: &[(&'static str, Value)],
) -> Result<Vec<Result<Value>>> {
    let answers = client.batch::<Value, Value>(items).await?;
    Ok(answers
        .into_iter()
        .map(|answer| answer.map_err(Error::from))
        .collect())
}

pub(crate) async fn call<R: serde::de::DeserializeOwned>(
    client: &ResilientClient,
    method: &'static str,
    params: Value,
) -> Result<R> {
    Ok(client.call_with(method, params, replay_safe()).await?)
}

pub(crate) fn malformed(method: &'static str, value: &Value) -> Error {
    let mut shown = value.to_string();
    if shown.len() > 80 {
        shown = format!(
            "{}… ({} chars)",
            &shown[..shown.floor_char_boundary(80)],
            shown.len()
        );
    }
    Error::Malformed {
        method,
        reason: format!("unexpected value {shown}"),
    }
}

/// Parses a hex quantity ("0x1a") into any unsigned integer up to u128.
pub(crate) fn quantity<T: TryFrom<u128>>(method: &'static str, value: &Value) -> Result<T> {
    value
        .as_str()
        .and_then(|s| s.strip_prefix("0x"))
        .and_then(|digits| u128::from_str_radix(digits, 16).ok())
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| malformed(method, value))
}

pub(crate) fn parse_hex<T: std::str::FromStr>(method: &'static str, value: &Value) -> Result<T> {
    value
        .as_str()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| malformed(method, value))
}

/// The revert reason: `Error(string)` / `Panic(uint)` decoded from the data, else the message.
fn revert_reason(message: &str, data: Option<&Value>) -> String {
    data.and_then(Value::as_str)
        .and_then(|text| hex::decode(text).ok())
        .and_then(|bytes| alloy_sol_types::decode_revert_reason(&bytes))
        .unwrap_or_else(|| message.to_string())
}
