//! [`PayoutReader`] as a [`PayoutPreview`]: every read of an epoch on the payout contract
//! (record, chunk bits, token supply, mint room, the contract's balance), with no key and
//! no nonce journal. [`EvmPayout`](super::EvmPayout) answers the same reads through its own
//! reader, so a dry run and a run read the same things.

use rpc_resilience::MetricsSnapshot;
use tokenomics_core::{Address, Amount, EpochPlan, Refused};

use crate::abi::{to_amount, to_core, IEpochPayout, IMDTToken};
use crate::pay::{chunk_count, CHUNK_SIZE};
use crate::{Contracts, PayoutReader};
use payout_executor::Opening;
use payout_executor::{Baseline, ChainShows, PayoutPreview};
use payout_executor::{ExecutorError, PoolShortfall, Result};

/// `MDTToken.Category.EmissionRewards`, the category `openEpoch` mints from.
const EMISSION_REWARDS: u8 = 0;

impl PayoutReader {
    /// The token's `totalSupply()`.
    pub async fn minted_supply(&self) -> Result<Amount> {
        let token = self.contracts().token;
        let supply = self
            .view_at("token", token, IMDTToken::totalSupplyCall {}, None)
            .await?;
        to_amount("totalSupply", supply)
    }

    /// What the token's emission category (`Category.EmissionRewards`, the one
    /// `openEpoch` mints from) can still mint: `remainingAllocation`.
    pub async fn emission_room(&self) -> Result<Amount> {
        let token = self.contracts().token;
        let call = IMDTToken::remainingAllocationCall {
            category: EMISSION_REWARDS,
        };
        let room = self.view_at("token", token, call, None).await?;
        to_amount("remainingAllocation", room)
    }

    /// `balanceOf(who)` on the token.
    pub async fn balance_of(&self, who: alloy_primitives::Address) -> Result<Amount> {
        let token = self.contracts().token;
        let call = IMDTToken::balanceOfCall { account: who };
        to_amount("balanceOf", self.view_at("token", token, call, None).await?)
    }

    /// The epoch's record: its memo (plan hash, minted supply before) and what it minted
    /// (`fromMint`), or `None` when the epoch was never opened.
    pub async fn epoch_record(&self, epoch: u64) -> Result<Option<(Opening, Amount)>> {
        let state = self.epoch_state(epoch, None).await?;
        Ok(state.map(|state| (state.memo, state.from_mint)))
    }

    /// Whether the contract has `epoch` closed (`epochClosed`).
    pub async fn epoch_closed(&self, epoch: u64) -> Result<bool> {
        self.epoch_closed_at(epoch, None).await
    }

    /// Whether the contract has `epoch` closed at `block` (`None`: the latest).
    pub async fn epoch_closed_at(&self, epoch: u64, block: Option<u64>) -> Result<bool> {
        let payout = self.contracts().payout;
        let call = IEpochPayout::epochClosedCall { epoch };
        self.view_at("payout", payout, call, block).await
    }

    /// The pool check before `openEpoch`: the payout contract must hold the epoch's total
    /// plus `owed` (what unfinished epochs still pay from it) once `from_mint` is minted
    /// into it (`balance + from_mint >= total + owed`, else [`ExecutorError::PayoutShort`]).
    /// Returns what it must hold before the mint: `total + owed - from_mint`.
    pub async fn check_funds(&self, plan: &EpochPlan, owed: Amount) -> Result<Amount> {
        let payout = self.contracts().payout;
        let balance = self.balance_of(payout).await?;
        let owes = plan.total.checked_add(owed, "owed")?;
        if balance.checked_add(plan.from_mint, "payout balance")? < owes {
            return Err(ExecutorError::PoolShort(Box::new(PoolShortfall {
                epoch: plan.epoch,
                payer_is: "the payout contract",
                payer: to_core(payout),
                holds: balance,
                needed: owes.saturating_sub(plan.from_mint),
                mints: plan.from_mint,
                pays: plan.total,
                owed,
            })));
        }
        Ok(owes.checked_sub(plan.from_mint, "payout needed")?)
    }
}

impl PayoutPreview for PayoutReader {
    /// The payout contract: it is minted into and pays out; `[executor] treasury` is
    /// not used on an EVM chain.
    fn payer(&self) -> Address {
        to_core(self.contracts().payout)
    }

    fn metrics(&self) -> MetricsSnapshot {
        self.reader().client().metrics()
    }

    /// The token (it would keep what it is sent for good) and the payout contract.
    fn refused_recipients(&self) -> Vec<Refused> {
        let Contracts { token, payout } = self.contracts();
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

    async fn minted_supply(&self) -> Result<Amount> {
        PayoutReader::minted_supply(self).await
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

    async fn opening(&self, epoch: u64) -> Result<Option<Opening>> {
        Ok(self.epoch_record(epoch).await?.map(|(memo, _)| memo))
    }

    async fn closed(&self, epoch: u64) -> Result<bool> {
        self.epoch_closed(epoch).await
    }

    /// The payout contract's record and paid chunks, `confirmations` deep (so a chunk
    /// mined but not confirmed yet is not shown): [`PayoutReader::shows`].
    async fn shows(&self, plan: &EpochPlan) -> Result<Option<ChainShows>> {
        let shows = PayoutReader::shows(self, plan.epoch, plan.transfers.len()).await?;
        Ok(Some(shows))
    }

    /// The payout contract's balance only: verification does not use balances on EVM
    /// (anyone can move them), so no sample is read and there is no mark.
    async fn baseline(&self, _plan: &EpochPlan, _sample: usize) -> Result<Baseline> {
        Ok(Baseline {
            payer: self.balance_of(self.contracts().payout).await?,
            samples: Vec::new(),
            mark: None,
        })
    }

    /// The epoch's record must carry this plan's memo and mint exactly its `from_mint`.
    async fn opened_with(&self, plan: &EpochPlan, memo: &Opening) -> Result<bool> {
        let Some((on_chain, from_mint)) = self.epoch_record(plan.epoch).await? else {
            return Ok(false);
        };
        if on_chain == *memo && from_mint == plan.from_mint {
            return Ok(true);
        }
        Err(ExecutorError::ChainConflict {
            epoch: plan.epoch,
            detail: format!(
                "on chain plan {} (minted supply {} MDT, minted {} MDT), these inputs plan {} (minted supply {} MDT, mint {} MDT)",
                on_chain.plan_hash,
                on_chain.minted_supply,
                from_mint,
                memo.plan_hash,
                memo.minted_supply,
                plan.from_mint
            ),
        })
    }

    /// [`PayoutReader::check_funds`].
    async fn funds_needed(&self, plan: &EpochPlan, owed: Amount) -> Result<Amount> {
        self.check_funds(plan, owed).await
    }

    /// The pending transfers whose chunk the contract does not mark paid (at the head,
    /// as a run reads it before paying).
    async fn unpaid(&self, plan: &EpochPlan, pending: &[u32]) -> Result<usize> {
        let paid = self
            .paid_chunks_at(plan.epoch, chunk_count(plan), None)
            .await?;
        let chunk_paid = |index: &&u32| {
            let k = **index as usize / CHUNK_SIZE;
            paid.get(k).copied().unwrap_or(false)
        };
        Ok(pending.iter().filter(|index| !chunk_paid(index)).count())
    }
}
