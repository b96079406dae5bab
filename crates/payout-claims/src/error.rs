//! The claims backend's error: the sender's, the contract's answers and refusals, and the
//! refusals of a cumulative table the chain does not prove.

use payout_executor::{BackendError, BackendFailure, ExecutorError};

/// Why the claims backend could not do what an epoch (or a claim) needs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClaimsError {
    /// The EVM sender failed (signing, its nonce journal, the node, the chain id).
    #[error("{0}")]
    Sender(#[from] evm_sender::Error),
    /// The node answered with something the contract's ABI does not allow.
    #[error("{call}: malformed answer: {reason}")]
    Malformed {
        /// Which call.
        call: &'static str,
        /// What was wrong with it.
        reason: String,
    },
    /// `openClaims` or `claim` reverts: refused before sending, or mined with status 0.
    #[error("epoch {epoch}: {what} {}: {reason}", tx_hash.map_or_else(|| "would revert (not sent)".to_string(), |h| format!("reverted in tx {h}")))]
    Reverted {
        /// The epoch (the current root's, for a claim).
        epoch: u64,
        /// Which transaction (`openClaims`, `claim`).
        what: &'static str,
        /// The mined transaction, `None` when refused before sending.
        tx_hash: Option<evm_sender::B256>,
        /// The decoded revert reason, or what is known of it.
        reason: String,
    },
    /// The payout contract would not hold what every root promises and was not claimed
    /// (plus what unfinished push epochs still pay): nothing was sent.
    #[error("epoch {epoch}: the payout contract holds {balance} base units after the mint of {from_mint}, short of {needed} (claims outstanding after this epoch, plus what unfinished epochs still pay); nothing was sent")]
    Underfunded {
        /// The epoch.
        epoch: u64,
        /// The contract's token balance now.
        balance: u128,
        /// What the epoch mints.
        from_mint: u128,
        /// What it must hold after the mint.
        needed: u128,
    },
    /// The contract holds a claims epoch this run has neither in its journal nor among
    /// the inputs given for rebuilding: no root can be proved past it. Nothing was sent.
    #[error("claims epoch {epoch} is on chain but neither in the journal nor in the claims history given (`--claims-history DIR`, the inputs of every earlier claims epoch); nothing was sent")]
    HistoryMissing {
        /// The first such epoch.
        epoch: u64,
    },
    /// A claims epoch rebuilt from its inputs plans another plan than the contract records.
    #[error("claims epoch {epoch}: the inputs given plan {rebuilt}, the payout contract records plan {recorded}; nothing was sent")]
    HistoryPlanMismatch {
        /// The epoch.
        epoch: u64,
        /// The plan hash rebuilt.
        rebuilt: String,
        /// The plan hash on chain.
        recorded: String,
    },
    /// The cumulative table (journaled or rebuilt) gives another root than the contract's
    /// current one for the same epoch. Nothing was sent.
    #[error("claims epoch {epoch}: the cumulative table gives root {rebuilt}, the payout contract's current root is {recorded}; nothing was sent")]
    RootMismatch {
        /// The current root's epoch.
        epoch: u64,
        /// The root of the table.
        rebuilt: String,
        /// The root on chain.
        recorded: String,
    },
    /// The contract's current root is of this epoch or a later one, and this epoch is not
    /// open on chain: roots only advance, so it can never be opened. Nothing was sent.
    #[error("epoch {epoch}: the payout contract's current root is of epoch {current}; claims epochs must come in epoch order, so this one can no longer be opened; nothing was sent")]
    EpochNotLater {
        /// The epoch.
        epoch: u64,
        /// The current root's epoch.
        current: u64,
    },
    /// The Merkle tree could not be built, written or read.
    #[error("claims tree: {0}")]
    Tree(String),
    /// Every operation id of `openClaims` had its nonce used without the contract
    /// showing the epoch open.
    #[error("epoch {epoch}: openClaims: {attempts} transactions used their nonces and the payout contract shows none of them done")]
    NotShown {
        /// The epoch.
        epoch: u64,
        /// How many were sent.
        attempts: u32,
    },
}

impl BackendFailure for ClaimsError {
    fn is_retryable(&self) -> bool {
        match self {
            ClaimsError::Sender(source) => source.is_retryable(),
            _ => false,
        }
    }

    /// The funds, the history or the chain given must change: nothing was sent.
    fn is_bad_input(&self) -> bool {
        matches!(
            self,
            ClaimsError::Underfunded { .. }
                | ClaimsError::HistoryMissing { .. }
                | ClaimsError::HistoryPlanMismatch { .. }
                | ClaimsError::RootMismatch { .. }
                | ClaimsError::EpochNotLater { .. }
        ) || matches!(self, ClaimsError::Sender(sender) if sender.is_bad_setup())
    }

    fn epoch(&self) -> Option<u64> {
        match self {
            ClaimsError::Reverted { epoch, .. }
            | ClaimsError::Underfunded { epoch, .. }
            | ClaimsError::HistoryMissing { epoch }
            | ClaimsError::HistoryPlanMismatch { epoch, .. }
            | ClaimsError::RootMismatch { epoch, .. }
            | ClaimsError::EpochNotLater { epoch, .. }
            | ClaimsError::NotShown { epoch, .. } => Some(*epoch),
            _ => None,
        }
    }
}

impl From<ClaimsError> for ExecutorError {
    fn from(error: ClaimsError) -> ExecutorError {
        ExecutorError::Backend(BackendError::new(error))
    }
}

/// The sender's errors reach the executor as this backend's.
pub(crate) fn sender(error: evm_sender::Error) -> ExecutorError {
    ClaimsError::Sender(error).into()
}
