//! The crate's one error type: what went wrong, with what, and whether a retry helps.

use std::path::PathBuf;

use alloy_primitives::Address;

/// Why a tree could not be built, loaded, written or read.
///
/// Only [`TreeError::Io`] may go away on a retry (a full disk, a permission fixed); every
/// other variant is about the input and stays until the input changes.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum TreeError {
    /// A tree needs at least one leaf (OpenZeppelin's library refuses an empty tree too).
    #[error("a claims tree needs at least one leaf; none were given")]
    Empty,
    /// The same account appears twice; each account has one cumulative amount.
    #[error("account {account} appears more than once; each account has one leaf")]
    DuplicateAccount {
        /// The repeated account.
        account: Address,
    },
    /// More leaves than an array tree of `2n - 1` nodes can index on this machine.
    #[error("{count} leaves are more than an array tree can index")]
    TooManyLeaves {
        /// How many leaves were given.
        count: usize,
    },
    /// A dump (`StandardMerkleTree.dump()` format) is malformed or inconsistent.
    #[error("tree dump, {field}: {reason}")]
    Dump {
        /// Where in the dump, e.g. `values[3].treeIndex` or `tree[5]`.
        field: String,
        /// What is wrong there.
        reason: String,
    },
    /// A proof shard file is malformed or does not prove what it says.
    #[error("proof file {}: {reason}", path.display())]
    Shard {
        /// The shard file.
        path: PathBuf,
        /// What is wrong in it.
        reason: String,
    },
    /// Reading or writing a file failed (a retry may help once the cause is fixed).
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done: `read`, `write`, `create`, `rename`, `remove`, `list`.
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
}

impl TreeError {
    /// Whether trying the same thing again may succeed (only file-system failures).
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Io { .. })
    }

    pub(crate) fn dump(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Dump {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        Self::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
