//! Sending one claim (`tokenomics claim`): the proof checked against the contract's current
//! root first, nothing sent when nothing is left, then `claim(account, cumulativeAmount,
//! proof)` from any key, and what it paid read back from `claimed(account)`.

use alloy_primitives::{Address, B256, U256};
use evm_sender::{EvmSender, TxRequest};
use payout_executor::Result;
use tokenomics_core::Amount;

use crate::abi::claim_call;
use crate::error::ClaimsError;
use crate::reader::{amount, ClaimsReader};

/// What a claim did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimOutcome {
    /// Paid `paid` to the account, whose claims now total `claimed`, in `tx_hash`.
    Paid {
        /// What this claim paid.
        paid: Amount,
        /// Everything the account has claimed.
        claimed: Amount,
        /// The claim's transaction.
        tx_hash: B256,
    },
    /// The account already claimed its whole cumulative amount: nothing was sent.
    NothingLeft {
        /// Everything the account has claimed (its cumulative amount or more).
        claimed: Amount,
    },
}

/// Why a claim cannot be sent as given: bad input, nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleProof {
    /// The root the proofs are for.
    pub proofs_root: B256,
    /// The contract's current root (zero before any claims epoch) and its epoch.
    pub current: (u64, B256),
}

/// Claims `cumulative` for `account` with `proof` (made for `root`) from `sender`'s key.
/// `Ok(Err(..))`: the proofs are not for the contract's current root (nothing sent).
pub async fn send_claim(
    sender: &EvmSender,
    payout: Address,
    account: Address,
    cumulative: U256,
    proof: &[B256],
    root: B256,
) -> Result<std::result::Result<ClaimOutcome, StaleProof>> {
    let reader = ClaimsReader::new(sender.reader(), payout);
    let current = reader.current_root(None).await?;
    let current_pair = current.map_or((0, B256::ZERO), |c| (c.epoch, c.root));
    if current_pair.1 != root {
        return Ok(Err(StaleProof {
            proofs_root: root,
            current: current_pair,
        }));
    }
    let cumulative = amount("claim", cumulative)?;
    let before = reader.claimed(account, None).await?;
    if before >= cumulative {
        return Ok(Ok(ClaimOutcome::NothingLeft { claimed: before }));
    }
    let data = claim_call(account, U256::from(cumulative.base_units()), proof);
    let op = format!("claim:{account:#x}:{}:{}", cumulative.base_units(), root);
    sender
        .submit(&op, TxRequest::call(payout, data))
        .await
        .map_err(|error| ClaimsError::Reverted {
            epoch: current_pair.0,
            what: "claim",
            tx_hash: None,
            reason: error.to_string(),
        })?;
    let done = match sender.wait_confirmed(&op).await {
        Ok(done) => done,
        Err(error) => {
            // Claimed meanwhile (another claim for the account): nothing is left.
            let claimed = reader.claimed(account, None).await?;
            if claimed >= cumulative {
                return Ok(Ok(ClaimOutcome::NothingLeft { claimed }));
            }
            return Err(crate::error::sender(error));
        }
    };
    let after = reader.claimed(account, Some(done.block_number)).await?;
    Ok(Ok(ClaimOutcome::Paid {
        paid: Amount::from_base_units(after.base_units().saturating_sub(before.base_units())),
        claimed: after,
        tx_hash: done.tx_hash,
    }))
}
