//! Largest-remainder apportionment: shares of a pool that sum to the pool exactly.
//!
//! Each part gets `floor(pool * w / W)`; the few units left over go one each to the
//! largest remainders `(pool * w) mod W`, ties to the earlier part. Callers order the
//! parts so that "earlier" is the pinned tie-break (category order, lower address).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::amount::Amount;
use crate::error::{CoreError, Result};
use crate::muldiv::{mul_div_rem, ShareDivider};

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
    let mut shares = Vec::with_capacity(weights.len());
    let Some(bumped) = apportion_by(pool, weights, |&w| w, |_, share| shares.push(share))? else {
        return Ok(None);
    };
    for index in bumped {
        let share = &mut shares[index as usize];
        *share = Amount::from_base_units(share.base_units() + 1);
    }
    Ok(Some(shares))
}

/// Largest remainder over `items` without copying them, for plans of millions.
///
/// `weight(item)` is the item's weight; `share(item, floor)` is called once per item,
/// in order, with its floor share. Returns the indices that get one more unit each
/// (`None` if the weights sum to zero, in which case `share` was never called).
pub(crate) fn apportion_by<T>(
    pool: Amount,
    items: &[T],
    weight: impl Fn(&T) -> u128,
    mut share: impl FnMut(&T, Amount),
) -> Result<Option<Vec<u32>>> {
    let overflow = CoreError::Overflow {
        what: "sum of weights",
    };
    if u32::try_from(items.len()).is_err() {
        return Err(overflow);
    }
    let total_weight = items
        .iter()
        .try_fold(0u128, |sum, item| sum.checked_add(weight(item)))
        .ok_or(overflow)?;
    if total_weight == 0 {
        return Ok(None);
    }
    let mut handed_out: u128 = 0;
    let mut remainders: Vec<u128> = Vec::with_capacity(items.len());
    let divider = ShareDivider::new(pool.base_units(), total_weight);
    for item in items {
        let (floor, remainder) = match &divider {
            // proof: each weight is at most their sum, total_weight.
            Some(divider) => divider.div_rem(weight(item)),
            None => mul_div_rem(pool.base_units(), weight(item), total_weight)
                .ok_or(CoreError::Overflow { what: "share" })?,
        };
        remainders.push(remainder);
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
    let (threshold, above) = kth_largest(&remainders, left_over, total_weight);
    let mut ties = left_over - above;
    // Without branches (half the parts get a unit, in no pattern a predictor learns):
    // each index is written, and kept by moving on when it gets a unit. The one spare
    // slot takes the writes after the last unit.
    let mut bumped = vec![0u32; left_over + 1];
    let mut filled = 0;
    for (index, &remainder) in remainders.iter().enumerate() {
        let tie = (remainder == threshold) & (ties > 0);
        ties -= usize::from(tie);
        // proof: len fits in u32 (checked above); exactly left_over parts get a unit.
        bumped[filled] = index as u32;
        filled += usize::from((remainder > threshold) | tie);
    }
    bumped.truncate(filled);
    Ok(Some(bumped))
}

/// The `k`-th largest of `values` (counting from 1) and how many values are larger,
/// for `1 <= k <= values.len()` and every value below `bound`, without reordering or
/// copying them all: a histogram of their top bits finds the bucket that holds it, and
/// only that bucket (a few hundred values of a million spread ones) is selected in.
fn kth_largest(values: &[u128], k: usize, bound: u128) -> (u128, usize) {
    const BITS: u32 = 12;
    let shift = (128 - bound.leading_zeros()).saturating_sub(BITS);
    // proof: every value is below bound < 2^(shift + BITS), so v >> shift < 2^BITS.
    let bucket = |v: u128| (v >> shift) as usize;
    let mut counts = vec![0usize; 1 << BITS];
    for &value in values {
        counts[bucket(value)] += 1;
    }
    let (mut chosen, mut above) = (0, 0);
    for (index, &count) in counts.iter().enumerate().rev() {
        if above + count >= k {
            chosen = index;
            break;
        }
        above += count;
    }
    let mut candidates: Vec<u128> = values
        .iter()
        .copied()
        .filter(|&v| bucket(v) == chosen)
        .collect();
    // proof: above < k <= above + candidates.len(), so the index is in range.
    let (larger, kth, _) = candidates.select_nth_unstable_by(k - above - 1, |a, b| b.cmp(a));
    let kth = *kth;
    // Values equal to the k-th may sit among the `larger` side of the selection.
    let larger_in_bucket = larger.iter().filter(|&&v| v > kth).count();
    (kth, above + larger_in_bucket)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::kth_largest;

    /// Values below `bound`, spread or piled on a few (ties), and a rank in range.
    fn ranked() -> impl Strategy<Value = (Vec<u128>, usize, u128)> {
        (
            1u32..=127,
            prop::collection::vec(any::<u128>(), 1..3000),
            1u128..8,
        )
            .prop_flat_map(|(bits, raw, piles)| {
                let bound = 1u128 << bits;
                let values: Vec<u128> = raw
                    .iter()
                    .map(|&v| match v % 3 {
                        0 => v % bound,
                        _ => (v % piles) * (bound / 8),
                    })
                    .collect();
                let len = values.len();
                (Just(values), 1..=len, Just(bound))
            })
    }

    proptest! {
        #[test]
        fn the_kth_largest_and_the_count_above_it_are_those_of_a_sort(
            (values, k, bound) in ranked()
        ) {
            let mut sorted = values.clone();
            sorted.sort_unstable_by(|a, b| b.cmp(a));
            let kth = sorted[k - 1];
            let above = sorted.iter().filter(|&&v| v > kth).count();
            prop_assert_eq!(kth_largest(&values, k, bound), (kth, above));
        }
    }
}
