//! Opening an epoch on the Luxtensor protocol: the mint that carries the plan, the
//! readings before it, and the records a run without the journal reads back.
//!
//! The mint is the epoch's first write. Its key is `mint:<epoch>` and its memo is the
//! plan hash with the minted supply the plan used ([`Opening`]), so the node refuses
//! another plan for a started epoch (-32003) before a single transfer of it is sent,
//! and a run that lost its journal plans the epoch from the memo, exactly as before.

use futures_util::{stream, StreamExt};
use rpc_resilience::RpcError;
use tokenomics_core::{Address, Amount, EpochPlan};

use crate::error::LuxtensorError;
use crate::protocol::{
    mint_key, parse_memo, transfer_key, LuxtensorPayout, WriteRecord, IDEMPOTENCY_CONFLICT,
};
use crate::verify::differs;
use payout_executor::sample::sample_recipients;
use payout_executor::Baseline;
use payout_executor::Opening;
use payout_executor::{ExecutorError, PaidBy, PoolShortfall, Result};

/// The treasury before a fresh mint: what it holds and what it must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pool {
    /// Its balance.
    pub(crate) available: Amount,
    /// What the epoch pays from the recycling pool plus what unfinished epochs owe.
    pub(crate) needed: Amount,
}

impl LuxtensorPayout {
    /// How the epoch was opened on chain, if it was: the mint's record and its memo.
    pub(crate) async fn opening_record(
        &self,
        epoch: u64,
    ) -> Result<Option<(WriteRecord, Opening)>> {
        let Some(found) = self.record(&mint_key(epoch)).await? else {
            return Ok(None);
        };
        let memo = found.memo.as_deref().and_then(parse_memo).ok_or_else(|| {
            ExecutorError::ChainConflict {
                epoch,
                detail: format!("{} carries no plan memo of this tool", mint_key(epoch)),
            }
        })?;
        Ok(Some((found, memo)))
    }

    /// The treasury's balance and `sample` recipients' balances.
    pub(crate) async fn starting_balances(
        &self,
        plan: &EpochPlan,
        treasury: Address,
        sample: usize,
    ) -> Result<(Amount, Vec<(Address, Amount)>)> {
        let treasury_before = self.balance(treasury).await?;
        let sample = sample_recipients(plan, treasury, sample);
        let balances = self.balances(&sample).await?;
        Ok((treasury_before, sample.into_iter().zip(balances).collect()))
    }

    /// The balances before the mint; marked with the block height read first when the
    /// mint is still absent after them (then no write of this epoch came before them).
    pub(crate) async fn baseline_before_mint(
        &self,
        plan: &EpochPlan,
        treasury: Address,
        sample: usize,
    ) -> Result<Baseline> {
        let head = self.block_number().await?;
        let (payer, samples) = self.starting_balances(plan, treasury, sample).await?;
        let open = self.record(&mint_key(plan.epoch)).await?.is_some();
        Ok(Baseline {
            payer,
            samples,
            mark: (!open).then_some(head),
        })
    }

    /// The pool check before a fresh mint: the treasury must hold what the epoch pays
    /// from the recycling pool plus `owed` (what unfinished epochs still pay from it).
    pub(crate) async fn check_pool(
        &self,
        plan: &EpochPlan,
        treasury: Address,
        owed: Amount,
    ) -> Result<Pool> {
        let available = self.balance(treasury).await?;
        let needed = plan
            .total
            .checked_sub(plan.from_mint, "recycled pool")?
            .checked_add(owed, "owed")?;
        if available < needed {
            return Err(ExecutorError::PoolShort(Box::new(PoolShortfall {
                epoch: plan.epoch,
                payer_is: "treasury",
                payer: treasury,
                holds: available,
                needed,
                mints: plan.from_mint,
                pays: plan.total,
                owed,
            })));
        }
        Ok(Pool { available, needed })
    }

    /// Mints unless the epoch is already open on chain (with this plan, else a
    /// conflict); returns whether it was open before. A fresh mint needs the pool check.
    pub(crate) async fn open_epoch(
        &self,
        plan: &EpochPlan,
        memo: &Opening,
        treasury: Address,
        owed: Amount,
    ) -> Result<bool> {
        let key = mint_key(plan.epoch);
        if let Some(found) = self.record(&key).await? {
            check_opening(plan, treasury, memo, &found)?;
            return Ok(true);
        }
        self.check_pool(plan, treasury, owed).await?;
        match self.mint(treasury, plan.from_mint, &key, memo).await {
            Err(LuxtensorError::Rpc {
                source: RpcError::Rpc { code, .. },
                ..
            }) if code == IDEMPOTENCY_CONFLICT => Err(ExecutorError::ChainConflict {
                epoch: plan.epoch,
                detail: format!("{key} was just written with another plan"),
            }),
            other => Ok(other.map(|_| false)?),
        }
    }

    /// Which of the `pending` transfers of `plan` the chain already applied, with their
    /// transaction hashes, each checked against the plan; `in_flight` batches at once.
    pub(crate) async fn applied_on_chain(
        &self,
        plan: &EpochPlan,
        treasury: Address,
        pending: &[u32],
        in_flight: usize,
    ) -> Result<Vec<(u32, PaidBy)>> {
        let mut answers = stream::iter(pending.chunks(self.client().batch_size().get()))
            .map(|chunk| async move {
                let keys: Vec<String> =
                    chunk.iter().map(|&i| transfer_key(plan.epoch, i)).collect();
                (chunk, self.records(&keys).await)
            })
            .buffer_unordered(in_flight);
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
                found.push((index, PaidBy::Tx(record.tx_hash)));
            }
        }
        Ok(found)
    }
}

/// Refuses an opening on chain that is not this plan's: another memo, treasury or amount.
pub(crate) fn check_opening(
    plan: &EpochPlan,
    treasury: Address,
    memo: &Opening,
    found: &WriteRecord,
) -> Result<()> {
    let conflict = |detail: String| ExecutorError::ChainConflict {
        epoch: plan.epoch,
        detail,
    };
    match found.memo.as_deref().and_then(parse_memo) {
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
