//! The crate's one error type, [`DevnetError`], and its JSON-RPC error codes.
//!
//! Every failure the node can meet (a bad parameter, a ledger rule, storage, binding
//! the socket) is one variant, so the RPC layer maps them to the wire codes of
//! docs/SPEC.md in one place and callers can ask whether a retry may help.

use std::net::SocketAddr;
use std::path::PathBuf;

use jsonrpsee::types::{ErrorObject, ErrorObjectOwned};

pub use luxtensor_protocol::code::{
    IDEMPOTENCY_CONFLICT, INSUFFICIENT_BALANCE, INTERNAL_ERROR, INVALID_PARAMS,
    MAX_SUPPLY_EXCEEDED, RATE_LIMITED, UNAUTHORIZED,
};

/// What went wrong in the devnet, with the values that explain it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DevnetError {
    /// A request parameter is missing or malformed.
    #[error("invalid {field}: {reason}")]
    InvalidParam {
        /// The parameter's name in method table of docs/SPEC.md.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A transfer asks for more than the sender holds.
    #[error("insufficient balance: {address} holds {balance} base units, transfer needs {amount}")]
    InsufficientBalance {
        /// The sender.
        address: String,
        /// What it holds.
        balance: u128,
        /// What the transfer needs.
        amount: u128,
    },
    /// A mint would take the total supply past the max supply.
    #[error("max supply exceeded: total supply {total_supply} + mint {amount} > max supply {max_supply}")]
    MaxSupplyExceeded {
        /// Supply before the mint.
        total_supply: u128,
        /// The mint's amount.
        amount: u128,
        /// The ledger's cap.
        max_supply: u128,
    },
    /// The idempotency key was used before with different params.
    #[error(
        "idempotency conflict: key {} was used with different params",
        crate::codec::excerpt(key)
    )]
    IdempotencyConflict {
        /// The replayed key.
        key: String,
    },
    /// A mutating method came without the right bearer token.
    #[error("unauthorized: mutating methods need `Authorization: Bearer <token>`")]
    Unauthorized,
    /// The node asks the caller to come back later.
    #[error("rate limited: retry after {retry_after_ms} ms")]
    RateLimited {
        /// How long to wait before retrying.
        retry_after_ms: u64,
    },
    /// SQLite failed.
    #[error("storage error while {context}: {source}")]
    Storage {
        /// What the ledger was doing.
        context: &'static str,
        /// SQLite's error.
        #[source]
        source: rusqlite::Error,
    },
    /// A write failed half-way inside a batch, so the whole batch was rolled back.
    #[error("batch rolled back: {0}")]
    BatchRolledBack(String),
    /// The ledger holds a value this version cannot read (e.g. a corrupt amount).
    #[error("corrupt ledger: {0}")]
    CorruptLedger(String),
    /// Another devnet (this process or another) holds the ledger file's lock.
    #[error(
        "ledger {} is in use by another devnet ({}); it holds {}",
        ledger.display(),
        holder(*pid),
        lock_file.display()
    )]
    LedgerInUse {
        /// The ledger's database file.
        ledger: PathBuf,
        /// The lock file next to it (`<ledger>.lock`).
        lock_file: PathBuf,
        /// The holder's pid as written in the lock file, when readable.
        pid: Option<u32>,
    },
    /// The ledger's lock file could not be created, locked or written.
    #[error("cannot lock the ledger with {}: {source}", lock_file.display())]
    LockFile {
        /// The lock file next to the ledger.
        lock_file: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The ledger already holds more than the configured max supply.
    #[error(
        "ledger total supply {} MDT is above the max supply {} MDT",
        crate::codec::format_mdt(*total_supply),
        crate::codec::format_mdt(*max_supply)
    )]
    SupplyAboveCap {
        /// Total supply found in the ledger, in base units.
        total_supply: u128,
        /// The configured cap, in base units.
        max_supply: u128,
    },
    /// The bearer token can never authenticate (empty, whitespace, control or
    /// non-ASCII characters); the token itself is never shown.
    #[error("invalid devnet token: {reason}")]
    InvalidToken {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The configuration is unusable (e.g. a non-loopback address).
    #[error("invalid devnet config: {0}")]
    InvalidConfig(String),
    /// The listening socket could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}

impl DevnetError {
    /// Whether the same call may succeed if tried again later.
    pub fn is_retryable(&self) -> bool {
        match self {
            DevnetError::RateLimited { .. } => true,
            DevnetError::Storage { source, .. } => matches!(
                source.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            ),
            _ => false,
        }
    }

    /// The JSON-RPC error code this error is sent with.
    pub fn rpc_code(&self) -> i32 {
        match self {
            DevnetError::InvalidParam { .. } => INVALID_PARAMS,
            DevnetError::InsufficientBalance { .. } => INSUFFICIENT_BALANCE,
            DevnetError::MaxSupplyExceeded { .. } => MAX_SUPPLY_EXCEEDED,
            DevnetError::IdempotencyConflict { .. } => IDEMPOTENCY_CONFLICT,
            DevnetError::Unauthorized => UNAUTHORIZED,
            DevnetError::RateLimited { .. } => RATE_LIMITED,
            _ => INTERNAL_ERROR,
        }
    }

    /// The JSON-RPC error object sent for this error.
    pub fn to_rpc_error(&self) -> ErrorObjectOwned {
        match self {
            DevnetError::RateLimited { retry_after_ms } => ErrorObject::owned(
                RATE_LIMITED,
                self.to_string(),
                Some(serde_json::json!({ "retry_after_ms": retry_after_ms })),
            ),
            _ => ErrorObject::owned(self.rpc_code(), self.to_string(), None::<()>),
        }
    }

    /// Shorthand for an [`DevnetError::InvalidParam`].
    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        DevnetError::InvalidParam {
            field,
            reason: reason.into(),
        }
    }

    /// Shorthand for a [`DevnetError::Storage`] builder, for `map_err`.
    pub(crate) fn storage(context: &'static str) -> impl FnOnce(rusqlite::Error) -> Self {
        move |source| DevnetError::Storage { context, source }
    }
}

/// Who holds a ledger's lock, for [`DevnetError::LedgerInUse`]'s message.
fn holder(pid: Option<u32>) -> String {
    pid.map_or_else(|| "pid unknown".to_owned(), |pid| format!("pid {pid}"))
}

impl From<pid_lock::LockError> for DevnetError {
    /// The ledger's lock: held by another devnet, or not takeable.
    fn from(error: pid_lock::LockError) -> DevnetError {
        match error {
            pid_lock::LockError::InUse {
                path,
                lock_file,
                pid,
            } => DevnetError::LedgerInUse {
                ledger: path,
                lock_file,
                pid,
            },
            pid_lock::LockError::Io {
                lock_file, source, ..
            } => DevnetError::LockFile { lock_file, source },
            // `LockError` is non-exhaustive: a kind added later is still a lock failure.
            other => DevnetError::LockFile {
                lock_file: std::path::PathBuf::new(),
                source: std::io::Error::other(other.to_string()),
            },
        }
    }
}
