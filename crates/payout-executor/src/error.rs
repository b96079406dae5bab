//! The executor's error: what stopped an epoch, and whether running again can help.
//!
//! One layer each: the journal's [`JournalError`], each backend's own error (carried as a
//! [`BackendError`] that keeps its type, its retry and its bad-input answers), and the
//! executor's own variants on top: the rules of an epoch every backend shares.
//!
//! Running again is always safe (the journal and the chain's records make it resume), so
//! [`ExecutorError::is_retryable`] says whether it can *succeed* without a change of
//! inputs, configuration or chain state, and [`ExecutorError::is_bad_input`] whether the
//! inputs, the configuration or the files given are what must change (nothing was sent).

use payout_journal::JournalError;
use tokenomics_core::{Address, Amount, CoreError, Hash256};

/// Why an epoch could not be paid (yet).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExecutorError {
    /// The inputs cannot be planned (bad input: nothing was sent).
    #[error("cannot plan: {0}")]
    Plan(#[from] CoreError),
    /// The journal could not be opened, read or written.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// The epoch was journaled with another plan: different inputs for the same epoch.
    #[error(
        "epoch {epoch} conflicts with the journal: journaled plan {journaled}, new plan {new}"
    )]
    Conflict {
        /// The epoch.
        epoch: u64,
        /// The plan hash in the journal.
        journaled: Hash256,
        /// The plan hash of the inputs given now.
        new: Hash256,
    },
    /// A resumed epoch would pay from another account than the one it was opened for.
    #[error("epoch {epoch} is journaled with treasury {journaled}, but the configuration names {configured}")]
    TreasuryChanged {
        /// The epoch.
        epoch: u64,
        /// The payer in the journal.
        journaled: Address,
        /// The payer configured now.
        configured: Address,
    },
    /// The chain records another plan for the epoch (or a write of it differs from
    /// this plan): the chain refuses to pay the epoch a second way, and so does the
    /// executor, before sending anything more.
    #[error("epoch {epoch} was started on chain with another plan ({detail}); nothing more is sent for it")]
    ChainConflict {
        /// The epoch.
        epoch: u64,
        /// What differs.
        detail: String,
    },
    /// The payer cannot cover the epoch once its mint is in (the recycled pool plus what
    /// unfinished epochs still owe): refused before the epoch opens.
    #[error("{0}")]
    PoolShort(Box<PoolShortfall>),
    /// `close-epoch` refused: the epoch is not one that can never complete (not opened,
    /// fully paid, still payable, or not in the journal). Nothing was sent.
    #[error("epoch {epoch} cannot be closed: {reason}")]
    CloseRefused {
        /// The epoch.
        epoch: u64,
        /// Why not.
        reason: String,
    },
    /// Some transfers were still unconfirmed when the backend gave up for this run.
    #[error("epoch {epoch}: {pending} transfers still unconfirmed after {rounds} rounds; run again to resume")]
    Incomplete {
        /// The epoch.
        epoch: u64,
        /// Transfers left.
        pending: usize,
        /// Rounds tried.
        rounds: u32,
    },
    /// Stopped on request (Ctrl-C) between writes; the journal is consistent.
    #[error("epoch {epoch}: stopped on request with {pending} transfers still to send; run again to resume")]
    Interrupted {
        /// The epoch.
        epoch: u64,
        /// Transfers left.
        pending: usize,
    },
    /// The paid epoch is not what the chain shows: a record missing or different, or a
    /// balance that does not match the plan.
    #[error("epoch {epoch}: verification failed: {reason}")]
    Unverified {
        /// The epoch.
        epoch: u64,
        /// What differs.
        reason: String,
    },
    /// The backend failed (its node, its protocol, its contracts, its signer).
    #[error(transparent)]
    Backend(BackendError),
}

/// What a payer lacks to open an epoch: [`ExecutorError::PoolShort`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("epoch {epoch}: {payer_is} {payer} holds {holds} MDT but needs {needed} MDT before the epoch mints {mints} MDT into it (it pays {pays} MDT, recycled pool included, plus {owed} MDT unfinished epochs still owe)")]
pub struct PoolShortfall {
    /// The epoch.
    pub epoch: u64,
    /// What the payer is (`treasury`, `the payout contract`).
    pub payer_is: &'static str,
    /// The paying account.
    pub payer: Address,
    /// What it holds now.
    pub holds: Amount,
    /// What it must hold before the mint: `pays + owed - mints`.
    pub needed: Amount,
    /// What opening the epoch mints into it.
    pub mints: Amount,
    /// What the epoch pays.
    pub pays: Amount,
    /// What unfinished epochs still pay from it.
    pub owed: Amount,
}

