//! `ExecutorConfig`: what the executor needs whatever the backend, the shared part of
//! the `[executor]` section of the configuration, with its defaults in one place.
//!
//! What only one backend needs is that backend's, given when it is built (the Luxtensor
//! treasury and batch settings, the EVM contracts and sender settings).

use std::num::NonZeroUsize;

/// What the executor needs whatever the backend (docs/SPEC.md, `[executor]`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExecutorConfig {
    /// Transfers whose on-chain records (and, where they tell, balances) are checked
    /// after an epoch is paid (100).
    pub verify_sample: NonZeroUsize,
}

impl Default for ExecutorConfig {
    fn default() -> ExecutorConfig {
        ExecutorConfig::new(NonZeroUsize::new(100).unwrap_or(NonZeroUsize::MIN))
    }
}

impl ExecutorConfig {
    /// Checks `verify_sample` records (and balances) per paid epoch.
    pub fn new(verify_sample: NonZeroUsize) -> ExecutorConfig {
        ExecutorConfig { verify_sample }
    }
}
