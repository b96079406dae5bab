//! Opening an epoch on chain: the mint that carries the plan, and what a run without
//! the journal reads back to find where an epoch stands.
//!
//! The mint is the epoch's first write. Its key is `mint:<epoch>` and its memo is the
//! plan hash with the minted supply the plan used ([`EpochMemo`]), so the node refuses
//! another plan for a started epoch (-32003) before a single transfer of it is sent,
//! and a run that lost its journal plans the epoch from the memo, exactly as before.

use futures_util::{stream, StreamExt};
use rpc_resilience::RpcError;
use tokenomics_core::{Address, Amount, EpochInputs, EpochPlan};

use crate::chain::{mint_key, transfer_key, EpochMemo, WriteRecord, IDEMPOTENCY_CONFLICT};
use crate::error::{ExecutorError, Result};
use crate::executor::{Confirmed, EpochExecutor, MintedSupply};
use crate::journal::EpochRecord;
use crate::verify::{differs, sample_recipients};

/// An epoch planned and checked against the journal and the chain, nothing written.
#[derive(Debug)]
pub(crate) struct Prepared {
    /// The plan, built with the minted supply the rule of [`MintedSupply`] gives.
    pub(crate) plan: EpochPlan,
    /// What the epoch's mint carries.
    pub(crate) memo: EpochMemo,
    /// The journal's record of the epoch, if it has one.
    pub(crate) journaled: Option<EpochRecord>,
    /// How the epoch opened on chain, read only when the journal has no record.
    pub(crate) opening: Option<(WriteRecord, EpochMemo)>,
}

/// The treasury before a fresh mint: what it holds and what it must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pool {
    /// Its balance.
    pub(crate) available: Amount,
    /// What the epoch pays from the recycling pool plus what unfinished epochs owe.
    pub(crate) needed: Amount,
}

impl EpochExecutor {
    /// Plans `inputs` as a run would and refuses what the journal or the chain says
    /// cannot be paid this way; reads only. `ahead` is added to a minted supply read
    /// from `luxtensor_totalSupply` (what a dry run's earlier epochs would mint; 0 for
    /// a run).
    pub(crate) async fn prepare(
        &self,
        inputs: &mut EpochInputs,
        minted: MintedSupply,
        ahead: Amount,
    ) -> Result<Prepared> {
        let epoch = inputs.epoch;
        let journaled = self.journal.epoch(epoch)?;
        // Without a journal record, the chain tells whether (and with what) the epoch
        // opened. The supply is read first: if the mint is absent at the second read,
        // it was absent at the first, so a run opening the epoch meanwhile cannot make
        // this one plan on a supply that already holds the epoch's own mint.
        let (opening, supply_before) = match journaled {
            None => {
                let supply = self.chain.total_supply().await?;
                (self.opening(epoch).await?, supply)
            }
            Some(_) => (None, Amount::ZERO),
        };
        if minted == MintedSupply::FromChain {
            inputs.minted_supply = match (&journaled, &opening) {
                (Some(record), _) => record.minted_supply,
                (None, Some((_, memo))) => memo.minted_supply,
                (None, None) => supply_before.checked_add(ahead, "minted supply")?,
            };
        }
        let plan = EpochPlan::build(&self.params, inputs)?;
        let memo = EpochMemo {
            plan_hash: plan.plan_hash,
            minted_supply: inputs.minted_supply,
        };
        let treasury = self.config.treasury;
        match &journaled {
            Some(record) if record.plan_hash != plan.plan_hash => {
                return Err(ExecutorError::Conflict {
                    epoch,
                    journaled: record.plan_hash,
                    new: plan.plan_hash,
                })
            }
            Some(record) if record.treasury != treasury => {
                return Err(ExecutorError::TreasuryChanged {
                    epoch,
                    journaled: record.treasury,
                    configured: treasury,
                })
            }
            Some(_) => {}
            None => {
                if let Some((_, on_chain)) = opening.as_ref().filter(|(_, m)| *m != memo) {
                    return Err(ExecutorError::ChainConflict {
                        epoch,
                        detail: format!(
                            "on chain plan {}, these inputs plan {}",
                            on_chain.plan_hash, plan.plan_hash
                        ),
                    });
                }
            }
        }
        Ok(Prepared {
            plan,
            memo,
            journaled,
            opening,
        })
    }

    /// The treasury's balance and the sampled recipients' balances (before the mint).
    pub(crate) async fn starting_balances(
        &self,
        plan: &EpochPlan,
        treasury: Address,
    ) -> Result<(Amount, Vec<(Address, Amount)>)> {
        let treasury_before = self.chain.balance(treasury).await?;
        let sample = sample_recipients(plan, treasury, self.config.verify_sample.get());
        let balances = self.chain.balances(&sample).await?;
        Ok((treasury_before, sample.into_iter().zip(balances).collect()))
    }

    /// The pool check before a fresh mint: the treasury must hold what the epoch pays
    /// from the recycling pool plus what unfinished epochs still owe, plus `ahead`
    /// (what a dry run's earlier epochs would have paid from it; 0 for a run).
    pub(crate) async fn check_pool(&self, plan: &EpochPlan, ahead: Amount) -> Result<Pool> {
        let treasury = self.config.treasury;
        let available = self.chain.balance(treasury).await?;
        let needed = plan
            .total
            .checked_sub(plan.from_mint, "recycled pool")?
            .checked_add(self.journal.owed_by_unfinished(plan.epoch)?, "owed")?
            .checked_add(ahead, "owed")?;
        if available < needed {
            return Err(ExecutorError::TreasuryShort {
                epoch: plan.epoch,
                treasury,
                available,
                needed,
            });
        }
        Ok(Pool { available, needed })
    }

