//! Turns each category's input list into weights sorted by address, refusing duplicates.
//!
//! Sorting first makes the plan independent of input order, and makes "ties go to the
//! lower address" the same as "ties go to the earlier recipient" in the split.

use crate::address::Address;
use crate::error::{CoreError, Result};
use crate::inputs::EpochInputs;
use crate::params::Params;
use crate::split::Category;

/// One recipient of a weighted category, ready for the split (40 bytes, so a million
/// of them move through the sort and the split as 40 MB, not 48).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Recipient {
    pub(crate) address: Address,
    /// Delegators' lock, for the inputs digest (0 elsewhere).
    pub(crate) lock_days: u32,
    /// What the split uses, as the high and low halves of a `u128` (8-byte aligned,
    /// where a `u128` would pad the record to 48 bytes): the score, stake or weight as
    /// given; for delegators `stake * (10000 + bonus_bps)`, from which the stake is
    /// recovered exactly.
    weight: [u64; 2],
}

// The layout the sort and the split are tuned for.
const _: () = assert!(std::mem::size_of::<Recipient>() == 40);

impl Recipient {
    pub(crate) const fn new(address: Address, weight: u128, lock_days: u32) -> Recipient {
        Recipient {
            address,
            lock_days,
            weight: [(weight >> 64) as u64, weight as u64],
        }
    }

    /// The weight the split uses.
    pub(crate) const fn weight(&self) -> u128 {
        (self.weight[0] as u128) << 64 | self.weight[1] as u128
    }
}

/// The recipients of every category, in category order, each sorted by address.
///
/// Community and DAO are single addresses and get empty lists here.
pub(crate) fn sorted_recipients(
    params: &Params,
    inputs: &EpochInputs,
) -> Result<[Vec<Recipient>; 7]> {
    let plain = |address, weight: u128| Recipient::new(address, weight, 0);
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
        delegators.push(Recipient::new(d.address, weight, d.lock_days));
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
    sort_by_address(recipients).map_err(|address| CoreError::DuplicateAddress {
        category: category.name(),
        address: address.to_string(),
    })
}

/// Below this many recipients a plain comparison sort is fastest.
const BUCKET_SORT_MIN: usize = 1 << 12;

/// Below this many records sharing a first byte, they are compared rather than bucketed.
const SUB_BUCKET_MIN: usize = 1 << 6;

/// Buckets of the second pass: the second address byte and the high half of the third.
const SUB_BUCKETS: usize = 1 << 12;

fn sub_bucket(recipient: &Recipient) -> usize {
    let bytes = recipient.address.as_bytes();
    usize::from(bytes[1]) << 4 | usize::from(bytes[2] >> 4)
}

/// `counts[k + 1]` holds how many records are in bucket `k`; turns the counts into
/// where each bucket starts (`counts[k]..counts[k + 1]`).
fn starts_from_counts(counts: &mut [usize]) {
    for i in 1..counts.len() {
        counts[i] += counts[i - 1];
    }
}

/// The lowest address given twice in a sorted list, if any.
fn first_repeat(sorted: &[Recipient]) -> std::result::Result<(), Address> {
    match sorted
        .windows(2)
        .find(|pair| pair[0].address == pair[1].address)
    {
        Some(pair) => Err(pair[0].address),
        None => Ok(()),
    }
}

/// Sorts by address (or names the lowest address given twice), in two bucket passes:
/// the first address byte scatters the recipients into 256 runs (256 write streams
/// stay in cache, where the 65,536 of a two-byte pass miss on every write), then each
/// run, small enough for the L2 cache, is scattered on its next 12 bits into a scratch
/// buffer, where its buckets (of one or two records, for real addresses, which are
/// hashes) are sorted and checked for repeats before the run is copied back. Linear in
/// practice; any input still sorts correctly.
fn sort_by_address(
    recipients: impl ExactSizeIterator<Item = Recipient> + Clone,
) -> std::result::Result<Vec<Recipient>, Address> {
    if recipients.len() < BUCKET_SORT_MIN {
        let mut group: Vec<Recipient> = recipients.collect();
        group.sort_unstable_by_key(|r| r.address);
        return first_repeat(&group).map(|()| group);
    }
    let mut starts = [0usize; 257];
    for recipient in recipients.clone() {
        starts[usize::from(recipient.address.as_bytes()[0]) + 1] += 1;
    }
    starts_from_counts(&mut starts);
    let mut next = starts;
    let placeholder = Recipient::new(Address::from_bytes([0; 20]), 0, 0);
    // Built straight into bucket order: no second copy of a million records.
    let mut group = vec![placeholder; recipients.len()];
    for recipient in recipients {
        let slot = &mut next[usize::from(recipient.address.as_bytes()[0])];
        group[*slot] = recipient;
        *slot += 1;
    }
    let largest = starts.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
    let mut scratch = vec![placeholder; largest];
    let mut counts = vec![0usize; SUB_BUCKETS + 1];
    for run in starts.windows(2) {
        sort_run(&mut group[run[0]..run[1]], &mut scratch, &mut counts)?;
    }
    Ok(group)
}

/// Sorts records that share their first address byte through `scratch` (at least as
/// long), with `counts` (`SUB_BUCKETS + 1` long) for the bucket pass.
fn sort_run(
    run: &mut [Recipient],
    scratch: &mut [Recipient],
    counts: &mut [usize],
) -> std::result::Result<(), Address> {
    if run.len() < SUB_BUCKET_MIN {
        run.sort_unstable_by_key(|r| r.address);
        return first_repeat(run);
    }
    let scratch = &mut scratch[..run.len()];
    counts.fill(0);
    for recipient in run.iter() {
        counts[sub_bucket(recipient) + 1] += 1;
    }
    starts_from_counts(counts);
    for recipient in run.iter() {
        let slot = &mut counts[sub_bucket(recipient)];
        scratch[*slot] = *recipient;
        *slot += 1;
    }
    // Each count now holds where its bucket ends; the buckets follow one another.
    let mut start = 0;
    for &end in &counts[..SUB_BUCKETS] {
        if end - start > 1 {
            scratch[start..end].sort_unstable_by_key(|r| r.address);
        }
        start = end;
    }
    first_repeat(scratch)?;
    run.copy_from_slice(scratch);
    Ok(())
}
