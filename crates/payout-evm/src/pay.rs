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
    /// `on_confirmed` for each once it is confirmed (those already paid included, without
    /// sending; its error stops the payment). `stop` set: no new chunk is sent, those in flight are waited for, then
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
        let mut in_flight: VecDeque<(u32, String)> = VecDeque::new();
        let mut unsent = 0usize;
        for (position, &k) in pending.iter().enumerate() {
            let transfers = chunk(plan, k).len();
            if stop.load(Ordering::Relaxed) {
                unsent = pending[position..]
                    .iter()
                    .map(|&k| chunk(plan, k).len())
                    .sum();
                break;
            }
            if transfers == 0 {
                continue; // past the plan's last chunk: nothing to pay
            }
            let op = payout_op(epoch, k);
            if paid.get(k as usize).copied().unwrap_or(false) {
                let confirmation = self.confirm_journaled(&op).await?;
                on_confirmed(PaidChunk {
                    chunk: k,
                    transfers,
                    confirmation,
                })?;
                continue;
            }
            let request = TxRequest::call(self.contracts.payout, chunk_call(plan, k));
            match self.submit_fresh(&op, request).await {
                Ok((_, Some(done))) => on_confirmed(PaidChunk {
                    chunk: k,
                    transfers,
                    confirmation: Some(done),
                })?,
                Ok((op, None)) => in_flight.push_back((k, op)),
                Err(error) => return Err(self.refused(plan, k, error).await),
            }
            if in_flight.len() >= self.in_flight {
                if let Some((k, op)) = in_flight.pop_front() {
                    on_confirmed(self.confirm_chunk(plan, k, &op).await?)?;
                }
            }
        }
        while let Some((k, op)) = in_flight.pop_front() {
            on_confirmed(self.confirm_chunk(plan, k, &op).await?)?;
        }
        if stop.load(Ordering::Relaxed) && unsent > 0 {
            return Err(ExecutorError::Interrupted {
                epoch,
                pending: unsent,
            });
        }
        Ok(())
    }

    /// Waits for chunk `k`'s operation; status 0 is the revert with its reason, unless
    /// the contract marks the chunk paid anyway (paid by another run meanwhile).
    async fn confirm_chunk(&self, plan: &EpochPlan, k: u32, op: &str) -> Result<PaidChunk> {
        let transfers = chunk(plan, k).len();
        match self.sender.wait_confirmed(op).await {
            Ok(done) => Ok(PaidChunk {
                chunk: k,
                transfers,
                confirmation: Some(done),
            }),
            Err(error) => {
                let paid = self.paid_chunks(plan.epoch, k as usize + 1).await?;
                if paid.get(k as usize).copied().unwrap_or(false) {
                    return Ok(PaidChunk {
                        chunk: k,
                        transfers,
                        confirmation: None,
                    });
                }
                Err(self.refused(plan, k, error).await)
            }
        }
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
