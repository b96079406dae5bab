//! The cumulative table as OpenZeppelin's `StandardMerkleTree` of `["address", "uint256"]`
//! leaves: its root, and the table after an epoch.
//!
//! Until the workspace's `claims-tree` crate lands, the root is computed here with the
//! same algorithm (leaf `keccak256(keccak256(abi.encode(account, amount)))`, leaves sorted,
//! the tree laid out as OpenZeppelin's array, sorted-pair parents).

use std::collections::BTreeMap;

use alloy_primitives::{keccak256, B256, U256};
use alloy_sol_types::SolValue;
use tokenomics_core::{Address, Amount, EpochPlan};

use crate::error::ClaimsError;
use payout_executor::Result;

/// The table after `plan`: every transfer's amount added to its recipient's cumulative
/// amount. Returns the table, its total and what the epoch gives each account.
pub(crate) fn after(
    table: &BTreeMap<Address, Amount>,
    plan: &EpochPlan,
) -> Result<(BTreeMap<Address, Amount>, Amount, Vec<(Address, Amount)>)> {
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

/// OpenZeppelin's standard leaf of `(account, amount)`.
pub(crate) fn leaf(account: Address, amount: Amount) -> B256 {
    let account = alloy_primitives::Address::from(*account.as_bytes());
    keccak256(keccak256(
        (account, U256::from(amount.base_units())).abi_encode(),
    ))
}

fn pair(a: B256, b: B256) -> B256 {
    let (low, high) = if a <= b { (a, b) } else { (b, a) };
    let mut both = [0u8; 64];
    both[..32].copy_from_slice(low.as_slice());
    both[32..].copy_from_slice(high.as_slice());
    keccak256(both)
}

/// The root of the table's tree (`None` for an empty table: no tree).
pub(crate) fn root(table: &BTreeMap<Address, Amount>) -> Option<B256> {
    let mut leaves: Vec<B256> = table.iter().map(|(a, m)| leaf(*a, *m)).collect();
    if leaves.is_empty() {
        return None;
    }
    leaves.sort();
    let n = leaves.len();
    let mut tree = vec![B256::ZERO; 2 * n - 1];
    for (i, leaf) in leaves.into_iter().enumerate() {
        tree[2 * n - 2 - i] = leaf;
    }
    for i in (0..n - 1).rev() {
        tree[i] = pair(tree[2 * i + 1], tree[2 * i + 2]);
    }
    Some(tree[0])
}
