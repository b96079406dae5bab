//! One JSON-RPC batch of transfers and how its answers are sorted: confirmed, left
//! pending for the next round, or refused for good.
//!
//! Only a JSON-RPC error that says the request itself is wrong (insufficient balance,
//! an idempotency conflict, a batch the node will never take) stops an epoch; every
//! transport trouble leaves the transfer pending, because resending it with its key
//! is replay-safe.

use rpc_resilience::RpcError;
use tokenomics_core::EpochPlan;

use crate::error::LuxtensorError;
use crate::protocol::{transfer_key, Receipt, TransferCall, IDEMPOTENCY_CONFLICT};
use payout_executor::{ExecutorError, PaidBy, Result};

/// One JSON-RPC batch of transfers: each call with its index in the plan.
#[derive(Debug)]
pub(crate) struct Batch {
    epoch: u64,
    items: Vec<(u32, TransferCall)>,
}

/// What one batch achieved.
#[derive(Debug)]
pub(crate) struct BatchOutcome {
    /// (index, tx hash) of every transfer confirmed.
    pub(crate) confirmed: Vec<(u32, PaidBy)>,
    /// The first transfer the node refused for good, if any.
    pub(crate) refused: Option<ExecutorError>,
}

impl Batch {
    /// The transfers of `plan` at `indices`.
    pub(crate) fn new(plan: &EpochPlan, indices: &[u32]) -> Batch {
        let items = indices
            .iter()
            .filter_map(|&index| {
                let transfer = plan.transfers.get(index as usize)?;
                let call = TransferCall {
                    to: transfer.to,
                    amount: transfer.amount,
                    key: transfer_key(plan.epoch, index),
                };
                Some((index, call))
            })
            .collect();
        Batch {
            epoch: plan.epoch,
            items,
        }
    }

    /// The calls, in order.
    pub(crate) fn calls(&self) -> impl ExactSizeIterator<Item = &TransferCall> {
        self.items.iter().map(|(_, call)| call)
    }

    /// Sorts the node's answers: confirmed, left pending (retryable), refused for good.
    pub(crate) fn outcome(
        &self,
        answer: std::result::Result<Vec<std::result::Result<Receipt, RpcError>>, LuxtensorError>,
    ) -> Result<BatchOutcome> {
        let mut outcome = BatchOutcome {
            confirmed: Vec::with_capacity(self.items.len()),
            refused: None,
        };
        let results = match answer {
            Ok(results) => results,
            Err(LuxtensorError::Rpc { source, .. }) if !refused_for_good(&source) => {
                tracing::debug!(%source, "batch left pending");
                return Ok(outcome);
            }
            Err(error) => return Err(error.into()),
        };
        for ((index, call), result) in self.items.iter().zip(results) {
            match result {
                Ok(receipt) => outcome
                    .confirmed
                    .push((*index, PaidBy::Tx(receipt.tx_hash))),
                Err(source) if refused_for_good(&source) => {
                    outcome
                        .refused
                        .get_or_insert_with(|| self.refusal(*index, call, source));
                }
                Err(error) => tracing::debug!(index, %error, "transfer left pending"),
            }
        }
        Ok(outcome)
    }

    fn refusal(&self, index: u32, call: &TransferCall, source: RpcError) -> ExecutorError {
        match source {
            RpcError::Rpc { code, .. } if code == IDEMPOTENCY_CONFLICT => {
                ExecutorError::ChainConflict {
                    epoch: self.epoch,
                    detail: format!("key {} was used for another transfer", call.key),
                }
            }
            source => LuxtensorError::TransferRefused {
                index,
                to: call.to.to_string(),
                source,
            }
            .into(),
        }
    }
}

/// Whether the node refused a write for good (a JSON-RPC error such as insufficient
/// balance or an idempotency conflict). Anything else (timeouts, dropped connections,
/// an open breaker, a spent budget) leaves the transfer pending for the next round.
pub(crate) fn refused_for_good(error: &RpcError) -> bool {
    matches!(
        error,
        RpcError::Rpc { .. } | RpcError::InvalidRequest { .. }
    ) && luxtensor_protocol::is_final(error)
}
