//! `EpochExecutor`: plan -> journal -> open (mint) -> batched transfers -> verify, exactly once.
//!
//! The chain decides what was paid. Every write carries a key that depends only on
//! the epoch and the transfer's position, and the epoch's mint carries its plan, so
//! a run killed anywhere, or one that lost its journal, sends the same keys again and
//! the node answers each replay with its first result. The journal records each stage
//! before the next starts; it only spares a run the reads that find where it stands.
//! **Invariant:** a recipient is paid once per epoch, whatever the faults, kills or
//! journals.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use tokenomics_core::{Address, Params};

use crate::error::{ExecutorError, Result};
pub use crate::executor_config::ExecutorConfig;
use crate::seam::PayoutPreview;
use payout_journal::{Journal, JournalError};

/// Where an epoch's minted supply comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MintedSupply {
    /// As given in the inputs.
    Given,
    /// Read before planning: from the journal, else from the epoch's mint memo on
    /// chain, else `luxtensor_totalSupply` (and then journaled and memoed).
    FromChain,
}

/// Runs epochs against one chain and one journal.
///
/// `C` is the chain the epochs are paid on, a backend of the [`PayoutChain`] seam
/// (`payout-luxtensor`'s `LuxtensorPayout`, `payout-evm`'s `EvmPayout`). An executor over
/// a read-only [`PayoutPreview`] (`payout-evm`'s `PayoutReader`) can only dry-run. A run
/// ([`EpochExecutor::run_epoch`]) needs a [`PayoutChain`](crate::PayoutChain).
#[derive(Debug)]
pub struct EpochExecutor<C: PayoutPreview> {
    pub(crate) params: Params,
    pub(crate) config: ExecutorConfig,
    pub(crate) chain: C,
    pub(crate) journal: Journal,
    pub(crate) stop: Arc<AtomicBool>,
}

impl<C: PayoutPreview> EpochExecutor<C> {
    /// An executor with the journal at `journal` (refused while another run holds it).
    pub fn open(params: Params, config: ExecutorConfig, chain: C, journal: &Path) -> Result<Self> {
        Ok(EpochExecutor::new(
            params,
            config,
            chain,
            Journal::open(journal)?,
        ))
    }

    /// An executor over an open journal.
    pub fn new(params: Params, config: ExecutorConfig, chain: C, journal: Journal) -> Self {
        EpochExecutor {
            params,
            config,
            chain,
            journal,
            stop: Arc::new(AtomicBool::new(false)),
        }
    }

    /// A flag that, once set, stops the executor after the writes in flight.
    pub fn stop_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.stop)
    }

    /// The journal (to inspect what is recorded).
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// The chain the epochs are paid on.
    pub fn chain(&self) -> &C {
        &self.chain
    }

    /// The account minted into and paying out on this chain.
    pub fn payer(&self) -> Address {
        self.chain.payer()
    }
}

pub(crate) fn disappeared(epoch: u64) -> ExecutorError {
    ExecutorError::Journal(JournalError::Corrupt {
        reason: format!("epoch {epoch} missing right after it was recorded"),
    })
}
