//! [`EvmPayout`] as a [`PayoutChain`]: the executor's steps in terms of the payout
//! contract's epochs and chunks.
//!
//! The executor counts transfers; the contract counts chunks ([`CHUNK_SIZE`] transfers
//! each, in plan order). A transfer is pending while its chunk is unpaid, and a chunk
//! paid on chain confirms all its transfers at once, under the hash of the transaction
//! that paid it (or [`UNKNOWN_TX`] when this sender's journal does not hold it).

use std::sync::atomic::AtomicBool;

use rpc_resilience::MetricsSnapshot;
use tokenomics_core::{Address, Amount, EpochPlan};

use super::abi::to_core;
use super::pay::{chunk, chunk_count, payout_op, PaidChunk, CHUNK_SIZE};
use super::{EvmBalances, EvmPayout};
use crate::chain::EpochMemo;
use crate::error::{ExecutorError, Result};
use crate::executor::ExecutorConfig;
use crate::journal::EpochRecord;
use crate::payout_chain::{Baseline, ConfirmedSink, PayoutChain, Verified};

/// The transaction hash journaled for a chunk paid by a transaction this sender's
/// journal does not hold (a run with another journal paid it).
pub const UNKNOWN_TX: &str = "paid by another run";

impl PayoutChain for EvmPayout {
    /// The payout contract: it is minted into and pays out; `[executor] treasury` is
    /// not used on an EVM chain.
    fn payer(&self, _configured: Address) -> Address {
        to_core(self.contracts.payout)
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

    /// Reads the total supply, the payout contract's and the sampled recipients'
    /// balances, then the epoch's record: if it is still not open, nothing of the epoch
    /// came before the readings, and the total supply marks them.
    async fn baseline(&self, plan: &EpochPlan, _payer: Address, sample: usize) -> Result<Baseline> {
        let before = self.balances(plan, sample).await?;
        let open = self.epoch_record(plan.epoch).await?.is_some();
        Ok(Baseline {
            payer: before.payout,
            samples: before.sample,
            mark: (!open).then_some(before.supply.base_units()),
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

    /// Records: the epoch's record is this plan's and every chunk is paid. Balances:
    /// when the journaled baseline is a true start and the total supply rose by exactly
    /// this epoch's mint (no other epoch opened meanwhile), the payout contract's and
    /// the sampled recipients' balances changed by exactly the plan.
    async fn verify(
        &self,
        plan: &EpochPlan,
        record: &EpochRecord,
        samples: &[(Address, Amount)],
        _sample: usize,
    ) -> Result<Verified> {
        let epoch = plan.epoch;
        let unverified = |reason: String| ExecutorError::Unverified { epoch, reason };
        let memo = EpochMemo {
            plan_hash: plan.plan_hash,
            minted_supply: record.minted_supply,
        };
        match self.epoch_record(epoch).await? {
            None => return Err(unverified("the payout contract has no record".into())),
            Some((on_chain, from_mint)) if on_chain != memo || from_mint != plan.from_mint => {
                return Err(ExecutorError::ChainConflict {
                    epoch,
                    detail: format!(
                        "on chain plan {}, paid plan {}",
                        on_chain.plan_hash, plan.plan_hash
                    ),
                })
            }
            Some(_) => {}
        }
        let paid = self.paid_chunks(epoch, chunk_count(plan)).await?;
        if let Some(k) = paid.iter().position(|paid| !paid) {
            return Err(unverified(format!("chunk {k} is not paid")));
        }
        let records = plan.transfers.len() as u64;
        let (Some(mark), Some(payout)) = (record.baseline, record.treasury_before) else {
            return Ok(Verified {
                records,
                balances: 0,
            });
        };
        let before = EvmBalances {
            supply: Amount::from_base_units(mark),
            payout,
            sample: samples.to_vec(),
        };
        let expected = before.supply.checked_add(plan.from_mint, "supply")?;
        if EvmPayout::minted_supply(self).await? != expected {
            tracing::info!(
                epoch,
                "other epochs opened meanwhile; verified by records only"
            );
            return Ok(Verified {
                records,
                balances: 0,
            });
        }
        let balances = self.verify_balances(plan, &before).await? as u64;
        Ok(Verified { records, balances })
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
