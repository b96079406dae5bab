//! `EpochExecutor::dry_run`: what a run would mint and send, found with the run's own
//! reads of the journal and the chain ([`EpochExecutor::prepare`], the opening, the pool
//! check, what is already paid), with nothing written anywhere.
//!
//! It is generic over [`PayoutPreview`], the seam's read-only half, so it works on every
//! backend (an executor over the EVM [`PayoutReader`](crate::evm::PayoutReader) has no key
//! and no nonce journal) and the compiler keeps it from writing. On EVM the report's
//! treasury is the payout contract, its balance the contract's token balance, and there
//! are no sampled balances (a run reads none there).

use serde::Serialize;
use tokenomics_core::{Address, Amount, EpochInputs, Hash256};

use crate::error::Result;
use crate::executor::{EpochExecutor, MintedSupply};
use crate::prepare::Prepared;
use crate::seam::PayoutPreview;
use payout_journal::Stage;

/// Where an epoch stands on chain, as a dry run finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OnChain {
    /// Not opened: a run would mint, then send every transfer.
    NotOpen,
    /// Opened (minted) with this plan; some transfers are not applied yet.
    Open,
    /// Opened and every transfer applied: a run would send nothing.
    Paid,
}

impl OnChain {
    /// The words a person reads.
    pub fn describe(self) -> &'static str {
        match self {
            OnChain::NotOpen => "not open",
            OnChain::Open => "open",
            OnChain::Paid => "paid",
        }
    }
}

/// A balance read before the mint, as a run reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SampleBalance {
    /// The recipient.
    pub address: Address,
    /// Its balance now.
    pub balance: Amount,
}

/// What a run would do for one epoch (`run --dry-run`, docs/SPEC.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DryRunReport {
    /// The epoch.
    pub epoch: u64,
    /// The hash of the plan a run would pay.
    pub plan_hash: Hash256,
    /// The minted supply the plan is built with.
    pub minted_supply: Amount,
    /// What the epoch mints (already minted when it is open on chain).
    pub from_mint: Amount,
    /// What it pays from the recycling pool, out of the treasury.
    pub from_pool: Amount,
    /// What its transfers pay in all.
    pub total: Amount,
    /// Transfers in the plan.
    pub transfers: u64,
    /// Transfers a run would send (neither confirmed in the journal nor applied on chain).
    pub to_send: u64,
    /// Whether a run would mint (the epoch is not open on chain).
    pub would_mint: bool,
    /// Where the epoch stands on chain.
    pub on_chain: OnChain,
    /// Its stage in the journal, when the journal has it.
    pub journal_stage: Option<Stage>,
    /// The paying account.
    pub treasury: Address,
    /// Its balance now.
    pub treasury_balance: Amount,
    /// What it must hold before the mint (the pool check), when a run would mint.
    pub treasury_needed: Option<Amount>,
    /// Sampled recipients' balances, as a run reads them before the mint.
    pub samples: Vec<SampleBalance>,
}

/// What the earlier epochs of one dry run would have done on chain, so that the next
/// epoch is planned and checked as a run that paid them would plan and check it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DryRunAhead {
    minted: Amount,
    from_pool: Amount,
}

impl<C: PayoutPreview> EpochExecutor<C> {
    /// What [`EpochExecutor::run_epoch`] would mint and send for `inputs`: the same
    /// plan, the same refusals (a conflict with the journal or the chain, a treasury
    /// short of the recycled pool), the same reads; no write to the chain or the journal.
    /// Give the epochs of one dry run in order, with the same `ahead`.
    pub async fn dry_run(
        &self,
        mut inputs: EpochInputs,
        minted: MintedSupply,
        ahead: &mut DryRunAhead,
    ) -> Result<DryRunReport> {
        let Prepared {
            plan,
            memo,
            journaled,
            ..
        } = self.prepare(&mut inputs, minted, ahead.minted).await?;
        let epoch = plan.epoch;
        let treasury = self.payer();
        let stage = journaled.as_ref().map(|record| record.stage);
        let open = if stage.is_some_and(|stage| stage >= Stage::Minted) {
            true
        } else {
            self.chain.opened_with(&plan, &memo).await?
        };
        let sample = self.config.verify_sample.get();
        let baseline = self.chain.baseline(&plan, sample).await?;
        let treasury_needed = if open {
            None
        } else {
            let owed = self
                .journal
                .owed_by_unfinished(epoch)?
                .checked_add(ahead.from_pool, "owed")?;
            Some(self.chain.funds_needed(&plan, owed).await?)
        };
        let from_pool = plan.total.checked_sub(plan.from_mint, "recycled pool")?;
        let confirmed = match stage {
            Some(_) => self.journal.confirmed_indices(epoch)?,
            None => Vec::new(),
        };
        let pending: Vec<u32> = (0..plan.transfers.len() as u32)
            .filter(|index| confirmed.binary_search(index).is_err())
            .collect();
        let to_send = if open {
            self.chain.unpaid(&plan, &pending).await?
        } else {
            pending.len()
        };
        if !open {
            ahead.minted = ahead.minted.checked_add(plan.from_mint, "minted ahead")?;
            ahead.from_pool = ahead.from_pool.checked_add(from_pool, "paid ahead")?;
        }
        Ok(DryRunReport {
            epoch,
            plan_hash: plan.plan_hash,
            minted_supply: inputs.minted_supply,
            from_mint: plan.from_mint,
            from_pool,
            total: plan.total,
            transfers: plan.transfers.len() as u64,
            to_send: to_send as u64,
            would_mint: !open,
            on_chain: match (open, to_send) {
                (false, _) => OnChain::NotOpen,
                (true, 0) => OnChain::Paid,
                (true, _) => OnChain::Open,
            },
            journal_stage: stage,
            treasury,
            treasury_balance: baseline.payer,
            treasury_needed,
            samples: baseline
                .samples
                .into_iter()
                .map(|(address, balance)| SampleBalance { address, balance })
                .collect(),
        })
    }
}
