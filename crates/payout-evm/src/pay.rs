//! Paying an epoch in chunks: the layout (a pure function of the plan), which chunks the
//! contract marks paid, and `payout(epoch, chunk, to[], amounts[])` for the others.
//!
//! Chunk `k` is `transfers[k * CHUNK_SIZE .. (k + 1) * CHUNK_SIZE]` in plan order. The
//! layout never depends on the chain, the gas price or the journal, so every run of an
//! epoch numbers its chunks the same, and the contract's "chunk `k` paid" means the same
//! transfers to all of them.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};

use alloy_primitives::Bytes;
use alloy_sol_types::SolCall;
use evm_sender::{Confirmation, TxRequest};
use tokenomics_core::{EpochPlan, Transfer};

use crate::abi::{to_evm, to_u256, IEpochPayout};
use crate::error::EvmError;
use crate::follow::{Ended, Proof, Tracked};
use crate::EvmPayout;
use payout_executor::{ExecutorError, Result};

/// Transfers per chunk. 300 first-time holders cost about 8.1M gas (~26,900 each), under
/// the default `max_gas_per_tx` of 10M even with the sender's 1.2x limit margin capped.
pub const CHUNK_SIZE: usize = 300;

/// Default of [`EvmPayout::set_chunks_in_flight`]: chunks sent before the oldest is
/// waited for (consecutive nonces in the pool).
pub const CHUNKS_IN_FLIGHT: usize = 4;

/// How many chunks `plan` has.
pub fn chunk_count(plan: &EpochPlan) -> usize {
    chunks_for(plan.transfers.len())
}

/// The chunks of an epoch of `transfers` transfers.
pub(crate) fn chunks_for(transfers: usize) -> usize {
    transfers.div_ceil(CHUNK_SIZE)
}

/// Chunk `k` of `plan` (empty past the last).
pub fn chunk(plan: &EpochPlan, k: u32) -> &[Transfer] {
    let start = usize::try_from(k)
        .unwrap_or(usize::MAX)
        .saturating_mul(CHUNK_SIZE);
    let rest = plan.transfers.get(start..).unwrap_or(&[]);
    &rest[..rest.len().min(CHUNK_SIZE)]
}

/// A chunk the contract marks paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaidChunk {
    /// The chunk.
    pub chunk: u32,
    /// Its transfers.
    pub transfers: usize,
    /// Its transaction, when this sender's journal holds it (`None`: paid by a
    /// transaction this journal does not know, e.g. a run with another journal).
    pub confirmation: Option<Confirmation>,
}

/// The operation id of chunk `k` of `epoch`.
pub(super) fn payout_op(epoch: u64, k: u32) -> String {
    format!("payout:{epoch}:{k}")
}

impl EvmPayout {
    /// Which of the epoch's first `count` chunks the contract marks paid at the latest
    /// block (one `paidChunkWord` call per 256 chunks).
    pub async fn paid_chunks(&self, epoch: u64, count: usize) -> Result<Vec<bool>> {
        self.paid_chunks_at(epoch, count, None).await
    }

    /// Pays the chunks of `pending` (in that order, each once: `payout:<epoch>:<chunk>`)
    /// that the contract does not mark paid, [`EvmPayout::chunks_in_flight`] at a time, calling
    /// `on_confirmed` for each once the contract shows it paid `confirmations` deep (those
    /// already paid included, without sending; its error stops the payment). A chunk whose
    /// nonce a transaction used without paying it is sent again under its next id. `stop` set: no new chunk is sent, those in flight are waited for, then
    /// [`ExecutorError::Interrupted`]. A chunk that would revert, or reverts, stops with
    /// the reason ([`EvmError::Reverted`]); one above `max_gas_per_tx` is
    /// [`EvmError::ChunkGas`], nothing sent for it.
    pub async fn pay_chunks(
        &self,
        plan: &EpochPlan,
        pending: &[u32],
        on_confirmed: &mut dyn FnMut(PaidChunk) -> Result<()>,
        stop: &AtomicBool,
    ) -> Result<()> {
        let epoch = plan.epoch;
        let paid = self.paid_chunks(epoch, chunk_count(plan)).await?;
        let mut in_flight: VecDeque<(u32, Tracked)> = VecDeque::new();
        let mut unsent = 0usize;
        for (position, &k) in pending.iter().enumerate() {
            if stop.load(Ordering::Relaxed) {
                unsent = pending[position..]
                    .iter()
                    .map(|&k| chunk(plan, k).len())
                    .sum();
                break;
            }
            if chunk(plan, k).is_empty() {
                continue; // past the plan's last chunk: nothing to pay
            }
            let base = payout_op(epoch, k);
            if paid.get(k as usize).copied().unwrap_or(false) {
                // Paid at the head: done once the contract shows it `confirmations` deep.
                in_flight.push_back((k, Tracked::nothing(&base)));
            } else {
                let request = TxRequest::call(self.contracts.payout, chunk_call(plan, k));
                match self.follow().start(&base, request, 0).await? {
                    Ok(tracked) => in_flight.push_back((k, tracked)),
                    Err(ended) => on_confirmed(self.chunk_ended(plan, k, ended).await?)?,
                }
            }
            if in_flight.len() >= self.in_flight {
                if let Some((k, tracked)) = in_flight.pop_front() {
                    on_confirmed(self.confirm_chunk(plan, k, tracked).await?)?;
                }
            }
        }
        while let Some((k, tracked)) = in_flight.pop_front() {
            on_confirmed(self.confirm_chunk(plan, k, tracked).await?)?;
        }
        if stop.load(Ordering::Relaxed) && unsent > 0 {
            return Err(ExecutorError::Interrupted {
                epoch,
                pending: unsent,
            });
        }
        Ok(())
    }

