//! JSON-RPC as the stand-in serves it: [`Shared`] (config, counters, the node, the pool)
//! answers a request body, a single call or a batch. Calls that need no pool go to anvil
//! as one batch; `eth_sendRawTransaction` goes through the [`Pool`] one at a time.

use hyper::body::Bytes;
use serde_json::{json, Value};

use crate::config::StandInConfig;
use crate::counters::Counters;
use crate::pool::{Pool, Verdict};
use crate::rewrite::{prepare, Step};
use crate::upstream::Upstream;
use crate::window::Window;
use crate::StandInError;

/// A JSON-RPC error the stand-in answers itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RpcError {
    pub(crate) code: i64,
    pub(crate) message: String,
}

impl RpcError {
    /// The node's refusal by its pool: -32603 "Mempool rejected transaction: {reason}".
    pub(crate) fn mempool(reason: String) -> Self {
        Self {
            code: -32603,
            message: format!("Mempool rejected transaction: {reason}"),
        }
    }
}

/// A response object for `id`.
pub(crate) fn reply(id: Value, result: Result<Value, RpcError>) -> Value {
    match result {
        Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
        Err(e) => json!({
            "jsonrpc": "2.0",
            "id": id,
            "error": {"code": e.code, "message": e.message},
        }),
    }
}

/// Everything a connection needs.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: StandInConfig,
    pub(crate) counters: Counters,
    pub(crate) node: Upstream,
    pub(crate) window: std::sync::Mutex<Window>,
    pub(crate) pool: tokio::sync::Mutex<Pool>,
}

impl Shared {
    /// The answer to one HTTP request's body.
    pub(crate) async fn answer(&self, body: Bytes) -> Result<Bytes, StandInError> {
        let request = match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Array(calls)) if !calls.is_empty() => Value::Array(calls),
            Ok(call @ Value::Object(_)) => call,
            _ => return self.node.post(body).await,
        };
        {
            let mut pool = self.pool.lock().await;
            if pool.has_left_out() {
                pool.settle_left_out(&self.node).await?;
            }
        }
        let answer = match request {
            Value::Array(calls) => Value::Array(self.calls(calls).await?),
            call => self.calls(vec![call]).await?.pop().unwrap_or(Value::Null),
        };
        Ok(Bytes::from(answer.to_string()))
    }

    /// The answers to `calls`, in their order.
    async fn calls(&self, calls: Vec<Value>) -> Result<Vec<Value>, StandInError> {
        let mut answers: Vec<Option<Value>> = vec![None; calls.len()];
        let mut forward = Vec::new();
        for (index, call) in calls.into_iter().enumerate() {
            let id = call.get("id").cloned().unwrap_or(Value::Null);
            if call.get("method").and_then(Value::as_str) == Some("eth_sendRawTransaction") {
                answers[index] = Some(self.send(call).await?);
                continue;
            }
            match prepare(&self.config, call) {
                Step::Answer(result) => answers[index] = Some(reply(id, Ok(result))),
                Step::Forward(call, after) => forward.push((index, call, after)),
            }
        }
        if !forward.is_empty() {
            let batch = Value::Array(forward.iter().map(|(_, call, _)| call.clone()).collect());
            let mut answered: Vec<Option<Value>> = match self.node.forward(&batch).await? {
                Value::Array(items) => items.into_iter().map(Some).collect(),
                other => vec![Some(other)],
            };
            for (position, (index, call, after)) in forward.into_iter().enumerate() {
                let id = call.get("id");
                let found = answered
                    .iter()
                    .position(|a| a.as_ref().is_some_and(|a| a.get("id") == id))
                    .unwrap_or(position);
                let mut answer = answered
                    .get_mut(found)
                    .and_then(Option::take)
                    .unwrap_or_else(|| {
                        let id = id.cloned().unwrap_or(Value::Null);
                        reply(
                            id,
                            Err(RpcError {
                                code: -32603,
                                message: "stand-in: the node gave no answer".into(),
                            }),
                        )
                    });
                after.apply(&mut answer);
                if call.get("method").and_then(Value::as_str) == Some("eth_getTransactionReceipt") {
                    self.fabricate_receipt(&call, &mut answer).await;
                }
                answers[index] = Some(answer);
            }
        }
        Ok(answers.into_iter().flatten().collect())
    }

    /// Anvil has no receipt for a transaction the pool took: the node's made-up one.
    async fn fabricate_receipt(&self, call: &Value, answer: &mut Value) {
        if !self.config.fabricated_receipts || answer.get("result") != Some(&Value::Null) {
            return;
        }
        let Some(hash) = call.pointer("/params/0").and_then(Value::as_str) else {
            return;
        };
        let pool = self.pool.lock().await;
        if let Some(receipt) = pool.fabricated_receipt(hash, self.config.slot_ttl) {
            answer["result"] = receipt;
        }
    }

    /// `eth_sendRawTransaction` through the pool; forwarded under its lock, so the block's
    /// gas counts sends in the order anvil took them.
    async fn send(&self, call: Value) -> Result<Value, StandInError> {
        let id = call.get("id").cloned().unwrap_or(Value::Null);
        let raw = call.pointer("/params/0").and_then(Value::as_str);
        let raw = raw.map(|r| r.strip_prefix("0x").unwrap_or(r));
        let mut pool = self.pool.lock().await;
        let verdict = match raw {
            Some(raw) => {
                pool.send(&self.config, &self.node, &self.counters, raw)
                    .await?
            }
            None => Verdict::Forward { tx: None },
        };
        match verdict {
            Verdict::Answer(result) => Ok(reply(id, result)),
            Verdict::Forward { tx } => {
                let answer = self.node.forward(&call).await?;
                if let (Some(tx), Some(_)) = (tx, answer.get("result")) {
                    pool.forwarded(tx);
                }
                Ok(answer)
            }
        }
    }
}