/// What a backend's own error says of itself: whether running again can help, whether
/// it is bad input, and the epoch it is about.
pub trait BackendFailure: std::error::Error + Send + Sync + 'static {
    /// Whether running again (unchanged) can succeed: transient node trouble.
    fn is_retryable(&self) -> bool;
    /// Whether the configuration, the inputs or the chain given must change (nothing
    /// was sent): exit code 2 in the CLI.
    fn is_bad_input(&self) -> bool;
    /// The epoch the error is about, when it names one.
    fn epoch(&self) -> Option<u64> {
        None
    }
}

/// A backend's error with its answers kept: [`ExecutorError::Backend`].
#[derive(Debug)]
pub struct BackendError {
    error: Box<dyn std::error::Error + Send + Sync>,
    retryable: bool,
    bad_input: bool,
    epoch: Option<u64>,
}

impl BackendError {
    /// Wraps a backend's error.
    pub fn new(error: impl BackendFailure) -> BackendError {
        BackendError {
            retryable: error.is_retryable(),
            bad_input: error.is_bad_input(),
            epoch: error.epoch(),
            error: Box::new(error),
        }
    }

    /// The backend's error as its own type, if it is one.
    pub fn downcast_ref<E: std::error::Error + 'static>(&self) -> Option<&E> {
        self.error.downcast_ref()
    }
}

impl std::fmt::Display for BackendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for BackendError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.source()
    }
}

impl ExecutorError {
    /// The epoch the error is about, when its message names it (`epoch 7 …`): a caller
    /// adds the epoch to the other errors' messages without reading their text.
    pub fn epoch(&self) -> Option<u64> {
        match self {
            ExecutorError::Conflict { epoch, .. }
            | ExecutorError::TreasuryChanged { epoch, .. }
            | ExecutorError::ChainConflict { epoch, .. }
            | ExecutorError::CloseRefused { epoch, .. }
            | ExecutorError::Incomplete { epoch, .. }
            | ExecutorError::Interrupted { epoch, .. }
            | ExecutorError::Unverified { epoch, .. } => Some(*epoch),
            ExecutorError::PoolShort(short) => Some(short.epoch),
            ExecutorError::Journal(error) => error.epoch(),
            ExecutorError::Backend(error) => error.epoch,
            ExecutorError::Plan(_) => None,
        }
    }

    /// Whether running again (unchanged) can succeed: transient node trouble, an
    /// interruption or unconfirmed transfers; not bad inputs, conflicts or mismatches.
    pub fn is_retryable(&self) -> bool {
        match self {
            ExecutorError::Incomplete { .. } | ExecutorError::Interrupted { .. } => true,
            ExecutorError::Journal(error) => error.is_retryable(),
            ExecutorError::Backend(error) => error.retryable,
            _ => false,
        }
    }

    /// Whether the error is about the inputs, configuration or files given (nothing was
    /// sent): exit code 2 in the CLI.
    pub fn is_bad_input(&self) -> bool {
        match self {
            ExecutorError::Plan(_)
            | ExecutorError::Conflict { .. }
            | ExecutorError::TreasuryChanged { .. }
            | ExecutorError::ChainConflict { .. }
            | ExecutorError::PoolShort(_)
            | ExecutorError::CloseRefused { .. } => true,
            ExecutorError::Journal(error) => error.is_bad_input(),
            ExecutorError::Backend(error) => error.bad_input,
            ExecutorError::Incomplete { .. }
            | ExecutorError::Interrupted { .. }
            | ExecutorError::Unverified { .. } => false,
        }
    }

    /// The backend's error as its own type, if this is one.
    pub fn backend<E: std::error::Error + 'static>(&self) -> Option<&E> {
        match self {
            ExecutorError::Backend(error) => error.downcast_ref(),
            _ => None,
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = ExecutorError> = std::result::Result<T, E>;
