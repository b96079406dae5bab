//! The crate's one error type, [`Error`]: what went wrong, with what, and whether a retry can help.
//!
//! No variant carries key material: key errors name the file or the rule broken, never the key.

use std::path::PathBuf;

use alloy_primitives::B256;
use rpc_resilience::RpcError;

/// Everything that can go wrong while signing, journaling, sending or confirming.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The key text is not one line of `0x` + 64 hex digits, or not a valid secp256k1 key.
    #[error("invalid signing key: {reason}")]
    InvalidKey {
        /// The rule the key broke (never the key itself).
        reason: &'static str,
    },
    /// The key file could not be read.
    #[error("key file {}: {reason}", path.display())]
    KeyFile {
        /// The file.
        path: PathBuf,
        /// What the system said.
        reason: String,
    },
    /// The key file is readable or writable by group or others (`mode & 0o077 != 0`).
    #[error("key file {} has mode {mode:o}: it must not be accessible by group or others (chmod 600)", path.display())]
    KeyFileMode {
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// A configuration value is out of range.
    #[error("invalid config `{field}`: {reason}")]
    InvalidConfig {
        /// The field.
        field: &'static str,
        /// Why.
        reason: String,
    },
    /// The node's `eth_chainId` is not the configured chain id; nothing was sent.
    #[error("chain id mismatch: configured {expected}, the node says {actual}")]
    ChainIdMismatch {
        /// The configured chain id.
        expected: u64,
        /// The node's.
        actual: u64,
    },
    /// The journal belongs to another chain or another sender, or the chain is behind it.
    #[error(
        "journal mismatch on {field}: journal has {journal}, the chain or config says {actual}"
    )]
    JournalMismatch {
        /// What differs (`chain_id`, `sender`, `nonce`).
        field: &'static str,
        /// The journal's value.
        journal: String,
        /// The other value.
        actual: String,
    },
    /// The node serves another chain than the one the journal was written on: the same
    /// chain id, but another block 0 (a node restarted empty at the same URL, another
    /// network). Checked at open, before anything is sent; a node whose block 0 has no hash
    /// (all zeros, or none) gives no identity and is not checked.
    #[error("nonce journal {}: written on another chain with the same chain id (its block 0 is {journal}, this node's is {actual}), e.g. a node restarted empty; nothing was sent: use the node it was written on, or another journal for this chain", path.display())]
    OtherChain {
        /// The journal file.
        path: PathBuf,
        /// Block 0's hash recorded in the journal.
        journal: String,
        /// Block 0's hash on this node.
        actual: String,
    },
    /// The nonce of a journaled operation was taken by a transaction the journal does not know
    /// (signed with the key elsewhere: another nonce journal, or another program), so that
    /// operation can never be mined and was not done. Nothing is re-issued: the journal
    /// records it, and later opens and submits refuse while the operation is pending with no
    /// receipt of ours.
    #[error("operation {op_id} can never be mined: its nonce {nonce} was taken by a transaction this nonce journal does not know (the account's nonce is now {chain_nonce}); the operation was not done and nothing was re-sent")]
    ForeignNonce {
        /// The operation whose nonce was taken.
        op_id: String,
        /// Its nonce.
        nonce: u64,
        /// The account's nonce on chain.
        chain_nonce: u64,
    },
    /// Confirming by block hash ([`ConfirmBy::BlockHash`](crate::ConfirmBy)) on a node that
    /// answers a zero hash for the canonical block holding a receipt: its hashes can confirm
    /// nothing. Nothing is recorded; confirm by depth ([`ConfirmBy::Depth`](crate::ConfirmBy))
    /// on such a node, or decide by what the transaction did.
    #[error("operation {op_id}: the node answers a zero hash for block {block_number}, so block hashes cannot confirm it; confirm by depth on this node")]
    NoBlockHash {
        /// The operation.
        op_id: String,
        /// The block its receipt names.
        block_number: u64,
    },
    /// The node's pool holds transactions of the account past every nonce this journal knows
    /// (sent with a deleted or another nonce journal, or by another program with the key).
    /// Nothing was sent: a new nonce would collide with them. Once they are mined (the
    /// account's pending nonce equals its latest), running again carries on.
    #[error("the account {account} has {} pending transaction(s) this nonce journal does not know (nonces {from} to {}: sent with a deleted or another nonce journal, or by another program with this key); nothing was sent: wait until they are mined, then run again", to - from, to - 1)]
    UnknownPending {
        /// The sending account.
        account: alloy_primitives::Address,
        /// The first unknown nonce.
        from: u64,
        /// The account's pending nonce (one past the last unknown).
        to: u64,
    },
    /// The same op id was submitted with another transaction than the journaled one.
    #[error("operation {op_id} is journaled with another transaction")]
    OpConflict {
        /// The operation.
        op_id: String,
    },
    /// No operation with this id is journaled.
    #[error("unknown operation {op_id}")]
    UnknownOp {
        /// The operation.
        op_id: String,
    },
    /// `eth_estimateGas` (or, for an estimate below the intrinsic gas, which some nodes give
    /// instead of a revert, `eth_call`) says the transaction would fail; nothing was
    /// journaled or sent.
    #[error("operation {op_id} would revert: {reason}")]
    WouldRevert {
        /// The operation.
        op_id: String,
        /// The decoded revert reason, or the node's message.
        reason: String,
    },
    /// A view that must return data answered nothing (`"0x"`): it reverted (some nodes
    /// answer a revert this way), or `to` has no code or no such function. Retrying the same
    /// call cannot help.
    #[error("the call of {to} at block {} returned no data: it reverted, or {to} has no such view (no contract there?)", block.map_or_else(|| "latest".to_string(), |b| b.to_string()))]
    NoReturnData {
        /// The called address.
        to: alloy_primitives::Address,
        /// The block it was called at (`None`: the latest).
        block: Option<u64>,
    },
    /// The gas estimate (with its margin) is above the configured maximum; nothing was sent.
    #[error("operation {op_id} needs {needed} gas, above the maximum {max}")]
    GasAboveMax {
        /// The operation.
        op_id: String,
        /// The estimate.
        needed: u64,
        /// The configured maximum.
        max: u64,
    },
    /// The operation's gas limit is above the block gas limit (the node's latest block's
    /// `gasLimit`, else the configured one): it could never be mined. Nothing was journaled
    /// or sent; retrying cannot help.
    #[error("operation {op_id} needs a gas limit of {gas_limit}, above the block gas limit {block_gas_limit}: it could never be mined; nothing was sent")]
    GasAboveBlock {
        /// The operation.
        op_id: String,
        /// Its gas limit.
        gas_limit: u64,
        /// The block gas limit.
        block_gas_limit: u64,
    },
    /// This sender's transactions still unmined left no room for a new operation within
    /// `confirm_timeout` (`max_pending` transactions, or their gas limits together at the
    /// block gas limit). Nothing was journaled or sent for it; running again once they are
    /// mined carries on.
    #[error("operation {op_id} was not sent: {pending} transaction(s) of this sender ({gas_in_flight} gas) are still unmined after {waited_ms} ms (at most {max_pending} pending and {block_gas_limit} gas in flight); nothing was journaled for it: run again once they are mined")]
    NoRoom {
        /// The operation waiting for room.
        op_id: String,
        /// This sender's unmined transactions.
        pending: u64,
        /// The sum of their gas limits.
        gas_in_flight: u64,
        /// The configured `max_pending`.
        max_pending: u32,
        /// The block gas limit in force.
        block_gas_limit: u64,
        /// How long it waited.
        waited_ms: u64,
    },
    /// The transaction was mined in a canonical block with status 0.
    #[error(
        "operation {op_id} reverted: tx {tx_hash} in block {block_number}, gas used {gas_used}"
    )]
    Reverted {
        /// The operation.
        op_id: String,
        /// The mined transaction.
        tx_hash: B256,
        /// Its block.
        block_number: u64,
        /// Gas it used.
        gas_used: u64,
    },
    /// The node refused the signed transaction for a reason other than "already known" or
    /// "nonce too low" (e.g. insufficient funds). It stays journaled; the same bytes can be
    /// sent again once the cause is fixed.
    #[error("operation {op_id}: the node refused tx {tx_hash}: {message}")]
    Rejected {
        /// The operation.
        op_id: String,
        /// The refused transaction.
        tx_hash: B256,
        /// The node's message.
        message: String,
    },
    /// Waiting for a confirmation took longer than the configured limit.
    #[error("operation {op_id} not confirmed after {waited_ms} ms")]
    ConfirmTimeout {
        /// The operation.
        op_id: String,
        /// How long it waited.
        waited_ms: u64,
    },
    /// The node's answer could not be understood.
    #[error("malformed answer to {method}: {reason}")]
    Malformed {
        /// The JSON-RPC method.
        method: &'static str,
        /// What was wrong.
        reason: String,
    },
    /// No anvil binary in any place `anvil::find` looked at (the message names
    /// them and how to install anvil).
    #[error(transparent)]
    AnvilNotFound(#[from] crate::anvil::NotFound),
    /// Anvil did not start, or did not print its address in time.
    #[error("anvil did not start: {reason}")]
    AnvilStart {
        /// Why, with the first line anvil wrote on stderr.
        reason: String,
    },
    /// A JSON-RPC call failed (after the client's own retries).
    #[error(transparent)]
    Rpc(#[from] RpcError),
    /// The file given as the nonce journal cannot be one: not a SQLite database (or a damaged
    /// one), another program's database, or a journal of a newer version. Nothing was sent
    /// and the file was not changed; running again does not help.
    #[error("nonce journal {}: {reason}", path.display())]
    JournalUnusable {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The SQLite journal failed.
    #[error("journal: {0}")]
    Journal(#[from] rusqlite::Error),
    /// Another process holds the journal (two senders on one journal would hand out the
    /// same nonces), or its lock file could not be taken.
    #[error("journal: {0}")]
    JournalLock(#[from] pid_lock::LockError),
}

impl Error {
    /// Whether trying the same call again (later) can help.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Rpc(error) => error.is_retryable(),
            Self::ConfirmTimeout { .. }
            | Self::Malformed { .. }
            | Self::UnknownPending { .. }
            | Self::NoRoom { .. } => true,
            Self::JournalLock(error) => error.is_retryable(),
            Self::Journal(rusqlite::Error::SqliteFailure(code, _)) => matches!(
                code.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ),
            _ => false,
        }
    }

    /// Whether what the sender was given is wrong (the key or its file, the chain or its
    /// id, the configuration, the journal): it was refused before anything was sent, and
    /// only a change of that input helps.
    pub fn is_bad_setup(&self) -> bool {
        matches!(
            self,
            Self::ChainIdMismatch { .. }
                | Self::OtherChain { .. }
                | Self::InvalidKey { .. }
                | Self::KeyFile { .. }
                | Self::KeyFileMode { .. }
                | Self::InvalidConfig { .. }
                | Self::JournalUnusable { .. }
        )
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
