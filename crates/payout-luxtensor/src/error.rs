//! The Luxtensor backend's error: a node call that failed, an answer that is not the
//! protocol's, a transfer the node refused for good.

use payout_executor::{BackendError, BackendFailure, ExecutorError};
use rpc_resilience::RpcError;

/// Why the Luxtensor node could not do what an epoch needs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LuxtensorError {
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
}

impl BackendFailure for LuxtensorError {
    /// A call the protocol does not call final (a timeout, a rate limit, an open
    /// breaker) can succeed later; a malformed answer or a refused transfer cannot.
    fn is_retryable(&self) -> bool {
        match self {
            LuxtensorError::Rpc { source, .. } => !luxtensor_protocol::is_final(source),
            LuxtensorError::Malformed { .. } | LuxtensorError::TransferRefused { .. } => false,
        }
    }

    /// The node's trouble, never the inputs': the inputs were checked before planning.
    fn is_bad_input(&self) -> bool {
        false
    }
}

impl From<LuxtensorError> for ExecutorError {
    fn from(error: LuxtensorError) -> ExecutorError {
        ExecutorError::Backend(BackendError::new(error))
    }
}
