//! Verification on the Luxtensor protocol: the epoch's records, and balances where they can tell.
//!
//! Two checks, a mismatch in either is an error, not a warning:
//! - **records** (always): the mint and a sample of transfers, read back by their
//!   idempotency keys, are exactly the plan's (recipient, amount, memo). This is what
//!   the chain guarantees, whoever sent the writes and whatever else runs.
//! - **balances** (when they are a true measure): the treasury's change and the sampled
//!   recipients' balances equal what the plan implies. The starting balances are read
//!   before the mint and journaled with the block number they were read at, but only
//!   when the epoch had not started on chain yet. On the Luxtensor protocol every
//!   applied write is one block, so if the chain advanced by exactly the epoch's own
//!   writes (its mint and its transfers) nothing else moved these accounts and the
//!   comparison is exact; if other writes happened meanwhile (another epoch paid by a
//!   concurrent run, anyone else), balances cannot tell and only the records count.

use std::collections::HashMap;

use tokenomics_core::{Address, Amount, EpochPlan};

use payout_executor::sample::spread;
use payout_executor::{Baseline, ExecutorError, Opening, Result, Verified};

use crate::protocol::{memo_text, mint_key, transfer_key, LuxtensorPayout, WriteRecord};

/// Checks the epoch's records, then its balances (`samples`, journaled before the mint)
/// when they are a true measure.
pub(crate) async fn verify(
    chain: &LuxtensorPayout,
    opening: &Opening,
    baseline: Option<&Baseline>,
    plan: &EpochPlan,
    sample: usize,
) -> Result<Verified> {
    let treasury = chain.config.treasury;
    let records = verify_records(chain, treasury, plan, opening, sample).await?;
    let balances = match baseline {
        Some(
            baseline @ Baseline {
                mark: Some(mark), ..
            },
        ) => verify_balances(chain, treasury, baseline, plan, *mark).await?,
        _ => 0,
    };
    Ok(Verified { records, balances })
}

/// Whether `found` is the write `plan` asks for; the difference, if not.
pub(crate) fn differs(
    found: &WriteRecord,
    from: Option<Address>,
    to: Address,
    amount: Amount,
) -> Option<String> {
    (found.from != from || found.to != to || found.amount != amount).then(|| {
        format!(
            "on chain {} MDT to {}, planned {amount} MDT to {to}",
            found.amount, found.to
        )
    })
}

async fn verify_records(
    chain: &LuxtensorPayout,
    treasury: Address,
    plan: &EpochPlan,
    memo: &Opening,
    sample: usize,
) -> Result<u64> {
    let indices = spread(plan.transfers.len(), sample);
    let mut keys = vec![mint_key(plan.epoch)];
    keys.extend(indices.iter().map(|&i| transfer_key(plan.epoch, i)));
    let found = chain.records(&keys).await?;
    let missing = |reason: String| ExecutorError::Unverified {
        epoch: plan.epoch,
        reason,
    };
    let mut found = found.into_iter();
    let mint = found
        .next()
        .flatten()
        .ok_or_else(|| missing("no mint record".into()))?;
    let memo_text = memo_text(memo);
    if let Some(detail) = differs(&mint, None, treasury, plan.from_mint).or_else(|| {
        (mint.memo.as_deref() != Some(memo_text.as_str())).then(|| "memo differs".into())
    }) {
        return Err(ExecutorError::ChainConflict {
            epoch: plan.epoch,
            detail,
        });
    }
    for (index, record) in indices.iter().zip(found) {
        // proof: `spread` yields indices below `plan.transfers.len()`.
        let transfer = &plan.transfers[*index as usize];
        let record = record.ok_or_else(|| missing(format!("transfer #{index} has no record")))?;
        if let Some(detail) = differs(&record, Some(treasury), transfer.to, transfer.amount) {
            return Err(ExecutorError::ChainConflict {
                epoch: plan.epoch,
                detail: format!("transfer #{index}: {detail}"),
            });
        }
    }
    Ok(indices.len() as u64)
}

async fn verify_balances(
    chain: &LuxtensorPayout,
    treasury: Address,
    before: &Baseline,
    plan: &EpochPlan,
    baseline: u128,
) -> Result<u64> {
    let (treasury_before, samples) = (before.payer, &before.samples);
    let mut addresses: Vec<Address> = vec![treasury];
    addresses.extend(samples.iter().map(|(a, _)| *a));
    let balances = chain.balances(&addresses).await?;
    let head = chain.block_number().await?;
    let own_writes = 1 + plan.transfers.len() as u128;
    if head.checked_sub(baseline) != Some(own_writes) {
        tracing::info!(
            epoch = plan.epoch,
            other_writes = head.saturating_sub(baseline).saturating_sub(own_writes),
            "other writes happened during the epoch; verified by records only"
        );
        return Ok(0);
    }
    let mut incoming: HashMap<Address, Amount> = HashMap::new();
    for transfer in &plan.transfers {
        let sum = incoming.entry(transfer.to).or_default();
        *sum = sum.checked_add(transfer.amount, "verification sum")?;
    }
    let paid_out = plan.total.checked_sub(
        incoming.get(&treasury).copied().unwrap_or_default(),
        "paid out",
    )?;
    let expected_treasury = treasury_before
        .checked_add(plan.from_mint, "expected treasury balance")?
        .checked_sub(paid_out, "expected treasury balance")?;
    let expected = std::iter::once((treasury, expected_treasury)).chain(
        samples
            .iter()
            .map(|(address, before)| {
                let incoming = incoming.get(address).copied().unwrap_or_default();
                Ok((*address, before.checked_add(incoming, "expected balance")?))
            })
            .collect::<Result<Vec<_>>>()?,
    );
    for ((address, expected), actual) in expected.zip(balances) {
        if actual != expected {
            let whose = if address == treasury {
                "treasury"
            } else {
                "recipient"
            };
            return Err(ExecutorError::Unverified {
                epoch: plan.epoch,
                reason: format!("{whose} {address}: expected {expected} MDT, found {actual} MDT"),
            });
        }
    }
    Ok(samples.len() as u64)
}
