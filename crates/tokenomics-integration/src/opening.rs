//! Opening an epoch on chain: the mint that carries the plan, and what a run without
//! the journal reads back to find where an epoch stands.
//!
//! The mint is the epoch's first write. Its key is `mint:<epoch>` and its memo is the
//! plan hash with the minted supply the plan used ([`EpochMemo`]), so the node refuses
//! another plan for a started epoch (-32003) before a single transfer of it is sent,
//! and a run that lost its journal plans the epoch from the memo, exactly as before.

use futures_util::{stream, StreamExt};
use rpc_resilience::RpcError;
use tokenomics_core::{Address, EpochPlan};

use crate::chain::{mint_key, transfer_key, EpochMemo, WriteRecord, IDEMPOTENCY_CONFLICT};
use crate::error::{ExecutorError, Result};
use crate::executor::{Confirmed, EpochExecutor};
use crate::journal::EpochRecord;
use crate::verify::{differs, sample_recipients};

impl EpochExecutor {
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
            let treasury_before = self.chain.balance(treasury).await?;
            let sample = sample_recipients(plan, treasury, self.config.verify_sample.get());
            let balances = self.chain.balances(&sample).await?;
            // Read after the balances: if the mint is absent now, no write of this
            // epoch came before them, and they are a true starting point.
            let found = self.chain.record(&key).await?;
            let samples: Vec<_> = sample.into_iter().zip(balances).collect();
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
        let available = self.chain.balance(treasury).await?;
        let needed = plan
            .total
            .checked_sub(plan.from_mint, "recycled pool")?
            .checked_add(self.journal.owed_by_unfinished(plan.epoch)?, "owed")?;
        if available < needed {
            return Err(ExecutorError::TreasuryShort {
                epoch: plan.epoch,
                treasury,
                available,
                needed,
            });
        }
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
        let treasury = self.config.treasury;
        let pending = confirmed.pending();
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
        drop(answers);
        self.journal.confirm(plan.epoch, &found)?;
        for (index, _) in &found {
            confirmed.mark(*index);
        }
        Ok(found.len() as u64)
    }
}

/// Refuses an opening on chain that is not this plan's: another memo, treasury or amount.
fn check_opening(
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
