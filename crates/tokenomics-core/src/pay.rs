//! The split of a plan's total into [`Transfer`]s: category pools, then each group by
//! largest remainder.
//!
//! **Invariant:** the transfers sum to `total` exactly; a category whose weights sum to
//! zero pays nothing and its pool goes to the DAO.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::address::Address;
use crate::amount::Amount;
use crate::error::Result;
use crate::inputs::EpochInputs;
use crate::params::Params;
use crate::recipients::Recipient;
use crate::split::{apportion, apportion_by, Category};

/// One payment of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    /// The recipient.
    pub to: Address,
    /// How much, never zero.
    pub amount: Amount,
    /// Which category it is paid from.
    pub category: Category,
}

/// Splits `total` between categories, then inside each one; empty pools go to the DAO.
pub(crate) fn pay_categories(
    params: &Params,
    inputs: &EpochInputs,
    recipients: &[Vec<Recipient>; 7],
    total: Amount,
) -> Result<(BTreeMap<Category, Amount>, Vec<Transfer>)> {
    let shares = params.distribution.shares().map(u128::from);
    // proof: the shares sum to 10000 (validated), so apportion never returns None.
    let pools = apportion(total, &shares)?.unwrap_or_else(|| vec![Amount::ZERO; 7]);
    let mut categories: BTreeMap<Category, Amount> = BTreeMap::new();
    let mut transfers = Vec::with_capacity(recipients.iter().map(Vec::len).sum::<usize>() + 2);
    let mut to_dao = Amount::ZERO;
    for category in Category::ALL {
        let pool = pools[category.index()];
        let (paid, single) = match category {
            Category::Community => (pool, Some(inputs.community_address)),
            Category::Dao => (
                pool.checked_add(to_dao, "dao pool")?,
                Some(inputs.dao_address),
            ),
            _ => {
                if pay_group(
                    pool,
                    &recipients[category.index()],
                    category,
                    &mut transfers,
                )? {
                    (pool, None)
                } else {
                    to_dao = to_dao.checked_add(pool, "dao pool")?;
                    (Amount::ZERO, None)
                }
            }
        };
        if let Some(to) = single.filter(|_| !paid.is_zero()) {
            transfers.push(Transfer {
                to,
                amount: paid,
                category,
            });
        }
        categories.insert(category, paid);
    }
    Ok((categories, transfers))
}

/// Appends the group's transfers (no zero amounts); `false` if its weights sum to zero.
fn pay_group(
    pool: Amount,
    group: &[Recipient],
    category: Category,
    transfers: &mut Vec<Transfer>,
) -> Result<bool> {
    let start = transfers.len();
    let mut zero_floors = false;
    let push = |r: &Recipient, amount: Amount| {
        zero_floors |= amount.is_zero();
        transfers.push(Transfer {
            to: r.address,
            amount,
            category,
        })
    };
    let Some(bumped) = apportion_by(pool, group, Recipient::weight, push)? else {
        return Ok(false);
    };
    for index in bumped {
        let transfer = &mut transfers[start + index as usize];
        // proof: a floor share plus one unit is at most the pool.
        transfer.amount = Amount::from_base_units(transfer.amount.base_units() + 1);
    }
    // Drop the zero amounts (only a zero floor can leave one; usually there is none);
    // nothing moves up to the first one.
    let first_zero = match zero_floors {
        true => transfers[start..].iter().position(|t| t.amount.is_zero()),
        false => None,
    };
    let Some(first_zero) = first_zero else {
        return Ok(true);
    };
    let mut kept = start + first_zero;
    for read in kept + 1..transfers.len() {
        if !transfers[read].amount.is_zero() {
            transfers[kept] = transfers[read];
            kept += 1;
        }
    }
    transfers.truncate(kept);
    Ok(true)
}
