//! The crate's one error type, [`RpcError`]: what went wrong, with what, and whether a retry can help.
//!
//! Every part of the stack (transport, retry, breaker, budget, deadline) reports through it so a
//! caller matches on one enum, and the retry classifier decides from it alone.

use std::time::Duration;

/// The JSON-RPC 2.0 codes that mean "your request is wrong": resending it cannot help.
///
/// -32700 parse error, -32600 invalid request, -32601 method not found, -32602 invalid params.
/// Codes a server defines itself (-32000..-32099) mean nothing here: a caller names its final
/// and rate-limit codes with a [`crate::CodeClassifier`] or its own [`crate::RetryClassifier`].
pub const STANDARD_FINAL_CODES: &[i32] = &[-32700, -32600, -32601, -32602];

/// Everything that can go wrong on a call through this crate.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RpcError {
    /// No connection could be made: the request was never sent, so any call may be retried.
    #[error("could not connect to {endpoint}: {reason}")]
    Connect {
        /// The endpoint (URL without credentials).
        endpoint: String,
        /// What the connector said.
        reason: String,
    },
    /// One attempt took longer than its timeout; the request may have reached the server.
    #[error("attempt timed out after {after:?}")]
    Timeout {
        /// The per-attempt timeout that elapsed.
        after: Duration,
    },
    /// The connection failed after the request may have been sent (reset, closed mid-answer).
    #[error("transport failed after the request may have been sent: {reason}")]
    Transport {
        /// What the transport said.
        reason: String,
    },
    /// The server answered with an HTTP status other than 200 (e.g. a proxy's 502 page).
    #[error("HTTP status {status}")]
    HttpStatus {
        /// The HTTP status code.
        status: u16,
    },
    /// The server answered with a JSON-RPC error object.
    #[error("JSON-RPC error {code}: {message}")]
    Rpc {
        /// The JSON-RPC error code.
        code: i32,
        /// The error message.
        message: String,
        /// The error data, if any.
        data: Option<serde_json::Value>,
    },
    /// The server asked us to slow down at the HTTP level (429, or 503 with `Retry-After`); the
    /// call was not executed. A JSON-RPC code meaning the same stays an [`RpcError::Rpc`] that a
    /// classifier (e.g. [`crate::CodeClassifier`]) may call rate limited.
    #[error("rate limited by the server (retry after {retry_after:?})")]
    RateLimited {
        /// How long the server asked us to wait, when it said.
        retry_after: Option<Duration>,
    },
    /// Every endpoint's circuit breaker is open: the call was rejected without touching a server.
    #[error("circuit open for {endpoint}")]
    CircuitOpen {
        /// The preferred endpoint whose breaker rejected the call.
        endpoint: String,
    },
    /// The retry budget is spent: retrying now would storm a struggling server.
    #[error("retry budget exhausted; last error: {last}")]
    BudgetExhausted {
        /// The error of the last attempt.
        last: Box<RpcError>,
    },
    /// The overall deadline of the call passed.
    #[error("overall deadline of {deadline:?} exceeded (last error: {last:?})")]
    DeadlineExceeded {
        /// The overall deadline.
        deadline: Duration,
        /// The error of the last finished attempt, if one finished.
        last: Option<Box<RpcError>>,
    },
    /// The answer was not a valid JSON-RPC response for this request.
    #[error("malformed response: {reason}")]
    MalformedResponse {
        /// What was wrong with it.
        reason: String,
    },
    /// The answer was larger than the configured maximum response size.
    #[error("response larger than the allowed maximum")]
    ResponseTooLarge,
    /// The request could not be built (bad params, empty batch, bad URL, bad header).
    #[error("invalid request: {reason}")]
    InvalidRequest {
        /// What was wrong with it.
        reason: String,
    },
    /// A setting of the [`ResilienceConfig`](crate::ResilienceConfig) is out of range
    /// (refused by the builder's `build()`).
    #[error("invalid configuration: {0}")]
    InvalidConfig(ConfigError),
}

/// A [`ResilienceConfig`](crate::ResilienceConfig) key whose value is out of range, and why.
///
/// `key` is the key as written in the `[rpc]` TOML section (e.g. `timeout_ms`), so a CLI can
/// print `[rpc] timeout_ms: must be at least 1` without knowing the rules.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {reason}")]
pub struct ConfigError {
    /// The key, as named in the config section.
    pub key: &'static str,
    /// What is wrong with its value (e.g. "must be at least 1").
    pub reason: String,
}

impl ConfigError {
    /// The error for `key`, with `reason`.
    pub fn new(key: &'static str, reason: impl Into<String>) -> Self {
        Self {
            key,
            reason: reason.into(),
        }
    }
}

impl RpcError {
    /// Whether trying again (later, or on another endpoint) can help, by transport and the
    /// standard JSON-RPC codes alone ([`STANDARD_FINAL_CODES`]).
    ///
    /// Idempotency is a separate rule: see [`RpcError::may_have_reached_server`].
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Connect { .. }
            | Self::Timeout { .. }
            | Self::Transport { .. }
            | Self::RateLimited { .. }
            | Self::MalformedResponse { .. } => true,
            Self::HttpStatus { status } => *status == 408 || *status == 429 || *status >= 500,
            Self::Rpc { code, .. } => !STANDARD_FINAL_CODES.contains(code),
            Self::CircuitOpen { .. }
            | Self::BudgetExhausted { .. }
            | Self::DeadlineExceeded { .. }
            | Self::ResponseTooLarge
            | Self::InvalidRequest { .. }
            | Self::InvalidConfig(_) => false,
        }
    }

    /// Whether the request may have reached the server (and so may have been executed).
    ///
    /// `false` for a connect failure, a breaker or budget rejection, a request that could not be
    /// built, and a rate-limit answer (servers reject those before executing anything).
    pub fn may_have_reached_server(&self) -> bool {
        !matches!(
            self,
            Self::Connect { .. }
                | Self::CircuitOpen { .. }
                | Self::BudgetExhausted { .. }
                | Self::InvalidRequest { .. }
                | Self::InvalidConfig(_)
                | Self::RateLimited { .. }
        )
    }

    /// Whether this error says the endpoint itself is unwell (it counts against its breaker).
    ///
    /// A JSON-RPC error or a rate-limit answer comes from a server that is up, so it does not.
    pub fn is_endpoint_failure(&self) -> bool {
        match self {
            Self::Connect { .. }
            | Self::Timeout { .. }
            | Self::Transport { .. }
            | Self::MalformedResponse { .. } => true,
            Self::HttpStatus { status } => *status >= 500,
            Self::Rpc { code, .. } => *code == -32603,
            _ => false,
        }
    }

    /// The delay the server asked for, if this error carries one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after } => *retry_after,
            _ => None,
        }
    }
}