    /// Follows chunk `k`'s operation until the contract shows the chunk paid
    /// `confirmations` deep (`follow.rs`).
    async fn confirm_chunk(
        &self,
        plan: &EpochPlan,
        k: u32,
        mut tracked: Tracked,
    ) -> Result<PaidChunk> {
        let ended = self
            .follow()
            .until_shown(&mut tracked, Proof::Chunk(plan.epoch, k))
            .await?;
        self.chunk_ended(plan, k, ended).await
    }

    /// How following chunk `k` ended, as the chunk paid or the epoch's error: a revert
    /// stops with its reason unless the contract marks the chunk paid at the head anyway
    /// (paid by another run meanwhile).
    async fn chunk_ended(&self, plan: &EpochPlan, k: u32, ended: Ended) -> Result<PaidChunk> {
        let transfers = chunk(plan, k).len();
        let paid = |confirmation| PaidChunk {
            chunk: k,
            transfers,
            confirmation,
        };
        let error = match ended {
            Ended::Shown(confirmation) => return Ok(paid(confirmation)),
            Ended::Failed(error) => error,
            Ended::GaveUp(attempts) => {
                return Err(EvmError::NotShown {
                    epoch: plan.epoch,
                    what: format!("chunk {k}"),
                    attempts,
                }
                .into())
            }
        };
        if self.reader.chunk_paid_at(plan.epoch, k, None).await? {
            let base = payout_op(plan.epoch, k);
            let proof = Proof::Chunk(plan.epoch, k);
            if let Ended::Shown(confirmation) = self
                .follow()
                .until_shown(&mut Tracked::nothing(&base), proof)
                .await?
            {
                return Ok(paid(confirmation));
            }
        }
        Err(self.refused(plan, k, error).await)
    }

    /// The epoch's error for chunk `k`'s sender error: its gas, or its revert reason.
    async fn refused(&self, plan: &EpochPlan, k: u32, error: evm_sender::Error) -> ExecutorError {
        let (epoch, what) = (plan.epoch, format!("chunk {k}"));
        let tx_hash = match error {
            evm_sender::Error::GasAboveMax { needed, max, .. } => {
                return EvmError::ChunkGas {
                    epoch,
                    chunk: k,
                    transfers: chunk(plan, k).len(),
                    needed,
                    max,
                }
                .into()
            }
            evm_sender::Error::WouldRevert { .. } => None,
            evm_sender::Error::Reverted { tx_hash, .. } => Some(tx_hash),
            other => return crate::error::sender(other),
        };
        let reason = self
            .reason_now(self.contracts.payout, chunk_call(plan, k))
            .await
            .unwrap_or_else(|| "unknown (the call succeeds now)".into());
        EvmError::Reverted {
            epoch,
            what,
            tx_hash,
            reason,
        }
        .into()
    }
}

/// The `payout` call data of chunk `k`.
fn chunk_call(plan: &EpochPlan, k: u32) -> Bytes {
    payout_call(plan.epoch, k, chunk(plan, k))
}

/// The `payout` call data of chunk `k` of `epoch`, paying `transfers`.
pub(super) fn payout_call(epoch: u64, k: u32, transfers: &[Transfer]) -> Bytes {
    IEpochPayout::payoutCall {
        epoch,
        chunk: k,
        to: transfers.iter().map(|t| to_evm(t.to)).collect(),
        amounts: transfers.iter().map(|t| to_u256(t.amount)).collect(),
    }
    .abi_encode()
    .into()
}
