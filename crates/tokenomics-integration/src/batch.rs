//! One JSON-RPC batch of transfers and how its answers are sorted: confirmed, left
//! pending for the next round, or refused for good.
//!
//! Only a JSON-RPC error that says the request itself is wrong (insufficient balance,
//! an idempotency conflict) stops an epoch; every transport trouble leaves the
//! transfer pending, because resending it with its key is replay-safe.

use rpc_resilience::RpcError;
use tokenomics_core::{Address, EpochPlan};

use crate::chain::{transfer_key, Receipt, TransferCall};
use crate::error::{ExecutorError, Result};
use crate::journal::PendingTransfer;

/// One JSON-RPC batch of transfers: their plan indices and the calls.
#[derive(Debug)]
pub(crate) struct Batch {
    pub(crate) indices: Vec<u32>,
    pub(crate) recipients: Vec<Address>,
    pub(crate) calls: Vec<TransferCall>,
}

/// What one batch achieved.
#[derive(Debug)]
pub(crate) struct BatchOutcome {
    /// (index, tx hash) of every transfer confirmed.
    pub(crate) confirmed: Vec<(u32, String)>,
    /// The first transfer the node refused for good, if any.
    pub(crate) refused: Option<ExecutorError>,
}

impl Batch {
    pub(crate) fn new(plan: &EpochPlan, chunk: &[PendingTransfer]) -> Batch {
        Batch {
            indices: chunk.iter().map(|p| p.index).collect(),
            recipients: chunk.iter().map(|p| p.transfer.to).collect(),
            calls: chunk
                .iter()
                .map(|p| TransferCall {
                    to: p.transfer.to,
                    amount: p.transfer.amount,
                    key: transfer_key(plan.epoch, &plan.plan_hash, p.index),
                })
                .collect(),
        }
    }

    /// Sorts the node's answers: confirmed, left pending (retryable), refused for good.
    pub(crate) fn outcome(
        &self,
        answer: Result<Vec<std::result::Result<Receipt, RpcError>>>,
    ) -> Result<BatchOutcome> {
        let mut outcome = BatchOutcome {
            confirmed: Vec::with_capacity(self.calls.len()),
            refused: None,
        };
        let results = match answer {
            Ok(results) => results,
            Err(ExecutorError::Rpc { source, .. }) if !refused_for_good(&source) => {
                tracing::debug!(%source, "batch left pending");
                return Ok(outcome);
            }
            Err(error) => return Err(error),
        };
        for ((index, to), result) in self.indices.iter().zip(&self.recipients).zip(results) {
            match result {
                Ok(receipt) => outcome.confirmed.push((*index, receipt.tx_hash)),
                Err(source) if refused_for_good(&source) => {
                    outcome
                        .refused
                        .get_or_insert(ExecutorError::TransferRefused {
                            index: *index,
                            to: to.to_string(),
                            source,
                        });
                }
                Err(error) => tracing::debug!(index, %error, "transfer left pending"),
            }
        }
        Ok(outcome)
    }
}

/// Whether the node refused a write for good (a JSON-RPC error such as insufficient
/// balance or an idempotency conflict). Anything else (timeouts, dropped connections,
/// an open breaker, a spent budget) leaves the transfer pending for the next round.
fn refused_for_good(error: &RpcError) -> bool {
    matches!(
        error,
        RpcError::Rpc { .. } | RpcError::InvalidRequest { .. }
    ) && luxtensor_protocol::is_final(error)
}
