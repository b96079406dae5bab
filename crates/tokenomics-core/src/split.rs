//! Largest-remainder apportionment: shares of a pool that sum to the pool exactly.
//!
//! Each part gets `floor(pool * w / W)`; the few units left over go one each to the
//! largest remainders `(pool * w) mod W`, ties to the earlier part. Callers order the
//! parts so that "earlier" is the pinned tie-break (category order, lower address).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::amount::Amount;
use crate::error::{CoreError, Result};
use crate::muldiv::mul_div_rem;

/// The seven reward categories, in the order of the plan (and of ties).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Miners, by score.
    Miners,
    /// Validators, by stake.
    Validators,
    /// Infrastructure providers, by weight.
    Infrastructure,
    /// Delegators, by stake times lock bonus.
    Delegators,
    /// The community address.
    Community,
    /// Subnet owners, by weight.
    SubnetOwners,
    /// The DAO address (also receives the pool of every empty category).
    Dao,
}

impl Category {
    /// Every category, in plan order.
    pub const ALL: [Category; 7] = [
        Category::Miners,
        Category::Validators,
        Category::Infrastructure,
        Category::Delegators,
        Category::Community,
        Category::SubnetOwners,
        Category::Dao,
    ];

    /// The name used in files and JSON (`subnet_owners`).
    pub const fn name(self) -> &'static str {
        match self {
            Category::Miners => "miners",
            Category::Validators => "validators",
            Category::Infrastructure => "infrastructure",
            Category::Delegators => "delegators",
            Category::Community => "community",
            Category::SubnetOwners => "subnet_owners",
            Category::Dao => "dao",
        }
    }

    /// The position in [`Category::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Splits `pool` in proportion to `weights`; the parts sum to `pool` exactly.
///
/// Returns `Ok(None)` when the weights sum to zero (nobody to pay), and an overflow
/// error when their sum does not fit in `u128`.
pub fn apportion(pool: Amount, weights: &[u128]) -> Result<Option<Vec<Amount>>> {
    let mut slots = weights.to_vec();
    let mut shares = Vec::with_capacity(weights.len());
    let Some(bumped) = apportion_in_place(pool, &mut slots, |w| w, |_, share| shares.push(share))?
    else {
        return Ok(None);
    };
    for index in bumped {
        let share = &mut shares[index as usize];
        *share = Amount::from_base_units(share.base_units() + 1);
    }
    Ok(Some(shares))
}

/// Largest remainder over `items` without extra copies, for plans of millions.
///
/// `slot(item)` holds the item's weight and is overwritten with its remainder;
/// `share(item, floor)` is called once per item, in order, with its floor share.
/// Returns the indices that get one more unit each (`None` if the weights sum to
/// zero, in which case `share` was never called).
pub(crate) fn apportion_in_place<T>(
    pool: Amount,
    items: &mut [T],
    slot: impl Fn(&mut T) -> &mut u128,
    mut share: impl FnMut(&T, Amount),
) -> Result<Option<Vec<u32>>> {
    let overflow = CoreError::Overflow {
        what: "sum of weights",
    };
    if u32::try_from(items.len()).is_err() {
        return Err(overflow);
    }
    let total_weight = items
        .iter_mut()
        .try_fold(0u128, |sum, item| sum.checked_add(*slot(item)))
        .ok_or(overflow)?;
    if total_weight == 0 {
        return Ok(None);
    }
    let mut handed_out: u128 = 0;
    for item in items.iter_mut() {
        let weight = slot(item);
        let (floor, remainder) = mul_div_rem(pool.base_units(), *weight, total_weight)
            .ok_or(CoreError::Overflow { what: "share" })?;
        *weight = remainder;
        // proof: the shares are floors of parts of pool, so their sum is <= pool.
        handed_out += floor;
        share(item, Amount::from_base_units(floor));
    }
    // proof: the sum of floors is > pool - len, so left_over < len.
    let left_over = (pool.base_units() - handed_out) as usize;
    if left_over == 0 {
        return Ok(Some(Vec::new()));
    }
    // The left_over-th largest remainder is the threshold: every part above it gets a
    // unit, and the parts exactly at it take the rest in index order (the tie-break).
    // Selecting on a contiguous copy of the remainders is much faster than on indices.
    let mut remainders: Vec<u128> = items.iter_mut().map(|item| *slot(item)).collect();
    let (_, threshold, _) = remainders.select_nth_unstable_by(left_over - 1, |a, b| b.cmp(a));
    let threshold = *threshold;
    let above = remainders.iter().filter(|&&r| r > threshold).count();
    drop(remainders);
    let mut ties = left_over - above;
    let mut bumped = Vec::with_capacity(left_over);
    for (index, item) in items.iter_mut().enumerate() {
        let remainder = *slot(item);
        if remainder > threshold || (remainder == threshold && ties > 0) {
            if remainder == threshold {
                ties -= 1;
            }
            // proof: len fits in u32 (checked above).
            bumped.push(index as u32);
        }
    }
    Ok(Some(bumped))
}
