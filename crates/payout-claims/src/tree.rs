//! The cumulative table as OpenZeppelin's `StandardMerkleTree` of `["address", "uint256"]`
//! leaves (built by `claims-tree`): its tree and root, and the table after an epoch.

use std::collections::BTreeMap;

use alloy_primitives::{B256, U256};
use claims_tree::ClaimsTree;
use tokenomics_core::{Address, Amount, EpochPlan};

use crate::error::ClaimsError;
use payout_executor::Result;

/// What an epoch gives each account (summed over its transfers), in address order.
pub(crate) type Given = Vec<(Address, Amount)>;

/// A cumulative table: per account, everything ever given to it by claims.
pub(crate) type Table = BTreeMap<Address, Amount>;

/// The table after `plan`: every transfer's amount added to its recipient's cumulative
/// amount. Returns the table, its total and what the epoch gives each account.
pub(crate) fn after(table: &Table, plan: &EpochPlan) -> Result<(Table, Amount, Given)> {
    let mut given: BTreeMap<Address, u128> = BTreeMap::new();
    for transfer in &plan.transfers {
        let entry = given.entry(transfer.to).or_default();
        *entry = entry
            .checked_add(transfer.amount.base_units())
            .ok_or_else(|| ClaimsError::Tree("an account's amount passes u128".into()))?;
    }
    let mut next = table.clone();
    for (account, amount) in &given {
        let before = next.get(account).map_or(0, |a| a.base_units());
        let after = before.checked_add(*amount).ok_or_else(|| {
            ClaimsError::Tree(format!("{account}: cumulative amount passes u128"))
        })?;
        next.insert(*account, Amount::from_base_units(after));
    }
    let mut total = 0u128;
    for amount in next.values() {
        total = total
            .checked_add(amount.base_units())
            .ok_or_else(|| ClaimsError::Tree("the cumulative total passes u128".into()))?;
    }
    let given = given
        .into_iter()
        .map(|(account, amount)| (account, Amount::from_base_units(amount)))
        .collect();
    Ok((next, Amount::from_base_units(total), given))
}

/// The tree of a cumulative table (`claims-tree`: OpenZeppelin's `StandardMerkleTree`),
/// its values in address order; `None` for an empty table.
pub fn tree_of(table: &BTreeMap<Address, Amount>) -> Result<Option<ClaimsTree>> {
    if table.is_empty() {
        return Ok(None);
    }
    let leaves = table.iter().map(|(account, amount)| {
        (
            payout_evm::to_evm(*account),
            U256::from(amount.base_units()),
        )
    });
    ClaimsTree::build(leaves)
        .map(Some)
        .map_err(|e| ClaimsError::Tree(e.to_string()).into())
}

/// The root of the table's tree (`None` for an empty table: no tree).
pub(crate) fn root(table: &BTreeMap<Address, Amount>) -> Result<Option<B256>> {
    Ok(tree_of(table)?.map(|tree| tree.root()))
}
