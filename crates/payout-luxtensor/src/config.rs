//! `LuxtensorConfig`: what only the Luxtensor backend needs, given when it is built, with
//! its defaults in one place.

use std::num::NonZeroUsize;
use std::time::Duration;

use tokenomics_core::Address;

/// The treasury when none is configured: "treasury" in ASCII, zero padded.
pub const DEFAULT_TREASURY: Address = Address::from_bytes(*b"treasury\0\0\0\0\0\0\0\0\0\0\0\0");

/// How the Luxtensor backend pays (docs/SPEC.md: `[executor] treasury`; the rest are
/// built in).
///
/// The batch size is the client's (`[rpc] batch_size`): the backend sends one JSON-RPC
/// request per chunk of that many transfers, so the client never splits them again.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LuxtensorConfig {
    /// The account that is minted into and pays out.
    pub treasury: Address,
    /// Batches in flight at once (16); confirmations are handed over in groups of
    /// `batch_size * batches_in_flight` transfers.
    pub batches_in_flight: NonZeroUsize,
    /// Rounds over the still-unconfirmed transfers before giving up for this run (8).
    pub max_rounds: u32,
    /// Pause before a round that follows one with failures (1 s, doubling).
    pub round_pause: Duration,
}

impl Default for LuxtensorConfig {
    fn default() -> LuxtensorConfig {
        LuxtensorConfig::new(DEFAULT_TREASURY)
    }
}

impl LuxtensorConfig {
    /// The defaults, paying from `treasury`.
    pub fn new(treasury: Address) -> LuxtensorConfig {
        LuxtensorConfig {
            treasury,
            batches_in_flight: NonZeroUsize::new(16).unwrap_or(NonZeroUsize::MIN),
            max_rounds: 8,
            round_pause: Duration::from_secs(1),
        }
    }
}
