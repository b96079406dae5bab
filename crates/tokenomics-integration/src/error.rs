//! The crate's error: what stopped an epoch, and whether running again can help.
//!
//! Running again is always safe (the journal and the idempotency keys make it resume),
//! so [`ExecutorError::is_retryable`] says whether it can *succeed* without a change
//! of inputs, configuration or chain state.

use std::path::PathBuf;

use rpc_resilience::RpcError;
use tokenomics_core::{Address, Amount, CoreError, Hash256};

/// Why an epoch could not be paid (yet).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExecutorError {
    /// The inputs cannot be planned (bad input: nothing was sent).
    #[error("cannot plan: {0}")]
    Plan(#[from] CoreError),
    /// `close-epoch` refused: the epoch is not one that can never complete (not opened,
    /// fully paid, still payable, or not in the journal). Nothing was sent.
    #[error("epoch {epoch} cannot be closed: {reason}")]
    CloseRefused {
        /// The epoch.
        epoch: u64,
        /// Why not.
        reason: String,
    },
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
    /// A resumed epoch would pay from another treasury than the one it was minted to.
    #[error("epoch {epoch} is journaled with treasury {journaled}, but the configuration names {configured}")]
    TreasuryChanged {
        /// The epoch.
        epoch: u64,
        /// The treasury in the journal.
        journaled: Address,
        /// The treasury configured now.
        configured: Address,
    },
    /// The treasury cannot cover the part of the epoch paid from the recycling pool
    /// (plus what unfinished epochs still owe): refused before the mint.
    #[error("epoch {epoch}: treasury {treasury} holds {available} MDT but needs {needed} MDT (recycled pool plus what unfinished epochs still owe)")]
    TreasuryShort {
        /// The epoch.
        epoch: u64,
        /// The treasury address.
        treasury: Address,
        /// What it holds.
        available: Amount,
        /// What it must hold before the mint.
        needed: Amount,
    },
    /// Another run holds the journal.
    #[error("journal {} is in use by another run (pid {})", path.display(), pid.map_or_else(|| "unknown".to_string(), |p| p.to_string()))]
    JournalInUse {
        /// The journal file.
        path: PathBuf,
        /// The process holding it, when its lock file says.
        pid: Option<u32>,
    },
    /// The journal's lock file could not be created or locked.
    #[error("journal lock {}: {source}", path.display())]
    JournalLock {
        /// The lock file.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: std::io::Error,
    },
    /// The journal was written by a newer version of this tool.
    #[error("journal schema version {found} is newer than this version reads ({supported})")]
    JournalVersion {
        /// The version in the file.
        found: i64,
        /// The newest version this build reads.
        supported: i64,
    },
    /// The journal to read does not exist (read-only opens never create one).
    #[error("journal {}: {reason}", path.display())]
    JournalMissing {
        /// The path given.
        path: PathBuf,
        /// Why it cannot be read (no such file, not a file).
        reason: &'static str,
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
    /// The thread that journals confirmations could not start or stopped abnormally
    /// (what it had committed stays; what it had not is resent under the same keys).
    #[error("journal: the confirmation writer {reason}")]
    JournalWriter {
        /// What happened to it.
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
    /// A write the plan needs has no record on chain although it was confirmed.
    #[error("epoch {epoch}: verification failed: {reason}")]
    Unverified {
        /// The epoch.
        epoch: u64,
        /// What is missing.
        reason: String,
    },
    /// Stopped on request (Ctrl-C) between batches; the journal is consistent.
    #[error("epoch {epoch}: stopped on request with {pending} transfers still to send; run again to resume")]
    Interrupted {
        /// The epoch.
        epoch: u64,
        /// Transfers left.
        pending: usize,
    },
    /// The EVM sender failed: signing, its nonce journal, the node's answer, a chain id
    /// mismatch or another chain behind the same id (both checked before anything is
    /// sent), a nonce used by someone else.
    #[error("{0}")]
    Evm(#[from] evm_sender::Error),
    /// A checked-in contract artifact cannot be read.
    #[error("contract artifact {name}: {reason}")]
    Artifact {
        /// The contract.
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// An address given for a contract holds no contract (or not that one).
    #[error("no {what} contract at {address}")]
    NoContract {
        /// Which contract (`token`, `payout`).
        what: &'static str,
        /// The address given.
        address: evm_sender::Address,
    },
    /// A contract is not owned as the EVM backend needs (the signer owns the payout
    /// contract, the payout contract owns the token); nothing was sent.
    #[error("the {what} contract {address} is owned by {owner}, not by {expected}")]
    NotOwner {
        /// Which contract (`token`, `payout`).
        what: &'static str,
        /// Its address.
        address: evm_sender::Address,
        /// Its owner on chain.
        owner: evm_sender::Address,
        /// The owner it needs.
        expected: evm_sender::Address,
    },
    /// The payout contract would not hold the epoch's total after its mint: refused
    /// before opening the epoch.
    #[error("epoch {epoch}: the payout contract {payout} holds {balance} MDT and the epoch mints {from_mint} MDT, short of the {total} MDT it pays (recycled pool included) plus {owed} MDT unfinished epochs still owe")]
    PayoutShort {
        /// The epoch.
        epoch: u64,
        /// The payout contract.
        payout: evm_sender::Address,
        /// What it holds now.
        balance: Amount,
        /// What opening the epoch mints into it.
        from_mint: Amount,
        /// What the epoch pays.
        total: Amount,
        /// What unfinished epochs still pay from it.
        owed: Amount,
    },
    /// A chunk of transfers needs more gas than `max_gas_per_tx`; nothing was sent for it.
    #[error("epoch {epoch}: chunk {chunk} ({transfers} transfers) needs {needed} gas, above max_gas_per_tx {max}; nothing was sent for it")]
    ChunkGas {
        /// The epoch.
        epoch: u64,
        /// The chunk.
        chunk: u32,
        /// Its transfers.
        transfers: usize,
        /// `eth_estimateGas`.
        needed: u64,
        /// The configured maximum.
        max: u64,
    },
    /// A transaction of the epoch (its opening, a chunk) reverts: refused by
    /// `eth_estimateGas` before sending, or mined with status 0. The epoch stops.
    #[error("epoch {epoch}: {what} {}: {reason}", tx_hash.map_or_else(|| "would revert (not sent)".to_string(), |h| format!("reverted in tx {h}")))]
    EvmReverted {
        /// The epoch.
        epoch: u64,
        /// Which transaction (`open`, `chunk 3`).
        what: String,
        /// The mined transaction, `None` when it was refused before sending.
        tx_hash: Option<evm_sender::B256>,
        /// The decoded revert reason, or what is known of it.
        reason: String,
    },
}

impl ExecutorError {
    /// The epoch the error is about, when its message names it (`epoch 7 …`): a caller
    /// adds the epoch to the other errors' messages without reading their text.
    pub fn epoch(&self) -> Option<u64> {
        match self {
            ExecutorError::CloseRefused { epoch, .. }
            | ExecutorError::Conflict { epoch, .. }
            | ExecutorError::ChainConflict { epoch, .. }
            | ExecutorError::TreasuryChanged { epoch, .. }
            | ExecutorError::TreasuryShort { epoch, .. }
            | ExecutorError::EpochTooLarge { epoch }
            | ExecutorError::Incomplete { epoch, .. }
            | ExecutorError::Mismatch { epoch, .. }
            | ExecutorError::Unverified { epoch, .. }
            | ExecutorError::Interrupted { epoch, .. }
            | ExecutorError::PayoutShort { epoch, .. }
            | ExecutorError::ChunkGas { epoch, .. }
            | ExecutorError::EvmReverted { epoch, .. } => Some(*epoch),
            _ => None,
        }
    }

    /// Whether running again (unchanged) can succeed: transient node trouble, an
    /// interruption or unconfirmed transfers; not bad inputs, conflicts or mismatches.
    pub fn is_retryable(&self) -> bool {
        match self {
            ExecutorError::Rpc { source, .. } => !luxtensor_protocol::is_final(source),
            ExecutorError::Incomplete { .. } | ExecutorError::Interrupted { .. } => true,
            ExecutorError::Evm(source) => source.is_retryable(),
            _ => false,
        }
    }

    /// Whether the error is about the inputs (nothing was sent): exit code 2 in the CLI.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            ExecutorError::Plan(_)
                | ExecutorError::CloseRefused { .. }
                | ExecutorError::Conflict { .. }
                | ExecutorError::ChainConflict { .. }
                | ExecutorError::TreasuryChanged { .. }
                | ExecutorError::TreasuryShort { .. }
                | ExecutorError::EpochTooLarge { .. }
                | ExecutorError::JournalVersion { .. }
                | ExecutorError::JournalMissing { .. }
                | ExecutorError::JournalCorrupt { .. }
                | ExecutorError::Artifact { .. }
                | ExecutorError::NoContract { .. }
                | ExecutorError::NotOwner { .. }
                | ExecutorError::PayoutShort { .. }
                | ExecutorError::ChunkGas { .. }
                | ExecutorError::Evm(
                    evm_sender::Error::ChainIdMismatch { .. }
                        | evm_sender::Error::OtherChain { .. }
                        | evm_sender::Error::InvalidKey { .. }
                        | evm_sender::Error::KeyFile { .. }
                        | evm_sender::Error::KeyFileMode { .. }
                        | evm_sender::Error::InvalidConfig { .. }
                        | evm_sender::Error::JournalUnusable { .. }
                )
        )
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = ExecutorError> = std::result::Result<T, E>;

impl From<pid_lock::LockError> for ExecutorError {
    /// The journal's lock: held by another run, or not takeable.
    fn from(error: pid_lock::LockError) -> ExecutorError {
        match error {
            pid_lock::LockError::InUse { path, pid, .. } => {
                ExecutorError::JournalInUse { path, pid }
            }
            pid_lock::LockError::Io {
                lock_file, source, ..
            } => ExecutorError::JournalLock {
                path: lock_file,
                source,
            },
            // `LockError` is non-exhaustive: a kind added later is still a lock failure.
            other => ExecutorError::JournalLock {
                path: std::path::PathBuf::new(),
                source: std::io::Error::other(other.to_string()),
            },
        }
    }
}
