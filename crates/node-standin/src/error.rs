//! [`StandInError`]: the one error of the crate.

/// What went wrong starting the stand-in or talking to the node behind it.
#[derive(Debug, thiserror::Error)]
pub enum StandInError {
    /// Anvil could not be found or started (not retryable: install it, `npm ci --prefix
    /// contracts`).
    #[error("anvil: {0}")]
    Anvil(#[from] evm_sender::Error),
    /// The stand-in's listening socket on 127.0.0.1 could not be opened (retryable).
    #[error("cannot listen on 127.0.0.1: {0}")]
    Bind(std::io::Error),
    /// The node's URL is not `http://HOST:PORT[/PATH]` (not retryable).
    #[error("node URL {url:?}: {reason}")]
    NodeUrl {
        /// The URL given.
        url: String,
        /// Why it cannot be used.
        reason: &'static str,
    },
    /// The node behind the stand-in did not answer (connection, HTTP or body; retryable).
    #[error("node behind the stand-in at {url}: {reason}")]
    Node {
        /// The node's URL.
        url: String,
        /// What failed.
        reason: String,
    },
    /// The node answered a call of the stand-in's own with a JSON-RPC error or a malformed
    /// answer (not retryable as is).
    #[error("node behind the stand-in answered {method}: {answer}")]
    NodeAnswer {
        /// The method the stand-in called.
        method: &'static str,
        /// The error or the answer, as JSON text.
        answer: String,
    },
}

impl StandInError {
    /// Whether trying again may help.
    pub fn is_retryable(&self) -> bool {
        matches!(self, StandInError::Bind(_) | StandInError::Node { .. })
    }
}
