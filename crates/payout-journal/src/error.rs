//! The journal's error: what could not be read or written, and whether it is the file
//! given (bad input) or the machine (a failure while running).

use std::path::PathBuf;

/// Why the journal could not be opened, read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JournalError {
    /// Another run holds the journal.
    #[error("journal {} is in use by another run (pid {})", path.display(), pid.map_or_else(|| "unknown".to_string(), |p| p.to_string()))]
    InUse {
        /// The journal file.
        path: PathBuf,
        /// The process holding it, when its lock file says.
        pid: Option<u32>,
    },
    /// The journal's lock file could not be created or locked.
    #[error("journal lock {}: {source}", path.display())]
    Lock {
        /// The lock file.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: std::io::Error,
    },
    /// The journal was written by a newer version of this tool.
    #[error("journal schema version {found} is newer than this version reads ({supported})")]
    Version {
        /// The version in the file.
        found: i64,
        /// The newest version this build reads.
        supported: i64,
    },
    /// The journal to read does not exist (read-only opens never create one).
    #[error("journal {}: {reason}", path.display())]
    Missing {
        /// The path given.
        path: PathBuf,
        /// Why it cannot be read (no such file, not a file).
        reason: &'static str,
    },
    /// The journal database failed.
    #[error("journal: {0}")]
    Database(#[from] rusqlite::Error),
    /// The journal holds something this version cannot read (or is not a journal).
    #[error("journal is corrupt: {reason}")]
    Corrupt {
        /// What could not be read.
        reason: String,
    },
    /// The thread that journals confirmations could not start or stopped abnormally
    /// (what it had committed stays; what it had not is resent under the same keys).
    #[error("journal: the confirmation writer {reason}")]
    Writer {
        /// What happened to it.
        reason: String,
    },
    /// Epoch numbers are stored as SQLite integers.
    #[error("epoch {epoch} is too large for the journal (at most 2^63 - 1)")]
    EpochTooLarge {
        /// The epoch.
        epoch: u64,
    },
}

impl JournalError {
    /// Whether the journal given is the problem (a newer, missing, corrupt or foreign
    /// file, an epoch it cannot store): exit code 2 in the CLI. Nothing was sent.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            JournalError::Version { .. }
                | JournalError::Missing { .. }
                | JournalError::Corrupt { .. }
                | JournalError::EpochTooLarge { .. }
        )
    }

    /// Whether running again unchanged can succeed: another run held the journal.
    pub fn is_retryable(&self) -> bool {
        matches!(self, JournalError::InUse { .. })
    }

    /// The epoch the error names, if any.
    pub fn epoch(&self) -> Option<u64> {
        match self {
            JournalError::EpochTooLarge { epoch } => Some(*epoch),
            _ => None,
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = JournalError> = std::result::Result<T, E>;

impl From<tokenomics_core::CoreError> for JournalError {
    /// Journaled amounts whose sums overflow cannot come from valid plans.
    fn from(error: tokenomics_core::CoreError) -> JournalError {
        JournalError::Corrupt {
            reason: error.to_string(),
        }
    }
}

impl From<pid_lock::LockError> for JournalError {
    /// The journal's lock: held by another run, or not takeable.
    fn from(error: pid_lock::LockError) -> JournalError {
        match error {
            pid_lock::LockError::InUse { path, pid, .. } => JournalError::InUse { path, pid },
            pid_lock::LockError::Io {
                lock_file, source, ..
            } => JournalError::Lock {
                path: lock_file,
                source,
            },
            // `LockError` is non-exhaustive: a kind added later is still a lock failure.
            other => JournalError::Lock {
                path: PathBuf::new(),
                source: std::io::Error::other(other.to_string()),
            },
        }
    }
}
