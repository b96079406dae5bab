//! Verification on chain: the treasury's change and a sample of recipients' balances
//! must be exactly what the plan implies; a mismatch is an error, not a warning.
//!
//! The balances it starts from are read before the mint and journaled, so a resumed
//! run verifies against the same starting point. It assumes nothing else moves these
//! accounts during the epoch (true of the devnet; on a shared chain, pick a treasury
//! only the executor uses).

use std::collections::HashMap;

use tokenomics_core::{Address, Amount, EpochPlan};

use crate::chain::Chain;
use crate::error::{ExecutorError, Result};
use crate::journal::Journal;

/// Checks the treasury's change and the sampled recipients' balances against the plan.
pub(crate) async fn verify(
    chain: &Chain,
    journal: &Journal,
    treasury: Address,
    plan: &EpochPlan,
) -> Result<u64> {
    let record = journal
        .epoch(plan.epoch)?
        .ok_or_else(|| ExecutorError::JournalCorrupt {
            reason: format!("epoch {} disappeared", plan.epoch),
        })?;
    let mut incoming: HashMap<Address, Amount> = HashMap::new();
    for transfer in &plan.transfers {
        let sum = incoming.entry(transfer.to).or_default();
        *sum = sum.checked_add(transfer.amount, "verification sum")?;
    }
    let paid_out = plan.total.checked_sub(
        incoming.get(&treasury).copied().unwrap_or_default(),
        "paid out",
    )?;
    let before = record.treasury_before.unwrap_or_default();
    let expected = before
        .checked_add(plan.from_mint, "expected treasury balance")?
        .checked_sub(paid_out, "expected treasury balance")?;
    let actual = chain.balance(treasury).await?;
    if actual != expected {
        return Err(ExecutorError::Mismatch {
            epoch: plan.epoch,
            what: format!("treasury {treasury}"),
            expected,
            actual,
        });
    }
    let samples = journal.samples(plan.epoch)?;
    let addresses: Vec<Address> = samples.iter().map(|(a, _)| *a).collect();
    let balances = chain.balances(&addresses).await?;
    for ((address, before), actual) in samples.iter().zip(balances) {
        let expected = before.checked_add(
            incoming.get(address).copied().unwrap_or_default(),
            "expected balance",
        )?;
        if actual != expected {
            return Err(ExecutorError::Mismatch {
                epoch: plan.epoch,
                what: format!("recipient {address}"),
                expected,
                actual,
            });
        }
    }
    Ok(samples.len() as u64)
}

/// Up to `count` distinct recipients spread evenly over the plan (never the treasury).
pub(crate) fn sample_recipients(plan: &EpochPlan, treasury: Address, count: usize) -> Vec<Address> {
    let mut unique: Vec<Address> = plan
        .transfers
        .iter()
        .map(|t| t.to)
        .filter(|a| *a != treasury)
        .collect();
    unique.sort_unstable();
    unique.dedup();
    if unique.len() <= count {
        return unique;
    }
    // proof: i < count < len, so i * len / count < len.
    (0..count)
        .map(|i| unique[i * unique.len() / count])
        .collect()
}
