//! [`EvmPayout`] as a [`PayoutChain`]: the executor's steps in terms of the payout
//! contract's epochs and chunks.
//!
//! The executor counts transfers; the contract counts chunks ([`CHUNK_SIZE`] transfers
//! each, in plan order). A transfer is pending while its chunk is unpaid, and a chunk
//! paid on chain confirms all its transfers at once, under the hash of the transaction
//! that paid it (or [`PaidBy::AnotherRun`] when this sender's journal does not hold it).

use std::sync::atomic::AtomicBool;

use payout_executor::{PaidBy, TxHash};
use rpc_resilience::MetricsSnapshot;
use tokenomics_core::{Address, Amount, EpochPlan, Refused};

use crate::follow::Tracked;
use crate::pay::{chunk, chunk_count, payout_op, PaidChunk, CHUNK_SIZE};
use crate::EvmPayout;
use payout_executor::Opening;
use payout_executor::Result;
use payout_executor::{Baseline, ChainShows, ConfirmedSink, PayoutChain, PayoutPreview, Verified};

/// Every read through the backend's [`PayoutReader`](super::PayoutReader), the one a
/// dry run uses without a key.
impl PayoutPreview for EvmPayout {
    fn payer(&self) -> Address {
        self.reader.payer()
    }

    fn refused_recipients(&self) -> Vec<Refused> {
        self.reader.refused_recipients()
    }

    fn metrics(&self) -> MetricsSnapshot {
        self.sender.client().metrics()
    }

    async fn minted_supply(&self) -> Result<Amount> {
        PayoutPreview::minted_supply(&self.reader).await
    }

    async fn mint_room(&self, epoch: u64) -> Result<Option<Amount>> {
        self.reader.mint_room(epoch).await
    }

    async fn opening(&self, epoch: u64) -> Result<Option<Opening>> {
        self.reader.opening(epoch).await
    }

    async fn closed(&self, epoch: u64) -> Result<bool> {
        self.reader.closed(epoch).await
    }

    async fn shows(&self, plan: &EpochPlan) -> Result<Option<ChainShows>> {
        PayoutPreview::shows(&self.reader, plan).await
    }

    async fn baseline(&self, plan: &EpochPlan, sample: usize) -> Result<Baseline> {
        self.reader.baseline(plan, sample).await
    }

    async fn opened_with(&self, plan: &EpochPlan, opening: &Opening) -> Result<bool> {
        self.reader.opened_with(plan, opening).await
    }

    async fn funds_needed(&self, plan: &EpochPlan, owed: Amount) -> Result<Amount> {
        self.reader.funds_needed(plan, owed).await
    }

    async fn unpaid(&self, plan: &EpochPlan, pending: &[u32]) -> Result<usize> {
        self.reader.unpaid(plan, pending).await
    }
}

impl PayoutChain for EvmPayout {
    async fn open(&self, plan: &EpochPlan, opening: &Opening, owed: Amount) -> Result<bool> {
        self.open_epoch(plan, opening, owed).await
    }

    async fn applied(&self, plan: &EpochPlan, pending: &[u32]) -> Result<Vec<(u32, PaidBy)>> {
        // What the contract shows `confirmations` deep; a chunk paid above that is waited
        // for by `pay`.
        let block = self.reader.reader().confirmed_block().await;
        let block = block.map_err(crate::error::sender)?;
        let paid = self
            .paid_chunks_at(plan.epoch, chunk_count(plan), Some(block))
            .await?;
        let mut found = Vec::new();
        for k in chunks_of(pending) {
            if paid.get(k as usize).copied().unwrap_or(false) {
                let op = Tracked::nothing(&payout_op(plan.epoch, k));
                let paid = PaidChunk {
                    chunk: k,
                    transfers: chunk(plan, k).len(),
                    confirmation: self.follow().paid_by(&op, None).await?,
                };
                found.extend(transfers_of(&paid));
            }
        }
        found.retain(|(index, _)| pending.binary_search(index).is_ok());
        Ok(found)
    }

    async fn pay(
        &self,
        plan: &EpochPlan,
        pending: &[u32],
        stop: &AtomicBool,
        confirmed: &mut ConfirmedSink<'_>,
    ) -> Result<()> {
        let chunks = chunks_of(pending);
        let mut on_paid = |paid: PaidChunk| {
            let mut group = transfers_of(&paid);
            group.retain(|(index, _)| pending.binary_search(index).is_ok());
            confirmed(&group)
        };
        self.pay_chunks(plan, &chunks, &mut on_paid, stop).await
    }

    /// What the payout contract did ([`EvmPayout::verify_paid`]): its record, every
    /// chunk's bit, and a sample of chunks' `Transfer` logs; never balances.
    async fn verify(
        &self,
        plan: &EpochPlan,
        opening: &Opening,
        _baseline: Option<&Baseline>,
        sample: usize,
    ) -> Result<Verified> {
        self.verify_paid(plan, opening.minted_supply, sample).await
    }
}

/// The chunks holding the `pending` transfers (sorted, as the executor gives them), in
/// order, each once.
fn chunks_of(pending: &[u32]) -> Vec<u32> {
    let mut chunks: Vec<u32> = pending
        .iter()
        .map(|&index| index / CHUNK_SIZE as u32)
        .collect();
    chunks.dedup();
    chunks
}

/// Every transfer of a paid chunk, with the hash of the transaction that paid it.
fn transfers_of(paid: &PaidChunk) -> Vec<(u32, PaidBy)> {
    let paid_by = paid.confirmation.map_or(PaidBy::AnotherRun, |done| {
        PaidBy::Tx(TxHash(done.tx_hash.0))
    });
    let first = paid.chunk * CHUNK_SIZE as u32;
    (first..first + paid.transfers as u32)
        .map(|index| (index, paid_by))
        .collect()
}
