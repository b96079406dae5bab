//! [`Confirmation`]: where a confirmed (or reverted) transaction was mined. The journal
//! records it and `confirm.rs` finds it on chain, so it sits below both.

use alloy_primitives::{Address, B256};

/// Where a confirmed (or reverted) transaction was mined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Confirmation {
    /// The transaction that was mined (one of the operation's journaled attempts).
    pub tx_hash: B256,
    /// Its block.
    pub block_number: u64,
    /// The canonical hash of that block when it was checked.
    pub block_hash: B256,
    /// Gas it used.
    pub gas_used: u64,
    /// The created contract, for a contract creation.
    pub contract_address: Option<Address>,
}
