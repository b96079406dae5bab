//! Shared test helpers: deterministic accounts and amounts, and the pinned small trees.

use alloy_primitives::{Address, B256, U256};
use claims_tree::ClaimsTree;

/// The two values of `@openzeppelin/merkle-tree`'s README example.
pub(crate) fn readme_values() -> Vec<(Address, U256)> {
    vec![
        (account(0x11), U256::from(5_000_000_000_000_000_000u128)),
        (account(0x22), U256::from(2_500_000_000_000_000_000u128)),
    ]
}

/// `0xbbbb…bb` (20 bytes of `byte`).
pub(crate) fn account(byte: u8) -> Address {
    Address::repeat_byte(byte)
}

/// `count` distinct accounts with varied amounts (a xorshift sequence, fixed seed).
pub(crate) fn values(count: usize) -> Vec<(Address, U256)> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count)
        .map(|_| {
            let mut bytes = [0u8; 20];
            bytes[..8].copy_from_slice(&next().to_be_bytes());
            bytes[8..16].copy_from_slice(&next().to_be_bytes());
            bytes[16..].copy_from_slice(&next().to_be_bytes()[..4]);
            let amount = U256::from(next()) * U256::from(1_000_000_000u64) + U256::from(1);
            (Address::from(bytes), amount)
        })
        .collect()
}

/// Builds a tree the test expects to build.
#[track_caller]
pub(crate) fn tree(values: &[(Address, U256)]) -> ClaimsTree {
    match ClaimsTree::build(values.iter().copied()) {
        Ok(tree) => tree,
        Err(e) => panic!("building a tree of {} values: {e}", values.len()),
    }
}

/// A hash from its hex text.
#[track_caller]
pub(crate) fn hash(text: &str) -> B256 {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}
