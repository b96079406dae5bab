//! The node's answers that anvil does not give, for calls that are forwarded: what to
//! change in a call before it goes to anvil ([`prepare`]) and in anvil's answer after
//! ([`After::apply`]). Behaviours 1 (zero block hashes, receipts in no stored block),
//! 4b (estimates and calls hide reverts), 4c (`eth_gasPrice` below the pool's minimum) and 6
//! (tag-less nonce) of [`StandInConfig`].

use serde_json::{json, Value};

use crate::config::{StandInConfig, HIDDEN_REVERT_ESTIMATE};

/// A zero 32-byte hash, as the node answers for every block.
pub const ZERO_HASH: &str = "0x0000000000000000000000000000000000000000000000000000000000000000";

/// What to do with anvil's answer to a forwarded call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum After {
    /// Pass it on as it is.
    Nothing,
    /// A block: zero `hash` and `parentHash`.
    ZeroBlockHashes,
    /// A receipt: `blockHash` (its logs' too) the transaction's own hash.
    ReceiptInNoBlock,
    /// `eth_estimateGas`: an error becomes [`HIDDEN_REVERT_ESTIMATE`].
    EstimateHidesRevert,
    /// `eth_call`: a revert becomes `"0x"`.
    CallHidesRevert,
}

/// How a call is served.
#[derive(Debug)]
pub(crate) enum Step {
    /// Answered by the stand-in: this result.
    Answer(Value),
    /// Sent to anvil (maybe changed), then its answer changed by `After`.
    Forward(Value, After),
}

/// The step for `call`, whose method is not `eth_sendRawTransaction` (the pool's).
pub(crate) fn prepare(config: &StandInConfig, mut call: Value) -> Step {
    let method = call.get("method").and_then(Value::as_str).unwrap_or("");
    let after = match method {
        "eth_getBlockByNumber" | "eth_getBlockByHash" if config.zero_block_hashes => {
            After::ZeroBlockHashes
        }
        "eth_getTransactionReceipt" if config.zero_block_hashes => After::ReceiptInNoBlock,
        "eth_estimateGas" if config.estimates_hide_reverts => After::EstimateHidesRevert,
        "eth_call" if config.estimates_hide_reverts => After::CallHidesRevert,
        "eth_gasPrice" if config.low_gas_price => {
            return Step::Answer(json!(format!("{:#x}", config.min_gas_price / 2)));
        }
        "eth_getTransactionCount" if config.tagless_nonce => {
            if let Some(tag) = call.pointer_mut("/params/1") {
                *tag = json!("latest");
            }
            After::Nothing
        }
        _ => After::Nothing,
    };
    Step::Forward(call, after)
}

impl After {
    /// Changes anvil's `answer` (a whole JSON-RPC response object) as the node would.
    pub(crate) fn apply(self, answer: &mut Value) {
        match self {
            After::Nothing => {}
            After::ZeroBlockHashes => {
                if let Some(block) = answer.get_mut("result").and_then(Value::as_object_mut) {
                    block.insert("hash".into(), json!(ZERO_HASH));
                    block.insert("parentHash".into(), json!(ZERO_HASH));
                }
            }
            After::ReceiptInNoBlock => {
                let Some(receipt) = answer.get_mut("result").and_then(Value::as_object_mut) else {
                    return;
                };
                let Some(tx) = receipt.get("transactionHash").cloned() else {
                    return;
                };
                receipt.insert("blockHash".into(), tx.clone());
                if let Some(logs) = receipt.get_mut("logs").and_then(Value::as_array_mut) {
                    for log in logs.iter_mut().filter_map(Value::as_object_mut) {
                        log.insert("blockHash".into(), tx.clone());
                    }
                }
            }
            After::EstimateHidesRevert => {
                if let Some(object) = answer.as_object_mut() {
                    if object.remove("error").is_some() {
                        object.insert(
                            "result".into(),
                            json!(format!("{HIDDEN_REVERT_ESTIMATE:#x}")),
                        );
                    }
                }
            }
            After::CallHidesRevert => {
                if let Some(object) = answer.as_object_mut() {
                    if object.get("error").is_some_and(is_revert) {
                        object.remove("error");
                        object.insert("result".into(), json!("0x"));
                    }
                }
            }
        }
    }
}

/// Whether a JSON-RPC error object is an EVM revert (code 3, or a message saying so).
fn is_revert(error: &Value) -> bool {
    error.get("code").and_then(Value::as_i64) == Some(3)
        || error
            .get("message")
            .and_then(Value::as_str)
            .is_some_and(|m| m.to_ascii_lowercase().contains("revert"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(got: Value, want: Value) {
        assert_eq!(got, want);
    }

    #[test]
    fn a_revert_of_a_call_becomes_empty_data_and_other_errors_stay() {
        let mut revert = json!({"id": 1, "error": {"code": 3, "message": "execution reverted"}});
        After::CallHidesRevert.apply(&mut revert);
        check(revert, json!({"id": 1, "result": "0x"}));
        let other = json!({"id": 1, "error": {"code": -32602, "message": "bad params"}});
        let mut same = other.clone();
        After::CallHidesRevert.apply(&mut same);
        check(same, other);
    }

    #[test]
    fn a_tagged_nonce_read_asks_for_latest() {
        let config = StandInConfig {
            tagless_nonce: true,
            ..StandInConfig::default()
        };
        let call = json!({"method": "eth_getTransactionCount", "params": ["0x01", "pending"]});
        match prepare(&config, call) {
            Step::Forward(call, After::Nothing) => {
                check(call["params"][1].clone(), json!("latest"))
            }
            step => panic!("{step:?}"),
        }
    }
}
