//! The EVM backend's error: the sender's (signing, nonce journal, node), the contracts'
//! (artifacts, addresses, owners), and the transactions the chain refuses.

use payout_executor::{BackendError, BackendFailure, ExecutorError};

/// Why the EVM backend could not do what an epoch needs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvmError {
    /// The EVM sender failed: signing, its nonce journal, the node's answer, a chain id
    /// mismatch or another chain behind the same id (both checked before anything is
    /// sent), a nonce used by someone else.
    #[error("{0}")]
    Sender(#[from] evm_sender::Error),
    /// The node answered with something that is not what the contract's ABI says.
    #[error("{call}: malformed answer: {reason}")]
    Malformed {
        /// Which call.
        call: &'static str,
        /// What was wrong with it.
        reason: String,
    },
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
    /// A contract is not owned as the backend needs (the signer owns the payout
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
    Reverted {
        /// The epoch.
        epoch: u64,
        /// Which transaction (`open`, `chunk 3`).
        what: String,
        /// The mined transaction, `None` when it was refused before sending.
        tx_hash: Option<evm_sender::B256>,
        /// The decoded revert reason, or what is known of it.
        reason: String,
    },
    /// Every operation id of a transaction of the epoch (`<id>`, `<id>:retry<n>`) had its
    /// nonce used while the payout contract, read past those blocks, does not show it done
    /// (the node leaves transactions out of blocks, or another account's transactions take
    /// the contract's state elsewhere). A later run tries again only after the cause is
    /// found: its ids are used up.
    #[error("epoch {epoch}: {what}: {attempts} transactions used their nonces and the payout contract shows none of them done")]
    NotShown {
        /// The epoch.
        epoch: u64,
        /// Which transaction (`open`, `chunk 3`).
        what: String,
        /// How many were sent.
        attempts: u32,
    },
    /// Every operation id of a deployment step (`deploy:token`, `deploy:payout`,
    /// `deploy:ownership`, and their `:retry<n>` ids) had its nonce used while the chain,
    /// read past those blocks, does not show it done (no contract at the address, the token
    /// not owned by the payout contract).
    #[error(
        "{what}: {attempts} transactions used their nonces and the chain shows none of them done"
    )]
    NotDeployed {
        /// The deployment step.
        what: &'static str,
        /// How many were sent.
        attempts: u32,
    },
}

impl BackendFailure for EvmError {
    /// The sender's transient trouble (the node, a timeout) only.
    fn is_retryable(&self) -> bool {
        match self {
            EvmError::Sender(source) => source.is_retryable(),
            _ => false,
        }
    }

    /// The configuration or the chain given: the contracts, the key, the chain id, the
    /// sender's journal, a chunk too big for the gas cap. Nothing was sent.
    fn is_bad_input(&self) -> bool {
        matches!(
            self,
            EvmError::Artifact { .. }
                | EvmError::NoContract { .. }
                | EvmError::NotOwner { .. }
                | EvmError::ChunkGas { .. }
        ) || matches!(self, EvmError::Sender(sender) if sender.is_bad_setup())
    }

    fn epoch(&self) -> Option<u64> {
        match self {
            EvmError::ChunkGas { epoch, .. }
            | EvmError::Reverted { epoch, .. }
            | EvmError::NotShown { epoch, .. } => Some(*epoch),
            _ => None,
        }
    }
}

impl From<EvmError> for ExecutorError {
    fn from(error: EvmError) -> ExecutorError {
        ExecutorError::Backend(BackendError::new(error))
    }
}

/// The sender's errors reach the executor as the backend's.
pub(crate) fn sender(error: evm_sender::Error) -> ExecutorError {
    EvmError::Sender(error).into()
}
