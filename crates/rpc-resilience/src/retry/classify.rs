//! The retry decision as a small trait: is this error retryable, not retryable, or rate limited?
//!
//! Users replace [`DefaultClassifier`] to teach the loop about their own errors; the loop itself
//! never inspects an error.

use std::time::Duration;

use crate::RpcError;

/// What the retry loop should do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Try again after the backoff delay.
    Retry,
    /// Give up: trying again cannot help.
    DoNotRetry,
    /// Try again after the delay the server asked for (capped), or the backoff delay if none.
    RateLimited {
        /// The delay the server asked for, if it said.
        retry_after: Option<Duration>,
    },
}

/// Decides, from an error alone, whether a retry can help and whether the request may have run.
pub trait RetryClassifier<E>: Send + Sync {
    /// Retry, do not retry, or wait as the server asked.
    fn classify(&self, error: &E) -> RetryDecision;

    /// Whether the request may have reached the server. When it may have, only calls marked
    /// idempotent are retried. The default (`true`) is the safe answer.
    fn may_have_reached_server(&self, _error: &E) -> bool {
        true
    }
}

impl<E, T: RetryClassifier<E> + ?Sized> RetryClassifier<E> for std::sync::Arc<T> {
    fn classify(&self, error: &E) -> RetryDecision {
        (**self).classify(error)
    }

    fn may_have_reached_server(&self, error: &E) -> bool {
        (**self).may_have_reached_server(error)
    }
}

/// The classifier for [`RpcError`]: follows [`RpcError::is_retryable`] and
/// [`RpcError::may_have_reached_server`], and reports rate limits with their delay.
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultClassifier;

impl RetryClassifier<RpcError> for DefaultClassifier {
    fn classify(&self, error: &RpcError) -> RetryDecision {
        match error {
            RpcError::RateLimited { retry_after } => RetryDecision::RateLimited {
                retry_after: *retry_after,
            },
            error if error.is_retryable() => RetryDecision::Retry,
            _ => RetryDecision::DoNotRetry,
        }
    }

    fn may_have_reached_server(&self, error: &RpcError) -> bool {
        error.may_have_reached_server()
    }
}
