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

use super::abi::{to_core, to_evm};
use super::pay::{chunk, chunk_count, payout_op, PaidChunk, CHUNK_SIZE};
use super::{Contracts, EvmPayout};
use crate::chain::EpochMemo;
use crate::error::Result;
use crate::executor::ExecutorConfig;
use crate::journal::EpochRecord;
use crate::payout_chain::{Baseline, ChainShows, ConfirmedSink, PayoutChain, Verified};

/// The transaction hash journaled for a chunk paid by a transaction this sender's
/// journal does not hold (a run with another journal paid it).
pub const UNKNOWN_TX: &str = "paid by another run";

impl PayoutChain for EvmPayout {
    /// The payout contract: it is minted into and pays out; `[executor] treasury` is
    /// not used on an EVM chain.
    fn payer(&self, _configured: Address) -> Address {
        to_core(self.contracts.payout)
    }

    /// The token (it would keep what it is sent for good) and the payout contract.
    fn refused_recipients(&self) -> Vec<Refused> {
        let Contracts { token, payout } = self.contracts;
        vec![
            Refused {
                address: to_core(token),
                what: "the token contract",
            },
            Refused {
                address: to_core(payout),
                what: "the payout contract",
            },
        ]
    }

    fn metrics(&self) -> MetricsSnapshot {
        self.sender.client().metrics()
    }

    async fn minted_supply(&self) -> Result<Amount> {
        EvmPayout::minted_supply(self).await
    }

    /// What the token's emission category can still mint (read first), or what the
    /// epoch minted when the payout contract has it open.
    async fn mint_room(&self, epoch: u64) -> Result<Option<Amount>> {
        let room = self.emission_room().await?;
        Ok(Some(match self.epoch_record(epoch).await? {
            Some((_, from_mint)) => from_mint,
            None => room,
        }))
    }

    async fn opening(&self, epoch: u64) -> Result<Option<EpochMemo>> {
        Ok(self.epoch_record(epoch).await?.map(|(memo, _)| memo))
    }

    async fn closed(&self, epoch: u64) -> Result<bool> {
        self.epoch_closed(epoch).await
    }

    /// The payout contract's record and paid chunks, `confirmations` deep (so a chunk
    /// mined but not confirmed yet is not shown): [`PayoutReader::shows`](super::PayoutReader::shows).
    async fn shows(&self, plan: &EpochPlan) -> Result<Option<ChainShows>> {
        let shows = self.reader.shows(plan.epoch, plan.transfers.len()).await?;
        Ok(Some(shows))
    }

    /// The payout contract's balance only: verification does not use balances on EVM
    /// (anyone can move them), so no sample is read and there is no mark.
    async fn baseline(
        &self,
        _plan: &EpochPlan,
        payer: Address,
        _sample: usize,
    ) -> Result<Baseline> {
        Ok(Baseline {
            payer: self.balance_of(to_evm(payer)).await?,
            samples: Vec::new(),
            mark: None,
        })
    }

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
