//! Opening a claims epoch: the cumulative table brought up to the chain (from the journal,
//! else rebuilt from the history's inputs, each checked against the contract), the next
//! root, the funding check, one `openClaims` (`claims:<epoch>`) followed until the contract
//! shows it `confirmations` deep, and the table folded into the journal.

use alloy_primitives::{B256, U256};
use evm_sender::TxRequest;
use payout_executor::{ExecutorError, Opening, PayoutPreview, Result};
use tokenomics_core::{Amount, EpochPlan};

use crate::abi::OpenClaims;
use crate::backend::{claims_op, ClaimsPayout};
use crate::error::{sender, ClaimsError};
use crate::reader::CurrentRoot;
use crate::tree;

/// `0x` and 64 hex digits.
pub(crate) fn hex_root(root: B256) -> String {
    format!("{root}")
}

impl ClaimsPayout {
    /// The funding rule: after the mint the contract holds the claims outstanding, the
    /// epoch's new leaves (its total) and `owed`; returns what it must hold before the
    /// mint, or [`ClaimsError::Underfunded`] (nothing sent).
    pub(crate) async fn check_funds(&self, plan: &EpochPlan, owed: Amount) -> Result<Amount> {
        let payout = self.evm.contracts().payout;
        let balance = self.evm.balance_of(payout).await?.base_units();
        let outstanding = self.claims.outstanding(None).await?.base_units();
        let needed = outstanding
            .checked_add(plan.total.base_units())
            .and_then(|n| n.checked_add(owed.base_units()))
            .ok_or_else(|| ClaimsError::Tree("funds needed pass u128".into()))?;
        let from_mint = plan.from_mint.base_units();
        if balance.saturating_add(from_mint) < needed {
            return Err(ClaimsError::Underfunded {
                epoch: plan.epoch,
                balance,
                from_mint,
                needed,
            }
            .into());
        }
        Ok(Amount::from_base_units(needed.saturating_sub(from_mint)))
    }

    /// `PayoutChain::open` for claims (see the module docs); `true` when the epoch was
    /// already open with this plan.
    pub(crate) async fn open_claims(
        &self,
        plan: &EpochPlan,
        opening: &Opening,
        owed: Amount,
    ) -> Result<bool> {
        let epoch = plan.epoch;
        self.catch_up(plan).await?;
        let current = self.claims.current_root(None).await?;
        let last = self.ledger.borrow().last()?;
        if self.evm.opened_with(plan, opening).await? {
            if !self.claims.is_claims(epoch, None).await? {
                return Err(ExecutorError::ChainConflict {
                    epoch,
                    detail: "the epoch was opened for push payouts (openEpoch), not claims".into(),
                });
            }
            if last.as_ref().is_some_and(|l| l.epoch >= epoch) {
                self.until_shown(plan).await?;
                return Ok(true);
            }
            // Opened by a run whose table was not folded (killed, or another run): the
            // table after this plan must give the contract's root.
            let (root, total, given) = self.next(plan)?;
            self.check_root(epoch, current, root, total)?;
            self.until_shown(plan).await?;
            self.ledger
                .borrow_mut()
                .fold(epoch, &hex_root(root), total, &given)?;
            return Ok(true);
        }
        if let Some(current) = current.filter(|c| c.epoch >= epoch) {
            return Err(ClaimsError::EpochNotLater {
                epoch,
                current: current.epoch,
            }
            .into());
        }
        // The journal may hold this epoch folded already while the chain lost it (a reorg):
        // its root and total are the ones to send again.
        let folded = last.filter(|l| l.epoch == epoch);
        let (root, total, given) = match &folded {
            Some(l) => (parse_root(&l.root)?, l.cumulative_total, Vec::new()),
            None => self.next(plan)?,
        };
        self.check_funds(plan, owed).await?;
        let open = OpenClaims {
            epoch,
            plan_hash: B256::from(*opening.plan_hash.as_bytes()),
            minted_supply_before: U256::from(opening.minted_supply.base_units()),
            from_mint: U256::from(plan.from_mint.base_units()),
            root,
            cumulative_total: U256::from(total.base_units()),
        };
        let op = claims_op(epoch);
        let request = TxRequest::call(self.evm.contracts().payout, open.call_data());
        if let Err(error) = self.evm.sender().submit(&op, request).await {
            if !self.shown(plan, None).await? {
                return Err(ClaimsError::Reverted {
                    epoch,
                    what: "openClaims",
                    tx_hash: None,
                    reason: error.to_string(),
                }
                .into());
            }
        }
        self.until_shown(plan).await?;
        if folded.is_none() {
            let current = self.claims.current_root(None).await?;
            self.check_root(epoch, current, root, total)?;
            self.ledger
                .borrow_mut()
                .fold(epoch, &hex_root(root), total, &given)?;
        }
        Ok(false)
    }

