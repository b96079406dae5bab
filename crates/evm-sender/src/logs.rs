//! Logs and receipts with their logs, as a caller reads them: `eth_getTransactionReceipt`
//! and `eth_getLogs`, typed, over the same replay-safe calls as [`crate::rpc`].

use alloy_primitives::{hex, Address, Bytes, B256};
use rpc_resilience::ResilientClient;
use serde_json::{json, Value};

use crate::rpc::{call, malformed, parse_hex, parse_receipt, quantity};
use crate::Result;

/// One log of a receipt or of `eth_getLogs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Log {
    /// The contract that emitted it.
    pub address: Address,
    /// Its topics (the event's signature hash first, for a non-anonymous event).
    pub topics: Vec<B256>,
    /// Its data.
    pub data: Bytes,
    /// The transaction that emitted it (absent in some nodes' pending logs).
    pub transaction_hash: Option<B256>,
    /// Its block (absent in some nodes' pending logs).
    pub block_number: Option<u64>,
}

fn parse_log(method: &'static str, value: &Value) -> Result<Log> {
    let field = |name: &str| value.get(name).filter(|v| !v.is_null());
    let address = field("address").ok_or_else(|| malformed(method, value))?;
    let topics = field("topics")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed(method, value))?
        .iter()
        .map(|topic| parse_hex::<B256>(method, topic))
        .collect::<Result<Vec<_>>>()?;
    let data = field("data")
        .and_then(Value::as_str)
        .and_then(|text| hex::decode(text).ok())
        .ok_or_else(|| malformed(method, value))?;
    Ok(Log {
        address: parse_hex(method, address)?,
        topics,
        data: Bytes::from(data),
        transaction_hash: field("transactionHash")
            .map(|v| parse_hex(method, v))
            .transpose()?,
        block_number: field("blockNumber")
            .map(|v| quantity(method, v))
            .transpose()?,
    })
}

/// A mined transaction's receipt as a caller sees it: where, whether it succeeded, its logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// Its block.
    pub block_number: u64,
    /// Its block's hash.
    pub block_hash: B256,
    /// Status 1.
    pub success: bool,
    /// Its logs, in order.
    pub logs: Vec<Log>,
}

/// `eth_getTransactionReceipt` with its logs; `None` when there is no mined receipt.
pub(crate) async fn receipt_with_logs(
    client: &ResilientClient,
    hash: B256,
) -> Result<Option<Receipt>> {
    let value: Value = call(client, RECEIPT, json!([hash.to_string()])).await?;
    with_logs(&value)
}

/// Receipts (with their logs) of transactions with many logs, per JSON-RPC batch: a few,
/// so that one answer stays far below a client's response size limit.
pub const RECEIPTS_PER_BATCH: usize = 8;

/// [`receipt_with_logs`] of each of `hashes`, [`RECEIPTS_PER_BATCH`] per JSON-RPC batch
/// (one request each against a node's limit); in order.
pub(crate) async fn receipts_with_logs(
    client: &ResilientClient,
    hashes: &[B256],
) -> Result<Vec<Option<Receipt>>> {
    let mut receipts = Vec::with_capacity(hashes.len());
    for group in hashes.chunks(RECEIPTS_PER_BATCH) {
        let reads: Vec<(&'static str, Value)> = group
            .iter()
            .map(|hash| (RECEIPT, json!([hash.to_string()])))
            .collect();
        for answer in crate::rpc::batch(client, &reads).await? {
            receipts.push(with_logs(&answer?)?);
        }
    }
    Ok(receipts)
}

const RECEIPT: &str = "eth_getTransactionReceipt";

/// A receipt answer with its logs; `None` when it is not a mined receipt.
fn with_logs(value: &Value) -> Result<Option<Receipt>> {
    const M: &str = RECEIPT;
    let Some(raw) = parse_receipt(M, value)? else {
        return Ok(None);
    };
    let logs = value
        .get("logs")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed(M, value))?
        .iter()
        .map(|log| parse_log(M, log))
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(Receipt {
        block_number: raw.block_number,
        block_hash: raw.block_hash,
        success: raw.success,
        logs,
    }))
}

/// `eth_getLogs` of `address` with `topics` (position by position; `None` matches any),
/// blocks `from..=to` (`None`: the latest).
pub(crate) async fn logs(
    client: &ResilientClient,
    address: Address,
    topics: &[Option<B256>],
    from: u64,
    to: Option<u64>,
) -> Result<Vec<Log>> {
    const M: &str = "eth_getLogs";
    let topics: Vec<Value> = topics
        .iter()
        .map(|t| t.map_or(Value::Null, |t| json!(t.to_string())))
        .collect();
    let filter = json!({
        "address": address.to_string(),
        "topics": topics,
        "fromBlock": format!("{from:#x}"),
        "toBlock": to.map_or_else(|| "latest".to_string(), |to| format!("{to:#x}")),
    });
    let value: Value = call(client, M, json!([filter])).await?;
    value
        .as_array()
        .ok_or_else(|| malformed(M, &value))?
        .iter()
        .map(|log| parse_log(M, log))
        .collect()
}
