//! `EpochExecutor<EvmPayout>::close_epoch`: the way out of an epoch that can never
//! complete, and only of such an epoch.
//!
//! Refused unless the epoch is journaled, opened on chain with the journaled plan, not
//! fully paid, and provably unpayable: an unpaid chunk pays a recipient the chain refuses
//! ([`tokenomics_core::refusal`]: the zero address, the token, the payout contract), or
//! reverts now, simulated from the owner, for a reason other than the payout contract
//! being short of funds. Then `closeEpoch` is sent once (`close:<epoch>`) and the journal
//! records the closing (stage `closed`, the reason, the transaction, the time). What the
//! epoch did not pay stays in the payout contract, where later epochs' `from_pool` comes
//! from. **Invariant:** a payable epoch is never closed, so its funds never move this way.

use tokenomics_core::{refusal, Amount, Hash256};

use crate::error::{ExecutorError, Result};
use crate::evm::{EvmPayout, CHUNK_SIZE};
use crate::executor::EpochExecutor;
use crate::journal::Stage;
use crate::payout_chain::PayoutPreview;

/// What closing an epoch did (`tokenomics close-epoch`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClosedEpoch {
    /// The epoch.
    pub epoch: u64,
    /// Its journaled plan.
    pub plan_hash: Hash256,
    /// Why it can never complete.
    pub reason: String,
    /// The `closeEpoch` transaction.
    pub closed_tx: String,
    /// What its plan pays in all.
    pub total: Amount,
    /// What its paid chunks paid.
    pub paid: Amount,
    /// What it never pays: `total - paid`, left in the payout contract.
    pub unpaid: Amount,
    /// The payout contract the unpaid remainder stays in.
    pub payout: tokenomics_core::Address,
    /// Whether the journal had it closed already (nothing sent now).
    pub already_closed: bool,
}

impl EpochExecutor<EvmPayout> {
    /// Closes `epoch` on chain and in the journal if it can never complete (see the
    /// module); [`ExecutorError::CloseRefused`] otherwise, nothing sent.
    pub async fn close_epoch(&mut self, epoch: u64, now: u64) -> Result<ClosedEpoch> {
        let refuse = |reason: &str| ExecutorError::CloseRefused {
            epoch,
            reason: reason.to_string(),
        };
        let Some(record) = self.journal.epoch(epoch)? else {
            return Err(refuse(
                "the journal has no plan for it (give the journal of the run that opened it)",
            ));
        };
        let total = self.journal.plan_total(epoch)?.unwrap_or_default();
        let payout = self.payer();
        let closed = |reason: String, closed_tx: String, paid: Amount, already: bool| {
            Ok(ClosedEpoch {
                epoch,
                plan_hash: record.plan_hash,
                reason,
                closed_tx,
                total,
                paid,
                unpaid: total.saturating_sub(paid),
                payout,
                already_closed: already,
            })
        };
        let Some(progress) = self.chain.epoch_progress(epoch).await? else {
            return Err(refuse(
                "it was never opened on chain (nothing of it is stranded)",
            ));
        };
        if let Some(closing) = self.journal.closing(epoch)? {
            return closed(closing.reason, closing.tx_hash, progress.paid_total, true);
        }
        if record.stage == Stage::Done {
            return Err(refuse("it is done: fully paid and verified"));
        }
        match self.chain.opening(epoch).await? {
            Some(memo) if memo.plan_hash == record.plan_hash => {}
            _ => {
                return Err(refuse(
                    "the chain records another plan for it than the journal",
                ))
            }
        }
        let transfers = self.journal.transfers(epoch)?;
        let chunks = u32::try_from(transfers.len().div_ceil(CHUNK_SIZE))
            .map_err(|_| refuse("its plan has more chunks than a uint32 counts"))?;
        if progress.chunks_paid >= chunks {
            return Err(refuse("every chunk is paid on chain; run it to finish it"));
        }
        let reason =
            match self.stranding(epoch, &transfers).await? {
                Some(reason) => reason,
                None if progress.closed => "closed on chain by an earlier close-epoch".to_string(),
                None => return Err(refuse(
                    "every unpaid chunk can still be paid (at most short of funds); run it instead",
                )),
            };
        let tx = self.chain.close_epoch(epoch, chunks).await?;
        self.journal.close(epoch, &reason, &tx.to_string(), now)?;
        let after = self.chain.epoch_progress(epoch).await?;
        let paid = after.map_or(progress.paid_total, |p| p.paid_total);
        closed(reason, tx.to_string(), paid, false)
    }

    /// Why `epoch` can never complete: an unpaid chunk pays a refused recipient, or one
    /// reverts now for a reason other than short funds; `None` when neither.
    async fn stranding(
        &self,
        epoch: u64,
        transfers: &[tokenomics_core::Transfer],
    ) -> Result<Option<String>> {
        let chunks = transfers.len().div_ceil(CHUNK_SIZE);
        let paid = self.chain.paid_chunks(epoch, chunks).await?;
        let refused = self.chain.refused_recipients();
        for (index, transfer) in transfers.iter().enumerate() {
            if paid.get(index / CHUNK_SIZE).copied().unwrap_or(false) {
                continue;
            }
            if let Some(what) = refusal(transfer.to, &refused) {
                return Ok(Some(format!(
                    "transfer {index} (chunk {}) pays {}, {what}, which the chain refuses as a recipient",
                    index / CHUNK_SIZE,
                    transfer.to
                )));
            }
        }
        Ok(self
            .chain
            .unpayable_chunk(epoch, transfers)
            .await?
            .map(|(k, why)| format!("chunk {k} reverts now: {why}")))
    }
}
