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
    let total_weight = weights
        .iter()
        .try_fold(0u128, |sum, &w| sum.checked_add(w))
        .ok_or(CoreError::Overflow {
            what: "sum of weights",
        })?;
    if total_weight == 0 {
        return Ok(None);
    }
    let mut shares = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    let mut handed_out: u128 = 0;
    for &weight in weights {
        let (share, remainder) = mul_div_rem(pool.base_units(), weight, total_weight)
            .ok_or(CoreError::Overflow { what: "share" })?;
        // proof: the shares are floors of parts of pool, so their sum is <= pool.
        handed_out += share;
        shares.push(share);
        remainders.push(remainder);
    }
    // proof: sum of floors is > pool - n, so left_over < n = weights.len().
    let left_over = (pool.base_units() - handed_out) as usize;
    if left_over > 0 {
        let mut order: Vec<u32> = (0..weights.len() as u32).collect();
        let by_remainder = |a: &u32, b: &u32| {
            remainders[*b as usize]
                .cmp(&remainders[*a as usize])
                .then(a.cmp(b))
        };
        if left_over < order.len() {
            order.select_nth_unstable_by(left_over, by_remainder);
        }
        for &index in &order[..left_over] {
            shares[index as usize] += 1;
        }
    }
    Ok(Some(
        shares.into_iter().map(Amount::from_base_units).collect(),
    ))
}
