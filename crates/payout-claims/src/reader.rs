//! The payout contract's claims views, read without a key (`ClaimsReader`): the current
//! root, what an account claimed, what the roots still owe claimants.

use alloy_primitives::{Address, Bytes, B256, U256};
use alloy_sol_types::SolCall;
use evm_sender::EvmReader;
use payout_executor::Result;
use tokenomics_core::Amount;

use crate::abi::IClaims;
use crate::error::{sender, ClaimsError};

/// The contract's current root (`currentRoot()`), `None` before any claims epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurrentRoot {
    /// The claims epoch that published it.
    pub epoch: u64,
    /// The root.
    pub root: B256,
    /// The sum of its leaves.
    pub cumulative_total: Amount,
}

/// The claims views of one payout contract (see the module docs).
#[derive(Debug, Clone)]
pub struct ClaimsReader {
    reader: EvmReader,
    payout: Address,
}

impl ClaimsReader {
    /// Views of the payout contract at `payout` through `reader`.
    pub fn new(reader: EvmReader, payout: Address) -> ClaimsReader {
        ClaimsReader { reader, payout }
    }

    /// The payout contract.
    pub fn payout(&self) -> Address {
        self.payout
    }

    /// The chain reader (its `confirmations` say what counts as confirmed).
    pub fn reader(&self) -> &EvmReader {
        &self.reader
    }

    /// The newest block `confirmations` deep.
    pub async fn confirmed_block(&self) -> Result<u64> {
        self.reader.confirmed_block().await.map_err(sender)
    }

    async fn view<C: SolCall>(&self, call: C, block: Option<u64>) -> Result<C::Return> {
        let data = Bytes::from(call.abi_encode());
        let answer = self
            .reader
            .call_for_data(self.payout, data, block)
            .await
            .map_err(sender)?;
        C::abi_decode_returns(&answer).map_err(|e| {
            ClaimsError::Malformed {
                call: C::SIGNATURE,
                reason: e.to_string(),
            }
            .into()
        })
    }

    /// `currentRoot()` at `block` (`None`: the latest); `None` before any claims epoch.
    pub async fn current_root(&self, block: Option<u64>) -> Result<Option<CurrentRoot>> {
        let answer = self.view(IClaims::currentRootCall {}, block).await?;
        if answer.root == B256::ZERO {
            return Ok(None);
        }
        Ok(Some(CurrentRoot {
            epoch: answer.epoch,
            root: answer.root,
            cumulative_total: amount("currentRoot", answer.cumulativeTotal)?,
        }))
    }

    /// `claimed(account)` at `block` (`None`: the latest).
    pub async fn claimed(&self, account: Address, block: Option<u64>) -> Result<Amount> {
        let answer = self.view(IClaims::claimedCall { account }, block).await?;
        amount("claimed", answer)
    }

    /// `claimsOutstanding()`: what the roots promise and was not claimed yet.
    pub async fn outstanding(&self, block: Option<u64>) -> Result<Amount> {
        let answer = self.view(IClaims::claimsOutstandingCall {}, block).await?;
        amount("claimsOutstanding", answer)
    }

    /// `epochIsClaims(epoch)`: whether the epoch was opened by `openClaims`.
    pub async fn is_claims(&self, epoch: u64, block: Option<u64>) -> Result<bool> {
        self.view(IClaims::epochIsClaimsCall { epoch }, block).await
    }
}

/// A `uint256` answered by `call` as an amount (refused above `u128`).
pub(crate) fn amount(call: &'static str, value: U256) -> Result<Amount> {
    u128::try_from(value)
        .map(Amount::from_base_units)
        .map_err(|_| {
            ClaimsError::Malformed {
                call,
                reason: format!("{value} does not fit an amount (u128 base units)"),
            }
            .into()
        })
}
