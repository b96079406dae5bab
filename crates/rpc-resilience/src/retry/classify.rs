//! The retry decision as a small trait: is this error retryable, not retryable, or rate limited?
//!
//! [`DefaultClassifier`] knows transport errors and the standard JSON-RPC codes only;
//! [`CodeClassifier`] adds a protocol's final codes and its "rate limited" code; users may
//! also write their own. The loop itself never inspects an error.

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
/// [`RpcError::may_have_reached_server`], and reports HTTP rate limits with their delay.
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

/// [`DefaultClassifier`] plus the JSON-RPC codes a protocol defines: codes that are final
/// (never retried) and a code meaning "rate limited, not executed, come back later".
///
/// ```
/// use rpc_resilience::{CodeClassifier, RetryClassifier, RetryDecision, RpcError};
///
/// let classifier = CodeClassifier::new()
///     .final_codes([-32041, -32042])
///     .rate_limited(-32050, Some("wait_ms"));
/// let busy = RpcError::Rpc { code: -32050, message: "busy".into(), data: Some(serde_json::json!({"wait_ms": 250})) };
/// let expected = RetryDecision::RateLimited { retry_after: Some(std::time::Duration::from_millis(250)) };
/// assert_eq!(classifier.classify(&busy), expected);
/// assert!(!classifier.may_have_reached_server(&busy));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeClassifier {
    final_codes: Vec<i32>,
    rate_limited: Option<(i32, Option<String>)>,
}

impl CodeClassifier {
    /// Classifies like [`DefaultClassifier`] until codes are added.
    pub fn new() -> Self {
        Self::default()
    }

    /// These JSON-RPC error codes are final: a call that got one is never sent again.
    pub fn final_codes(mut self, codes: impl IntoIterator<Item = i32>) -> Self {
        self.final_codes.extend(codes);
        self
    }

    /// `code` means "rate limited": the server did not execute the call, so it is sent again
    /// (even when not replay-safe) after the delay in ms found in the error data's
    /// `delay_ms_field`, or after the backoff delay without one.
    pub fn rate_limited(mut self, code: i32, delay_ms_field: Option<&str>) -> Self {
        self.rate_limited = Some((code, delay_ms_field.map(str::to_owned)));
        self
    }

    fn rate_limit_delay(&self, error: &RpcError) -> Option<Option<Duration>> {
        let (limited, field) = self.rate_limited.as_ref()?;
        let RpcError::Rpc { code, data, .. } = error else {
            return None;
        };
        (code == limited).then(|| {
            field
                .as_deref()
                .and_then(|field| data.as_ref()?.get(field)?.as_u64())
                .map(Duration::from_millis)
        })
    }
}

impl RetryClassifier<RpcError> for CodeClassifier {
    fn classify(&self, error: &RpcError) -> RetryDecision {
        if let Some(retry_after) = self.rate_limit_delay(error) {
            return RetryDecision::RateLimited { retry_after };
        }
        match error {
            RpcError::Rpc { code, .. } if self.final_codes.contains(code) => {
                RetryDecision::DoNotRetry
            }
            _ => DefaultClassifier.classify(error),
        }
    }

    fn may_have_reached_server(&self, error: &RpcError) -> bool {
        self.rate_limit_delay(error).is_none() && error.may_have_reached_server()
    }
}
