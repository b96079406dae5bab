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
        sorted(Category::Miners, miners)?,
        sorted(Category::Validators, validators)?,
        sorted(Category::Infrastructure, infrastructure)?,
        sorted(Category::Delegators, delegators.iter().copied())?,
        Vec::new(),
        sorted(Category::SubnetOwners, owners)?,
        Vec::new(),
    ])
}

/// The recipients sorted by address; a repeated address is refused.
fn sorted(
    category: Category,
    recipients: impl ExactSizeIterator<Item = Recipient> + Clone,
) -> Result<Vec<Recipient>> {
    let group = sort_by_address(recipients);
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

/// Below this many recipients a plain comparison sort is fastest.
const BUCKET_SORT_MIN: usize = 1 << 12;

/// Sorts by address: one counting pass on the first two bytes scatters the
/// recipients into 65,536 buckets, then each (small, for real addresses, which are
/// hashes) bucket is sorted alone. Linear in practice, where a comparison sort of a
/// million 48-byte records is the plan's hot spot; any input still sorts correctly.
fn sort_by_address(recipients: impl ExactSizeIterator<Item = Recipient> + Clone) -> Vec<Recipient> {
    if recipients.len() < BUCKET_SORT_MIN {
        let mut group: Vec<Recipient> = recipients.collect();
        group.sort_unstable_by_key(|r| r.address);
        return group;
    }
    let bucket = |r: &Recipient| {
        let bytes = r.address.as_bytes();
        usize::from(u16::from_be_bytes([bytes[0], bytes[1]]))
    };
    let mut starts = vec![0usize; (1 << 16) + 1];
    for recipient in recipients.clone() {
        starts[bucket(&recipient) + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    let placeholder = Recipient {
        address: Address::from_bytes([0; 20]),
        lock_days: 0,
        weight: 0,
    };
    // Built straight into bucket order: no second copy of a million records.
    let mut group = vec![placeholder; recipients.len()];
    for recipient in recipients {
        let slot = &mut next[bucket(&recipient)];
        group[*slot] = recipient;
        *slot += 1;
    }
    for pair in starts.windows(2) {
        group[pair[0]..pair[1]].sort_unstable_by_key(|r| r.address);
    }
    group
}
