//! The epoch's record on the payout contract: reading it (where an epoch stands, for a
//! run with no journal) and opening it (`openEpoch`, which mints `fromMint` once).

use alloy_primitives::Bytes;
use alloy_sol_types::SolCall;
use evm_sender::TxRequest;
use tokenomics_core::{Amount, EpochPlan};

use crate::abi::{to_b256, to_u256, IEpochPayout};
use crate::error::EvmError;
use crate::EvmPayout;
use payout_executor::Opening;
use payout_executor::PayoutPreview;
use payout_executor::Result;

/// The operation id of an epoch's opening.
pub(crate) fn open_op(epoch: u64) -> String {
    format!("open:{epoch}")
}

impl EvmPayout {
    /// The token's `totalSupply()` ([`PayoutReader::minted_supply`](super::PayoutReader::minted_supply)).
    pub async fn minted_supply(&self) -> Result<Amount> {
        self.reader.minted_supply().await
    }

    /// What the token's emission category can still mint
    /// ([`PayoutReader::emission_room`](super::PayoutReader::emission_room)).
    pub async fn emission_room(&self) -> Result<Amount> {
        self.reader.emission_room().await
    }

    /// `balanceOf(who)` on the token.
    pub async fn balance_of(&self, who: alloy_primitives::Address) -> Result<Amount> {
        self.reader.balance_of(who).await
    }

    /// The epoch's record: its memo (plan hash, minted supply before) and what it minted
    /// (`fromMint`), or `None` when the epoch was never opened.
    pub async fn epoch_record(&self, epoch: u64) -> Result<Option<(Opening, Amount)>> {
        self.reader.epoch_record(epoch).await
    }

    /// Opens `plan`'s epoch with `memo` (`open:<epoch>`) and waits until it is confirmed;
    /// returns `true` when the contract already had it open with this plan (nothing sent).
    ///
    /// Refused before sending: an epoch open with another plan or figures
    /// ([`ExecutorError::ChainConflict`]); a payout contract that would not hold the
    /// epoch's total plus `owed`, what unfinished epochs still pay from it
    /// ([`PayoutReader::check_funds`](super::PayoutReader::check_funds)).
    pub async fn open_epoch(&self, plan: &EpochPlan, memo: &Opening, owed: Amount) -> Result<bool> {
        let epoch = plan.epoch;
        if self.is_open(plan, memo).await? {
            self.confirm_journaled(&open_op(epoch)).await?;
            return Ok(true);
        }
        let payout = self.contracts.payout;
        self.reader.check_funds(plan, owed).await?;
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
            Err(error) => return Err(crate::error::sender(error)),
        };
        if confirmed.is_some() {
            return Ok(false);
        }
        match self.sender.wait_confirmed(&op).await {
            Ok(_) => Ok(false),
            Err(evm_sender::Error::Reverted { tx_hash, .. }) => {
                self.open_refused(plan, memo, data, Some(tx_hash)).await
            }
            Err(error) => Err(crate::error::sender(error)),
        }
    }

    /// After `openEpoch` reverted: opened meanwhile by another run with this plan (fine),
    /// with another (a conflict), or the revert reason.
    async fn open_refused(
        &self,
        plan: &EpochPlan,
        memo: &Opening,
        data: Bytes,
        tx_hash: Option<evm_sender::B256>,
    ) -> Result<bool> {
        if self.is_open(plan, memo).await? {
            return Ok(true);
        }
        let reason = self.reason_now(self.contracts.payout, data).await;
        Err(EvmError::Reverted {
            epoch: plan.epoch,
            what: "open".into(),
            tx_hash,
            reason: reason.unwrap_or_else(|| "unknown (the call succeeds now)".into()),
        }
        .into())
    }

    /// Whether the epoch is open on chain with exactly this plan and figures; another
    /// record is a [`ExecutorError::ChainConflict`] ([`PayoutPreview::opened_with`]).
    async fn is_open(&self, plan: &EpochPlan, memo: &Opening) -> Result<bool> {
        self.reader.opened_with(plan, memo).await
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
            Err(error) => Err(crate::error::sender(error)),
        }
    }
}
