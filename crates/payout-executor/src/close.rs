//! `EpochExecutor::close_epoch`: the way out of an epoch that can never complete, and
//! only of such an epoch, on a chain that can close one ([`ClosesEpochs`]).
//!
//! Refused unless the epoch is journaled, opened on chain with the journaled plan, not
//! fully paid, and provably unpayable: the backend names why
//! ([`ClosesEpochs::stranding`]; on EVM an unpaid chunk pays a recipient the chain refuses,
//! or reverts now for a reason other than the payer being short of funds). Then the close
//! is sent once and the journal records the closing (stage `closed`, the reason, the
//! transaction, the time). What the epoch did not pay stays with the payer, where later
//! epochs' `from_pool` comes from. **Invariant:** a payable epoch is never closed, so its
//! funds never move this way.

use tokenomics_core::{Amount, Hash256, Transfer};

use crate::error::{ExecutorError, Result};
use crate::executor::EpochExecutor;
use crate::seam::{PayoutChain, TxHash};
use payout_journal::Stage;

/// Where an epoch the chain can close stands on chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CloseProgress {
    /// Units (EVM: chunks) of its plan paid.
    pub units_paid: u32,
    /// What those paid.
    pub paid_total: Amount,
    /// Closed on chain already.
    pub closed: bool,
}

/// A chain that can close an epoch for good (the EVM payout contract's `closeEpoch`).
// Awaited in place by one caller, as `PayoutChain`: no `Send` bound on the futures.
#[allow(async_fn_in_trait)]
pub trait ClosesEpochs: PayoutChain {
    /// How many units (EVM: chunks) a plan of `transfers` transfers is paid in.
    fn units(&self, transfers: usize) -> u64;
    /// Where `epoch` stands on chain, `None` when it was never opened.
    async fn close_progress(&self, epoch: u64) -> Result<Option<CloseProgress>>;
    /// Why `epoch`, whose plan pays `transfers`, can never complete, or `None` when
    /// every unpaid part of it can still be paid.
    async fn stranding(&self, epoch: u64, transfers: &[Transfer]) -> Result<Option<String>>;
    /// Closes `epoch`, paid in `units` units, on chain (sent once); the transaction.
    async fn close(&self, epoch: u64, units: u32) -> Result<TxHash>;
}

/// What closing an epoch did (`tokenomics close-epoch`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClosedEpoch {
    /// The epoch.
    pub epoch: u64,
    /// Its journaled plan.
    pub plan_hash: Hash256,
    /// Why it can never complete.
    pub reason: String,
    /// The closing transaction.
    pub closed_tx: String,
    /// What its plan pays in all.
    pub total: Amount,
    /// What its paid chunks paid.
    pub paid: Amount,
    /// What it never pays: `total - paid`, left with the payer.
    pub unpaid: Amount,
    /// The payer the unpaid remainder stays with (EVM: the payout contract).
    pub payout: tokenomics_core::Address,
    /// Whether the journal had it closed already (nothing sent now).
    pub already_closed: bool,
}

impl<C: ClosesEpochs> EpochExecutor<C> {
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
        let Some(progress) = self.chain.close_progress(epoch).await? else {
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
        let chunks = u32::try_from(self.chain.units(transfers.len()))
            .map_err(|_| refuse("its plan has more chunks than a uint32 counts"))?;
        if progress.units_paid >= chunks {
            return Err(refuse("every chunk is paid on chain; run it to finish it"));
        }
        let reason =
            match self.chain.stranding(epoch, &transfers).await? {
                Some(reason) => reason,
                None if progress.closed => "closed on chain by an earlier close-epoch".to_string(),
                None => return Err(refuse(
                    "every unpaid chunk can still be paid (at most short of funds); run it instead",
                )),
            };
        let tx = self.chain.close(epoch, chunks).await?;
        self.journal.close(epoch, &reason, &tx.to_string(), now)?;
        let after = self.chain.close_progress(epoch).await?;
        let paid = after.map_or(progress.paid_total, |p| p.paid_total);
        closed(reason, tx.to_string(), paid, false)
    }
}
