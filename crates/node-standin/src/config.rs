//! [`StandInConfig`]: which of the node's behaviours the stand-in shows, and their limits.

use std::time::Duration;

/// One gwei in wei: the Luxtensor pool's minimum gas price.
pub const GWEI: u128 = 1_000_000_000;

/// What `eth_estimateGas` answers when anvil reports an error (a revert) and
/// [`StandInConfig::estimates_hide_reverts`] is on: a plain transfer's gas.
pub const HIDDEN_REVERT_ESTIMATE: u64 = 21_000;

/// Which behaviours of Luxtensor's EVM node the stand-in shows (each switch on its own), and
/// their limits.
///
/// [`StandInConfig::default`] switches every behaviour off: a transparent proxy (the limits
/// keep the node's values, so turning one switch on gives the node's behaviour).
/// [`StandInConfig::luxtensor`] switches every behaviour on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandInConfig {
    /// 1. Blocks (`eth_getBlockByNumber`, `eth_getBlockByHash`) answer a zero `hash` and
    ///    `parentHash`; a receipt's `blockHash` (and its logs') is the transaction's own
    ///    hash, which no stored block has (what the node's receipts of its pool carry).
    pub zero_block_hashes: bool,
    /// 1b. A transaction the pool took (forwarded, or swallowed by the intrinsic gas rule)
    ///     that anvil has no receipt for gets a made-up one while its slot TTL lasts:
    ///     status 1, block 0, a zero block hash, 21,000 gas, no logs (the node's receipt
    ///     of a pending transaction). A left-out transaction (5) gets none.
    pub fabricated_receipts: bool,
    /// 2. At most [`max_pending_per_sender`](Self::max_pending_per_sender) transactions per
    ///    sender hold a slot; a slot is given back only when its transaction is mined with
    ///    status 1, else (a resent duplicate, a refused, reverted or never mined
    ///    transaction) after [`slot_ttl`](Self::slot_ttl).
    pub sender_slots: bool,
    /// Slots per sender (the node's `DEFAULT_MAX_PER_SENDER`: 16).
    pub max_pending_per_sender: usize,
    /// How long a slot lives unless its transaction is mined (the node's 30 minutes).
    pub slot_ttl: Duration,
    /// 3. At most [`requests_per_window`](Self::requests_per_window) HTTP requests (a batch
    ///    is one) per fixed [`window`](Self::window), counted from the first request of the
    ///    window; then HTTP 429 with a JSON-RPC error -32000 and no `Retry-After`.
    pub request_window: bool,
    /// Requests per window (the node's 100).
    pub requests_per_window: u64,
    /// The window (the node's 60 s).
    pub window: Duration,
    /// 4a. A transaction whose gas limit is below 21,000 + 68 per calldata byte is
    ///     answered its hash but never forwarded: never mined, no receipt.
    pub intrinsic_gas: bool,
    /// 4b. `eth_estimateGas` answers [`HIDDEN_REVERT_ESTIMATE`] where anvil reports an
    ///     error, and `eth_call` answers `"0x"` where anvil reports a revert.
    pub estimates_hide_reverts: bool,
    /// 4c. `eth_gasPrice` answers half of [`min_gas_price`](Self::min_gas_price), while
    ///     `eth_sendRawTransaction` refuses a gas price (or fee cap) below it.
    pub low_gas_price: bool,
    /// The pool's minimum gas price in wei (the node's 1 gwei).
    pub min_gas_price: u128,
    /// 5. A transaction whose gas limit does not fit what is left of the block's gas (the
    ///    gas limits forwarded since anvil's head last moved) is "executed but left out":
    ///    its nonce is used (`anvil_setNonce` once the nonces below it are mined), it is
    ///    never mined and has no receipt.
    pub block_gas_overflow: bool,
    /// The block gas limit (the node's 30,000,000).
    pub block_gas_limit: u64,
    /// 6. `eth_getTransactionCount` ignores the block tag: `pending` answers `latest`.
    pub tagless_nonce: bool,
}

impl Default for StandInConfig {
    /// Every behaviour off (a transparent proxy), the node's limits kept.
    fn default() -> Self {
        Self {
            zero_block_hashes: false,
            fabricated_receipts: false,
            sender_slots: false,
            max_pending_per_sender: 16,
            slot_ttl: Duration::from_secs(30 * 60),
            request_window: false,
            requests_per_window: 100,
            window: Duration::from_secs(60),
            intrinsic_gas: false,
            estimates_hide_reverts: false,
            low_gas_price: false,
            min_gas_price: GWEI,
            block_gas_overflow: false,
            block_gas_limit: 30_000_000,
            tagless_nonce: false,
        }
    }
}

impl StandInConfig {
    /// Every behaviour on, with the node's limits.
    pub fn luxtensor() -> Self {
        Self {
            zero_block_hashes: true,
            fabricated_receipts: true,
            sender_slots: true,
            request_window: true,
            intrinsic_gas: true,
            estimates_hide_reverts: true,
            low_gas_price: true,
            block_gas_overflow: true,
            tagless_nonce: true,
            ..Self::default()
        }
    }
}
