//! `ExecutorConfig`: how the executor pays, the `[executor]` section of the configuration,
//! with its defaults in one place.

use std::num::NonZeroUsize;
use std::time::Duration;

use tokenomics_core::Address;

/// The treasury when none is configured: "treasury" in ASCII, zero padded.
pub const DEFAULT_TREASURY: Address = Address::from_bytes(*b"treasury\0\0\0\0\0\0\0\0\0\0\0\0");

/// How the executor pays: the `[executor]` section of the configuration, defaults here (docs/SPEC.md).
///
/// The batch size is the client's (`[rpc] batch_size`): the executor sends one JSON-RPC
/// request per chunk of that many transfers, so the client never splits them again.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExecutorConfig {
    /// The account that is minted into and pays out.
    pub treasury: Address,
    /// Recipients whose balances (and transfers whose records) are checked (100).
    #[serde(deserialize_with = "at_least_one")]
    pub verify_sample: NonZeroUsize,
    /// Batches in flight at once (16); confirmations are journaled in groups of
    /// `batch_size * batches_in_flight` transfers.
    #[serde(skip)]
    pub batches_in_flight: NonZeroUsize,
    /// Rounds over the still-unconfirmed transfers before giving up for this run (8).
    #[serde(skip)]
    pub max_rounds: u32,
    /// Pause before a round that follows one with failures (1 s, doubling).
    #[serde(skip)]
    pub round_pause: Duration,
}

/// A count from the configuration: 0 would silently skip what it counts.
fn at_least_one<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<NonZeroUsize, D::Error> {
    let count = <usize as serde::Deserialize>::deserialize(deserializer)?;
    NonZeroUsize::new(count).ok_or_else(|| serde::de::Error::custom("must be at least 1"))
}

impl Default for ExecutorConfig {
    fn default() -> ExecutorConfig {
        ExecutorConfig::new(DEFAULT_TREASURY)
    }
}

impl ExecutorConfig {
    /// The defaults, paying from `treasury`.
    pub fn new(treasury: Address) -> ExecutorConfig {
        ExecutorConfig {
            treasury,
            verify_sample: NonZeroUsize::new(100).unwrap_or(NonZeroUsize::MIN),
            batches_in_flight: NonZeroUsize::new(16).unwrap_or(NonZeroUsize::MIN),
            max_rounds: 8,
            round_pause: Duration::from_secs(1),
        }
    }
}
