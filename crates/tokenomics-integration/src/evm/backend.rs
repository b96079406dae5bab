//! [`EvmPayout`] as a [`PayoutChain`]: the executor's steps in terms of the payout
//! contract's epochs and chunks.
//!
//! The executor counts transfers; the contract counts chunks ([`CHUNK_SIZE`] transfers
//! each, in plan order). A transfer is pending while its chunk is unpaid, and a chunk
//! paid on chain confirms all its transfers at once, under the hash of the transaction
//! that paid it (or [`UNKNOWN_TX`] when this sender's journal does not hold it).

use std::sync::atomic::AtomicBool;

use rpc_resilience::MetricsSnapshot;
use tokenomics_core::{Address, Amount, EpochPlan, Refused};

use super::pay::{chunk, chunk_count, payout_op, PaidChunk, CHUNK_SIZE};
use super::EvmPayout;
use crate::chain::EpochMemo;
use crate::error::Result;
use crate::executor::ExecutorConfig;
use crate::journal::EpochRecord;
use crate::payout_chain::{
    Baseline, ChainShows, ConfirmedSink, PayoutChain, PayoutPreview, Verified,
};

/// The transaction hash journaled for a chunk paid by a transaction this sender's
/// journal does not hold (a run with another journal paid it).
pub const UNKNOWN_TX: &str = "paid by another run";

/// Every read through the backend's [`PayoutReader`](super::PayoutReader), the one a
/// dry run uses without a key.
impl PayoutPreview for EvmPayout {
    fn payer(&self, configured: Address) -> Address {
        self.reader.payer(configured)
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

    async fn opening(&self, epoch: u64) -> Result<Option<EpochMemo>> {
        self.reader.opening(epoch).await
    }

    async fn closed(&self, epoch: u64) -> Result<bool> {
        self.reader.closed(epoch).await
    }

    async fn shows(&self, plan: &EpochPlan) -> Result<Option<ChainShows>> {
        PayoutPreview::shows(&self.reader, plan).await
    }

    async fn baseline(&self, plan: &EpochPlan, payer: Address, sample: usize) -> Result<Baseline> {
        self.reader.baseline(plan, payer, sample).await
    }

    async fn opened_with(
        &self,
        plan: &EpochPlan,
        memo: &EpochMemo,
        payer: Address,
    ) -> Result<bool> {
        self.reader.opened_with(plan, memo, payer).await
    }

    async fn funds_needed(&self, plan: &EpochPlan, payer: Address, owed: Amount) -> Result<Amount> {
        self.reader.funds_needed(plan, payer, owed).await
    }

    async fn unpaid(
        &self,
        plan: &EpochPlan,
        payer: Address,
        pending: &[u32],
        config: &ExecutorConfig,
    ) -> Result<usize> {
        self.reader.unpaid(plan, payer, pending, config).await
    }
}

impl PayoutChain for EvmPayout {
    async fn open(
        &self,
        plan: &EpochPlan,
        memo: &EpochMemo,
        _payer: Address,
        owed: Amount,
    ) -> Result<bool> {
        self.open_epoch(plan, memo, owed).await
    }

    async fn applied(
        &self,
        plan: &EpochPlan,
        _payer: Address,
        pending: &[u32],
        _config: &ExecutorConfig,
    ) -> Result<Vec<(u32, String)>> {
        let paid = self.paid_chunks(plan.epoch, chunk_count(plan)).await?;
        let mut found = Vec::new();
        for k in chunks_of(pending) {
            if paid.get(k as usize).copied().unwrap_or(false) {
                let op = payout_op(plan.epoch, k);
                let paid = PaidChunk {
                    chunk: k,
                    transfers: chunk(plan, k).len(),
                    confirmation: self.confirm_journaled(&op).await?,
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
        _payer: Address,
        pending: &[u32],
        _config: &ExecutorConfig,
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
        record: &EpochRecord,
        _samples: &[(Address, Amount)],
        sample: usize,
    ) -> Result<Verified> {
        self.verify_paid(plan, record.minted_supply, sample).await
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
fn transfers_of(paid: &PaidChunk) -> Vec<(u32, String)> {
    let hash = paid
        .confirmation
        .map_or_else(|| UNKNOWN_TX.to_string(), |done| done.tx_hash.to_string());
    let first = paid.chunk * CHUNK_SIZE as u32;
    (first..first + paid.transfers as u32)
        .map(|index| (index, hash.clone()))
        .collect()
}
