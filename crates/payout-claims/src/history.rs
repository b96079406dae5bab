//! Bringing the cumulative table up to the contract's current root: every claims epoch the
//! contract published (its `ClaimsOpened` logs: epoch, root, total) past the journal's
//! last is planned again from the history's inputs (the run's own plan for its epoch), its plan hash checked against the
//! epoch's record, its table's root against the log's; the first epoch without inputs,
//! with another plan or another root is refused (exit 2) before anything is sent.

use alloy_primitives::{B256, U256};
use alloy_sol_types::SolEvent;
use payout_executor::Result;
use tokenomics_core::{Amount, EpochPlan};

use crate::abi::IClaims;
use crate::backend::ClaimsPayout;
use crate::error::{sender, ClaimsError};
use crate::open::hex_root;
use crate::reader::amount;
use crate::tree;

/// A root the contract published.
#[derive(Debug, Clone, Copy)]
struct Published {
    epoch: u64,
    root: B256,
    total: Amount,
}

impl ClaimsPayout {
    /// See the module docs; `running` is the plan the run opens: when the contract
    /// published its root already, that plan stands for its epoch's history (the
    /// executor checked it against the epoch's record).
    pub(crate) async fn catch_up(&self, running: &EpochPlan) -> Result<()> {
        let Some(current) = self.claims.current_root(None).await? else {
            return Ok(());
        };
        let last = self.ledger.borrow().last()?;
        if let Some(last) = &last {
            if last.epoch > current.epoch {
                return Ok(()); // the journal is ahead (a reorg took the chain back)
            }
            if last.epoch == current.epoch {
                if last.root != hex_root(current.root)
                    || last.cumulative_total != current.cumulative_total
                {
                    return Err(ClaimsError::RootMismatch {
                        epoch: last.epoch,
                        rebuilt: last.root.clone(),
                        recorded: hex_root(current.root),
                    }
                    .into());
                }
                return Ok(());
            }
        }
        let after = last.map(|l| l.epoch);
        for published in self.published().await? {
            if after.is_some_and(|a| published.epoch <= a) {
                continue;
            }
            let plan = if published.epoch == running.epoch {
                running.clone()
            } else {
                self.history_plan(published.epoch).await?
            };
            let table = self.ledger.borrow().table()?;
            let (next, total, given) = tree::after(&table, &plan)?;
            let root = tree::root(&next)?
                .ok_or_else(|| ClaimsError::Tree(format!("epoch {}: no leaf", plan.epoch)))?;
            if root != published.root || total != published.total {
                return Err(ClaimsError::RootMismatch {
                    epoch: published.epoch,
                    rebuilt: hex_root(root),
                    recorded: hex_root(published.root),
                }
                .into());
            }
            self.ledger
                .borrow_mut()
                .fold(published.epoch, &hex_root(root), total, &given)?;
        }
        Ok(())
    }

    /// Every root the contract published, in epoch order (its `ClaimsOpened` logs).
    async fn published(&self) -> Result<Vec<Published>> {
        let payout = self.evm.contracts().payout;
        let topic = IClaims::ClaimsOpened::SIGNATURE_HASH;
        let logs = self
            .evm
            .sender()
            .logs(payout, &[Some(topic)], 0, None)
            .await
            .map_err(sender)?;
        let mut published = Vec::with_capacity(logs.len());
        for log in logs {
            let malformed = || ClaimsError::Malformed {
                call: "eth_getLogs",
                reason: "a ClaimsOpened log without its epoch, root and total".into(),
            };
            let (Some(epoch), Some(root)) = (log.topics.get(1), log.topics.get(2)) else {
                return Err(malformed().into());
            };
            let epoch = u64::try_from(U256::from_be_bytes(epoch.0)).map_err(|_| malformed())?;
            let total = U256::try_from_be_slice(&log.data).ok_or_else(malformed)?;
            published.push(Published {
                epoch,
                root: *root,
                total: amount("ClaimsOpened", total)?,
            });
        }
        published.sort_by_key(|p| p.epoch);
        Ok(published)
    }

    /// The plan of history epoch `epoch`, checked against the contract's record.
    async fn history_plan(&self, epoch: u64) -> Result<EpochPlan> {
        let missing = || ClaimsError::HistoryMissing { epoch };
        let (Some(params), Some((inputs, given))) =
            (&self.history.params, self.history.inputs.get(&epoch))
        else {
            return Err(missing().into());
        };
        let Some((memo, from_mint)) = self.evm.epoch_record(epoch).await? else {
            return Err(missing().into());
        };
        let mut inputs = inputs.clone();
        if !given {
            inputs.minted_supply = memo.minted_supply;
        }
        let plan = EpochPlan::build_within(params, &inputs, Some(from_mint))
            .map_err(payout_executor::ExecutorError::Plan)?;
        if plan.plan_hash != memo.plan_hash {
            return Err(ClaimsError::HistoryPlanMismatch {
                epoch,
                rebuilt: plan.plan_hash.to_string(),
                recorded: memo.plan_hash.to_string(),
            }
            .into());
        }
        Ok(plan)
    }
}
