//! The epoch's record on the payout contract: reading it (where an epoch stands, for a
//! run with no journal) and opening it (`openEpoch`, which mints `fromMint` once).

use alloy_primitives::Bytes;
use alloy_sol_types::SolCall;
use evm_sender::TxRequest;
use tokenomics_core::{Amount, EpochPlan};

use crate::abi::{to_b256, to_u256, IEpochPayout};
use crate::error::EvmError;
use crate::follow::{Ended, Proof, Tracked};
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

    /// Opens `plan`'s epoch with `memo` (`open:<epoch>`) and waits until the contract shows
    /// it `confirmations` deep (`follow.rs`); returns `true` when the contract already had
    /// it open with this plan (nothing sent).
    ///
    /// Refused before sending: an epoch open with another plan or figures
    /// ([`ExecutorError::ChainConflict`](payout_executor::ExecutorError::ChainConflict)); a payout contract that would not hold the
    /// epoch's total plus `owed`, what unfinished epochs still pay from it
    /// ([`PayoutReader::check_funds`](super::PayoutReader::check_funds)).
    pub async fn open_epoch(&self, plan: &EpochPlan, memo: &Opening, owed: Amount) -> Result<bool> {
        let epoch = plan.epoch;
        let base = open_op(epoch);
        let proof = Proof::Open(plan, memo);
        if self.is_open(plan, memo).await? {
            // Open at the head: done once the contract shows it `confirmations` deep.
            let mut nothing = Tracked::nothing(&base);
            return match self.follow().until_shown(&mut nothing, proof).await? {
                Ended::Shown(_) => Ok(true),
                Ended::Failed(error) => Err(crate::error::sender(error)),
                Ended::GaveUp(_) => self.open_refused(plan, memo, None).await,
            };
        }
        self.reader.check_funds(plan, owed).await?;
        let request = TxRequest::call(self.contracts.payout, open_call(plan, memo));
        let follow = self.follow();
        let ended = match follow.start(&base, request, 0).await? {
            Ok(mut tracked) => follow.until_shown(&mut tracked, proof).await?,
            Err(ended) => ended,
        };
        match ended {
            Ended::Shown(_) => Ok(false),
            Ended::Failed(evm_sender::Error::WouldRevert { .. }) => {
                self.open_refused(plan, memo, None).await
            }
            Ended::Failed(evm_sender::Error::Reverted { tx_hash, .. }) => {
                self.open_refused(plan, memo, Some(tx_hash)).await
            }
            Ended::Failed(error) => Err(crate::error::sender(error)),
            Ended::GaveUp(attempts) => Err(EvmError::NotShown {
                epoch,
                what: "open".into(),
                attempts,
            }
            .into()),
        }
    }

    /// After `openEpoch` reverted: opened meanwhile by another run with this plan (fine),
    /// with another (a conflict), or the revert reason.
    async fn open_refused(
        &self,
        plan: &EpochPlan,
        memo: &Opening,
        tx_hash: Option<evm_sender::B256>,
    ) -> Result<bool> {
        if self.is_open(plan, memo).await? {
            return Ok(true);
        }
        let data = open_call(plan, memo);
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
}

/// The `openEpoch` call data of `plan`'s epoch with `memo`.
fn open_call(plan: &EpochPlan, memo: &Opening) -> Bytes {
    IEpochPayout::openEpochCall {
        epoch: plan.epoch,
        planHash: to_b256(memo.plan_hash),
        mintedSupplyBefore: to_u256(memo.minted_supply),
        fromMint: to_u256(plan.from_mint),
    }
    .abi_encode()
    .into()
}
