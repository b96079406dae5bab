//! Turns each category's input list into weights sorted by address, refusing duplicates.
//!
//! Sorting first makes the plan independent of input order, and makes "ties go to the
//! lower address" the same as "ties go to the earlier recipient" in the split.

use crate::address::Address;
use crate::error::{CoreError, Result};
use crate::inputs::EpochInputs;
use crate::params::Params;
use crate::split::Category;

/// One recipient of a weighted category, ready for the split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Recipient {
    pub(crate) address: Address,
    /// Delegators' lock, for the inputs digest (0 elsewhere).
    pub(crate) lock_days: u32,
    /// What the split uses: the score, stake or weight as given; for delegators
    /// `stake * (10000 + bonus_bps)`, from which the stake is recovered exactly.
    pub(crate) weight: u128,
}

/// The recipients of every category, in category order, each sorted by address.
///
/// Community and DAO are single addresses and get empty lists here.
pub(crate) fn sorted_recipients(
    params: &Params,
    inputs: &EpochInputs,
) -> Result<[Vec<Recipient>; 7]> {
    let plain = |address, weight: u128| Recipient {
        address,
        weight,
        lock_days: 0,
    };
    let miners = inputs
        .miners
        .iter()
        .map(|m| plain(m.address, m.score.parts()));
    let validators = inputs
        .validators
        .iter()
        .map(|v| plain(v.address, v.stake.base_units()));
    let infrastructure = inputs
        .infrastructure
        .iter()
        .map(|w| plain(w.address, w.weight.base_units()));
    let owners = inputs
        .subnet_owners
        .iter()
        .map(|w| plain(w.address, w.weight.base_units()));
    let mut delegators = Vec::with_capacity(inputs.delegators.len());
    for d in &inputs.delegators {
        let bonus = u128::from(params.distribution.lock_bonus_bps(d.lock_days));
        let weight =
            d.stake
                .base_units()
                .checked_mul(10_000 + bonus)
                .ok_or(CoreError::Overflow {
                    what: "delegator stake times lock bonus",
                })?;
        delegators.push(Recipient {
            address: d.address,
            weight,
            lock_days: d.lock_days,
        });
    }
    Ok([
        sorted(Category::Miners, miners.collect())?,
        sorted(Category::Validators, validators.collect())?,
        sorted(Category::Infrastructure, infrastructure.collect())?,
        sorted(Category::Delegators, delegators)?,
        Vec::new(),
        sorted(Category::SubnetOwners, owners.collect())?,
        Vec::new(),
    ])
}

fn sorted(category: Category, mut group: Vec<Recipient>) -> Result<Vec<Recipient>> {
    group.sort_unstable_by_key(|r| r.address);
    if let Some(pair) = group
        .windows(2)
        .find(|pair| pair[0].address == pair[1].address)
    {
        return Err(CoreError::DuplicateAddress {
            category: category.name(),
            address: pair[0].address.to_string(),
        });
    }
    Ok(group)
}
