//! The crate's error: what stopped an epoch, and whether running again can help.
//!
//! Running again is always safe (the journal and the idempotency keys make it resume),
//! so [`ExecutorError::is_retryable`] says whether it can *succeed* without a change
//! of inputs, configuration or chain state.

use rpc_resilience::RpcError;
use tokenomics_core::{Amount, CoreError, Hash256};

/// Why an epoch could not be paid (yet).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExecutorError {
    /// The inputs cannot be planned (bad input: nothing was sent).
    #[error("cannot plan: {0}")]
    Plan(#[from] CoreError),
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
    /// The journal database failed.
    #[error("journal: {0}")]
    Journal(#[from] rusqlite::Error),
    /// The journal holds something this version cannot read.
    #[error("journal is corrupt: {reason}")]
    JournalCorrupt {
        /// What could not be read.
        reason: String,
    },
    /// Epoch numbers are stored as SQLite integers.
    #[error("epoch {epoch} is too large for the journal (at most 2^63 - 1)")]
    EpochTooLarge {
        /// The epoch.
        epoch: u64,
    },
    /// A call to the node failed after the client's retries.
    #[error("{call}: {source}")]
    Rpc {
        /// Which call.
        call: &'static str,
        /// What went wrong.
        #[source]
        source: RpcError,
    },
    /// The node answered with something that is not what the protocol says.
    #[error("{call}: malformed answer: {reason}")]
    Malformed {
        /// Which call.
        call: &'static str,
        /// What was wrong with it.
        reason: String,
    },
    /// The node refused a transfer for good (e.g. insufficient balance).
    #[error("transfer #{index} to {to} refused: {source}")]
    TransferRefused {
        /// The transfer's index in the plan.
        index: u32,
        /// Its recipient.
        to: String,
        /// The node's answer.
        #[source]
        source: RpcError,
    },
    /// The treasury cannot cover the transfers still to send.
    #[error("treasury {treasury} holds {available} MDT but {needed} MDT is still to pay")]
    TreasuryShort {
        /// The treasury address.
        treasury: String,
        /// What it holds.
        available: Amount,
        /// What the pending transfers need.
        needed: Amount,
    },
    /// Some transfers were still unconfirmed when the executor gave up for this run.
    #[error("epoch {epoch}: {pending} transfers still unconfirmed after {rounds} rounds; run again to resume")]
    Incomplete {
        /// The epoch.
        epoch: u64,
        /// Transfers left.
        pending: usize,
        /// Rounds tried.
        rounds: u32,
    },
    /// On-chain balances do not match the plan.
    #[error(
        "epoch {epoch}: verification failed: {what}: expected {expected} MDT, found {actual} MDT"
    )]
    Mismatch {
        /// The epoch.
        epoch: u64,
        /// Whose balance.
        what: String,
        /// What the plan implies.
        expected: Amount,
        /// What the chain holds.
        actual: Amount,
    },
    /// Stopped on request (Ctrl-C) between batches; the journal is consistent.
    #[error("epoch {epoch}: stopped on request with {pending} transfers still to send; run again to resume")]
    Interrupted {
        /// The epoch.
        epoch: u64,
        /// Transfers left.
        pending: usize,
    },
}

impl ExecutorError {
    /// Whether running again (unchanged) can succeed: transient node trouble, an
    /// interruption or unconfirmed transfers; not bad inputs, conflicts or mismatches.
    pub fn is_retryable(&self) -> bool {
        match self {
            ExecutorError::Rpc { source, .. } => !luxtensor_protocol::is_final(source),
            ExecutorError::Incomplete { .. } | ExecutorError::Interrupted { .. } => true,
            _ => false,
        }
    }

    /// Whether the error is about the inputs (nothing was sent): exit code 2 in the CLI.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            ExecutorError::Plan(_)
                | ExecutorError::Conflict { .. }
                | ExecutorError::EpochTooLarge { .. }
        )
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = ExecutorError> = std::result::Result<T, E>;
