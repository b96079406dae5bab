//! Balances as a tool for tests and benchmarks: `totalSupply`, the payout contract's balance
//! and a sample of recipients' balances, read before an epoch opens, and their change
//! checked against the plan. Exact only when nobody else moves these accounts, which no
//! one can promise on a public chain, so verification never uses it (`verify.rs`).

use std::collections::HashMap;

use tokenomics_core::{Address, Amount, EpochPlan};

use crate::abi::{to_core, to_evm};
use crate::EvmPayout;
use payout_executor::sample::sample_recipients;
use payout_executor::{ExecutorError, Result};

/// Readings taken before an epoch is opened ([`EvmPayout::balances`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvmBalances {
    /// The token's `totalSupply()`.
    pub supply: Amount,
    /// The payout contract's balance.
    pub payout: Amount,
    /// Sampled recipients and their balances.
    pub sample: Vec<(Address, Amount)>,
}

impl EvmPayout {
    /// Reads `totalSupply`, the payout contract's balance and `sample` recipients of
    /// `plan` (spread over it). A true baseline only when read before the epoch opens.
    pub async fn balances(&self, plan: &EpochPlan, sample: usize) -> Result<EvmBalances> {
        let payout = self.contracts.payout;
        let mut sampled = Vec::new();
        for who in sample_recipients(plan, to_core(payout), sample) {
            sampled.push((who, self.balance_of(to_evm(who)).await?));
        }
        Ok(EvmBalances {
            supply: self.minted_supply().await?,
            payout: self.balance_of(payout).await?,
            sample: sampled,
        })
    }

    /// Checks that `totalSupply` rose by `from_mint`, the payout contract's balance moved
    /// by `from_mint - total`, and each sampled recipient received exactly its plan
    /// amounts since `before`; returns how many recipients were compared. Exact only when
    /// nothing else moved these accounts meanwhile.
    pub async fn verify_balances(&self, plan: &EpochPlan, before: &EvmBalances) -> Result<usize> {
        let epoch = plan.epoch;
        let mismatch = |what: String, expected: Amount, actual: Amount| {
            (expected != actual).then(|| ExecutorError::Unverified {
                epoch,
                reason: format!("{what}: expected {expected} MDT, found {actual} MDT"),
            })
        };
        let supply = before.supply.checked_add(plan.from_mint, "supply")?;
        if let Some(error) = mismatch("totalSupply".into(), supply, self.minted_supply().await?) {
            return Err(error);
        }
        let payout = self.contracts.payout;
        let expected = before
            .payout
            .checked_add(plan.from_mint, "payout balance")?
            .checked_sub(plan.total, "payout balance")?;
        let actual = self.balance_of(payout).await?;
        if let Some(error) = mismatch(format!("payout contract {payout}"), expected, actual) {
            return Err(error);
        }
        let mut owed: HashMap<Address, Amount> = HashMap::new();
        for transfer in &plan.transfers {
            let entry = owed.entry(transfer.to).or_insert(Amount::ZERO);
            *entry = entry.checked_add(transfer.amount, "owed")?;
        }
        for (who, was) in &before.sample {
            let paid = owed.get(who).copied().unwrap_or(Amount::ZERO);
            let expected = was.checked_add(paid, "recipient balance")?;
            let actual = self.balance_of(to_evm(*who)).await?;
            if let Some(error) = mismatch(format!("recipient {who}"), expected, actual) {
                return Err(error);
            }
        }
        Ok(before.sample.len())
    }
}