    /// How the epoch was opened on chain, if it was: the mint's record and its memo.
    pub(crate) async fn opening(&self, epoch: u64) -> Result<Option<(WriteRecord, EpochMemo)>> {
        let Some(found) = self.chain.record(&mint_key(epoch)).await? else {
            return Ok(None);
        };
        let memo = found
            .memo
            .as_deref()
            .and_then(EpochMemo::parse)
            .ok_or_else(|| ExecutorError::ChainConflict {
                epoch,
                detail: format!("{} carries no plan memo of this tool", mint_key(epoch)),
            })?;
        Ok(Some((found, memo)))
    }

    /// Reads the starting balances, then mints unless the epoch is already open on chain
    /// (with this plan, else a conflict); returns whether it was open before.
    ///
    /// Before a fresh mint, the treasury must hold what the epoch pays from the
    /// recycling pool plus what unfinished epochs still owe.
    pub(crate) async fn open_on_chain(
        &mut self,
        plan: &EpochPlan,
        record: &EpochRecord,
        memo: &EpochMemo,
    ) -> Result<bool> {
        let key = mint_key(plan.epoch);
        let treasury = record.treasury;
        let found = if record.treasury_before.is_none() {
            let head = self.chain.block_number().await?;
            let (treasury_before, samples) = self.starting_balances(plan, treasury).await?;
            // Read after the balances: if the mint is absent now, no write of this
            // epoch came before them, and they are a true starting point.
            let found = self.chain.record(&key).await?;
            let baseline = found.is_none().then_some(head);
            self.journal
                .record_balances_before(plan.epoch, treasury_before, &samples, baseline)?;
            found
        } else {
            self.chain.record(&key).await?
        };
        if let Some(found) = found {
            check_opening(plan, treasury, memo, &found)?;
            return Ok(true);
        }
        self.check_pool(plan, Amount::ZERO).await?;
        match self.chain.mint(treasury, plan.from_mint, &key, memo).await {
            Err(ExecutorError::Rpc {
                source: RpcError::Rpc { code, .. },
                ..
            }) if code == IDEMPOTENCY_CONFLICT => Err(ExecutorError::ChainConflict {
                epoch: plan.epoch,
                detail: format!("{key} was just written with another plan"),
            }),
            other => other.map(|_| false),
        }
    }

    /// Reads the record of every unconfirmed transfer and journals those the chain
    /// already applied (each checked against the plan); returns how many it found.
    pub(crate) async fn scan(
        &mut self,
        plan: &EpochPlan,
        confirmed: &mut Confirmed,
    ) -> Result<u64> {
        let found = self.applied_on_chain(plan, &confirmed.pending()).await?;
        self.journal.confirm(plan.epoch, &found)?;
        for (index, _) in &found {
            confirmed.mark(*index);
        }
        Ok(found.len() as u64)
    }

    /// Which of the `pending` transfers of `plan` the chain already applied, with their
    /// transaction hashes, each checked against the plan; reads only.
    pub(crate) async fn applied_on_chain(
        &self,
        plan: &EpochPlan,
        pending: &[u32],
    ) -> Result<Vec<(u32, String)>> {
        let treasury = self.config.treasury;
        let chain = &self.chain;
        let mut answers = stream::iter(pending.chunks(self.chain.client().batch_size().get()))
            .map(|chunk| async move {
                let keys: Vec<String> =
                    chunk.iter().map(|&i| transfer_key(plan.epoch, i)).collect();
                (chunk, chain.records(&keys).await)
            })
            .buffer_unordered(self.config.batches_in_flight.get());
        let mut found = Vec::new();
        while let Some((chunk, records)) = answers.next().await {
            for (&index, record) in chunk.iter().zip(records?) {
                let Some(record) = record else { continue };
                // proof: `pending` holds indices of `plan.transfers` only.
                let transfer = &plan.transfers[index as usize];
                if let Some(detail) = differs(&record, Some(treasury), transfer.to, transfer.amount)
                {
                    return Err(ExecutorError::ChainConflict {
                        epoch: plan.epoch,
                        detail: format!("transfer #{index}: {detail}"),
                    });
                }
                found.push((index, record.tx_hash));
            }
        }
        Ok(found)
    }
}

/// Refuses an opening on chain that is not this plan's: another memo, treasury or amount.
pub(crate) fn check_opening(
    plan: &EpochPlan,
    treasury: Address,
    memo: &EpochMemo,
    found: &WriteRecord,
) -> Result<()> {
    let conflict = |detail: String| ExecutorError::ChainConflict {
        epoch: plan.epoch,
        detail,
    };
    match found.memo.as_deref().and_then(EpochMemo::parse) {
        None => {
            return Err(conflict(format!(
                "{} carries no plan memo of this tool",
                mint_key(plan.epoch)
            )))
        }
        Some(on_chain) if on_chain != *memo => {
            return Err(conflict(format!(
            "on chain plan {} (minted supply {} MDT), these inputs plan {} (minted supply {} MDT)",
            on_chain.plan_hash, on_chain.minted_supply, memo.plan_hash, memo.minted_supply
        )))
        }
        Some(_) => {}
    }
    match differs(found, None, treasury, plan.from_mint) {
        Some(detail) => Err(conflict(format!("mint: {detail}"))),
        None => Ok(()),
    }
}