    /// The table after `plan`: its root, total, and what the epoch gives each account.
    pub(crate) fn next(&self, plan: &EpochPlan) -> Result<(B256, Amount, tree::Given)> {
        let table = self.ledger.borrow().table()?;
        let (next, total, given) = tree::after(&table, plan)?;
        let root = tree::root(&next)?
            .ok_or_else(|| ClaimsError::Tree(format!("epoch {}: no leaf", plan.epoch)))?;
        Ok((root, total, given))
    }

    /// The contract's current root must be `root` and `total` for `epoch`.
    fn check_root(
        &self,
        epoch: u64,
        current: Option<CurrentRoot>,
        root: B256,
        total: Amount,
    ) -> Result<()> {
        match current {
            Some(c) if c.epoch == epoch && c.root == root && c.cumulative_total == total => Ok(()),
            Some(c) if c.epoch != epoch => Ok(()), // a later root replaced it: the log decides
            other => Err(ClaimsError::RootMismatch {
                epoch,
                rebuilt: hex_root(root),
                recorded: other.map_or_else(|| "none".into(), |c| hex_root(c.root)),
            }
            .into()),
        }
    }

    /// Polls until the contract shows `plan` `confirmations` deep; a status-0
    /// `openClaims` of ours ends it with its revert; gives up after the sender's
    /// `confirm_timeout`.
    pub(crate) async fn until_shown(&self, plan: &EpochPlan) -> Result<()> {
        let sender = self.evm.sender();
        let config = sender.config();
        let started = tokio::time::Instant::now();
        let op = claims_op(plan.epoch);
        loop {
            let block = self.claims.confirmed_block().await?;
            if self.shown(plan, Some(block)).await? {
                if let Some(status) = sender.op_status(&op).await.map_err(sender_error)? {
                    if let Some(mined) = status.mined.filter(|m| m.success) {
                        if status.confirmed.is_none() {
                            sender.mark_confirmed(&op, mined.at).map_err(sender_error)?;
                        }
                    }
                }
                return Ok(());
            }
            if let Some(status) = sender.op_status(&op).await.map_err(sender_error)? {
                if !status.nonce_used() {
                    sender.keep_sent(&status).await.map_err(sender_error)?;
                } else if let Some(mined) = status.mined.filter(|m| !m.success) {
                    if !self.shown(plan, None).await? {
                        return Err(ClaimsError::Reverted {
                            epoch: plan.epoch,
                            what: "openClaims",
                            tx_hash: Some(mined.at.tx_hash),
                            reason: "status 0".into(),
                        }
                        .into());
                    }
                }
            }
            if let Some(limit) = config.confirm_timeout {
                if started.elapsed() >= limit {
                    return Err(ClaimsError::NotShown {
                        epoch: plan.epoch,
                        attempts: 1,
                    }
                    .into());
                }
            }
            tokio::time::sleep(config.poll_interval).await;
        }
    }

    /// The opened epoch as the contract shows it: this plan's record, the claims flag, a
    /// root at least as late, and, for the current root's epoch, the journaled root.
    pub(crate) async fn verify_claims(
        &self,
        plan: &EpochPlan,
        opening: &Opening,
    ) -> Result<payout_executor::Verified> {
        let unverified = |detail: String| ExecutorError::Unverified {
            epoch: plan.epoch,
            reason: detail,
        };
        if !self.evm.opened_with(plan, opening).await? || !self.shown(plan, None).await? {
            return Err(unverified(
                "the payout contract does not show it opened by openClaims with this plan".into(),
            ));
        }
        let current = self.claims.current_root(None).await?;
        let folded = self.ledger.borrow().epochs()?;
        let ours = folded.iter().find(|e| e.epoch == plan.epoch);
        match (current, ours) {
            (Some(c), Some(ours)) if c.epoch == plan.epoch => {
                if hex_root(c.root) != ours.root || c.cumulative_total != ours.cumulative_total {
                    return Err(unverified(format!(
                        "current root {} (total {}) is not the journaled {} (total {})",
                        hex_root(c.root),
                        c.cumulative_total.base_units(),
                        ours.root,
                        ours.cumulative_total.base_units()
                    )));
                }
            }
            (Some(_), Some(_)) => {}
            _ => return Err(unverified("no journaled root for it".into())),
        }
        Ok(payout_executor::Verified {
            records: 2,
            balances: 0,
        })
    }
}

fn sender_error(error: evm_sender::Error) -> ExecutorError {
    sender(error)
}

/// A journaled root read back.
pub(crate) fn parse_root(text: &str) -> Result<B256> {
    text.parse::<B256>()
        .map_err(|_| ClaimsError::Tree(format!("journaled root {text:?} is not 32 bytes")).into())
}
