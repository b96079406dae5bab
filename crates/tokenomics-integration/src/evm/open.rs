//! The epoch's record on the payout contract: reading it (where an epoch stands, for a
//! run with no journal) and opening it (`openEpoch`, which mints `fromMint` once).

use alloy_primitives::Bytes;
use alloy_sol_types::SolCall;
use evm_sender::TxRequest;
use tokenomics_core::{Amount, EpochPlan};

use super::abi::{to_amount, to_b256, to_u256, IEpochPayout, IMDTToken};
use super::EvmPayout;
use crate::chain::EpochMemo;
use crate::error::{ExecutorError, Result};

/// `MDTToken.Category.EmissionRewards`, the category `openEpoch` mints from.
const EMISSION_REWARDS: u8 = 0;

/// The operation id of an epoch's opening.
pub(crate) fn open_op(epoch: u64) -> String {
    format!("open:{epoch}")
}

impl EvmPayout {
    /// The token's `totalSupply()`.
    pub async fn minted_supply(&self) -> Result<Amount> {
        let token = self.contracts.token;
        let supply = self
            .view("token", token, IMDTToken::totalSupplyCall {})
            .await?;
        to_amount("totalSupply", supply)
    }

    /// What the token's emission category (`Category.EmissionRewards`, the one
    /// `openEpoch` mints from) can still mint: `remainingAllocation`.
    pub async fn emission_room(&self) -> Result<Amount> {
        let token = self.contracts.token;
        let call = IMDTToken::remainingAllocationCall {
            category: EMISSION_REWARDS,
        };
        to_amount(
            "remainingAllocation",
            self.view("token", token, call).await?,
        )
    }

    /// `balanceOf(who)` on the token.
    pub async fn balance_of(&self, who: alloy_primitives::Address) -> Result<Amount> {
        let token = self.contracts.token;
        let call = IMDTToken::balanceOfCall { account: who };
        to_amount("balanceOf", self.view("token", token, call).await?)
    }

    /// The epoch's record: its memo (plan hash, minted supply before) and what it minted
    /// (`fromMint`), or `None` when the epoch was never opened.
    pub async fn epoch_record(&self, epoch: u64) -> Result<Option<(EpochMemo, Amount)>> {
        let state = self.epoch_state(epoch, None).await?;
        Ok(state.map(|state| (state.memo, state.from_mint)))
    }

    /// Opens `plan`'s epoch with `memo` (`open:<epoch>`) and waits until it is confirmed;
    /// returns `true` when the contract already had it open with this plan (nothing sent).
    ///
    /// Refused before sending: an epoch open with another plan or figures
    /// ([`ExecutorError::ChainConflict`]); a payout contract that would not hold the
    /// epoch's total plus `owed`, what unfinished epochs still pay from it
    /// (`balance + from_mint < total + owed`, [`ExecutorError::PayoutShort`]).
    pub async fn open_epoch(
        &self,
        plan: &EpochPlan,
        memo: &EpochMemo,
        owed: Amount,
    ) -> Result<bool> {
        let epoch = plan.epoch;
        if self.is_open(plan, memo).await? {
            self.confirm_journaled(&open_op(epoch)).await?;
            return Ok(true);
        }
        let payout = self.contracts.payout;
        let balance = self.balance_of(payout).await?;
        if balance.checked_add(plan.from_mint, "payout balance")?
            < plan.total.checked_add(owed, "owed")?
        {
            return Err(ExecutorError::PayoutShort {
                epoch,
                payout,
                balance,
                from_mint: plan.from_mint,
                total: plan.total,
                owed,
            });
        }
        let data = Bytes::from(
            IEpochPayout::openEpochCall {
                epoch,
                planHash: to_b256(memo.plan_hash),
                mintedSupplyBefore: to_u256(memo.minted_supply),
                fromMint: to_u256(plan.from_mint),
            }
            .abi_encode(),
        );
        let request = TxRequest::call(payout, data.clone());
        let (op, confirmed) = match self.submit_fresh(&open_op(epoch), request).await {
            Ok(sent) => sent,
            Err(evm_sender::Error::WouldRevert { .. }) => {
                return self.open_refused(plan, memo, data, None).await
            }
            Err(error) => return Err(error.into()),
        };
        if confirmed.is_some() {
            return Ok(false);
        }
        match self.sender.wait_confirmed(&op).await {
            Ok(_) => Ok(false),
            Err(evm_sender::Error::Reverted { tx_hash, .. }) => {
                self.open_refused(plan, memo, data, Some(tx_hash)).await
            }
            Err(error) => Err(error.into()),
        }
    }

    /// After `openEpoch` reverted: opened meanwhile by another run with this plan (fine),
    /// with another (a conflict), or the revert reason.
    async fn open_refused(
        &self,
        plan: &EpochPlan,
        memo: &EpochMemo,
        data: Bytes,
        tx_hash: Option<evm_sender::B256>,
    ) -> Result<bool> {
        if self.is_open(plan, memo).await? {
            return Ok(true);
        }
        let reason = self.reason_now(self.contracts.payout, data).await;
        Err(ExecutorError::EvmReverted {
            epoch: plan.epoch,
            what: "open".into(),
            tx_hash,
            reason: reason.unwrap_or_else(|| "unknown (the call succeeds now)".into()),
        })
    }

    /// Whether the epoch is open on chain with exactly this plan and figures; another
    /// record is a [`ExecutorError::ChainConflict`].
    async fn is_open(&self, plan: &EpochPlan, memo: &EpochMemo) -> Result<bool> {
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

    /// Waits for `op_id` if the sender's journal knows it (a run that sent it and stopped
    /// before its confirmation); nothing when it does not.
    pub(crate) async fn confirm_journaled(
        &self,
        op_id: &str,
    ) -> Result<Option<evm_sender::Confirmation>> {
        match self.sender.wait_confirmed(op_id).await {
            Ok(done) => Ok(Some(done)),
            // Not journaled here, or reverted (the contract's record is what counts).
            Err(evm_sender::Error::UnknownOp { .. } | evm_sender::Error::Reverted { .. }) => {
                Ok(None)
            }
            Err(error) => Err(error.into()),
        }
    }
}
