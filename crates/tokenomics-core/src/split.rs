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
    apportion_by(pool, weights.len(), |i| weights[i])
}

/// [`apportion`] over `len` parts whose weights `weight(i)` gives, without a copy.
pub(crate) fn apportion_by(
    pool: Amount,
    len: usize,
    weight: impl Fn(usize) -> u128,
) -> Result<Option<Vec<Amount>>> {
    let overflow = CoreError::Overflow {
        what: "sum of weights",
    };
    if u32::try_from(len).is_err() {
        return Err(overflow);
    }
    let total_weight = (0..len)
        .try_fold(0u128, |sum, i| sum.checked_add(weight(i)))
        .ok_or(overflow)?;
    if total_weight == 0 {
        return Ok(None);
    }
    let mut shares = Vec::with_capacity(len);
    let mut remainders = Vec::with_capacity(len);
    let mut handed_out: u128 = 0;
    for i in 0..len {
        let (share, remainder) = mul_div_rem(pool.base_units(), weight(i), total_weight)
            .ok_or(CoreError::Overflow { what: "share" })?;
        // proof: the shares are floors of parts of pool, so their sum is <= pool.
        handed_out += share;
        shares.push(Amount::from_base_units(share));
        remainders.push(remainder);
    }
    // proof: the sum of floors is > pool - len, so left_over < len.
    let left_over = (pool.base_units() - handed_out) as usize;
    if left_over > 0 {
        // proof: len fits in u32 (checked above).
        let mut order: Vec<u32> = (0..len as u32).collect();
        let by_remainder = |a: &u32, b: &u32| {
            remainders[*b as usize]
                .cmp(&remainders[*a as usize])
                .then(a.cmp(b))
        };
        order.select_nth_unstable_by(left_over - 1, by_remainder);
        for &index in &order[..left_over] {
            let share = &mut shares[index as usize];
            *share = Amount::from_base_units(share.base_units() + 1);
        }
    }
    Ok(Some(shares))
}
