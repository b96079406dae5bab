//! Luxtensor's retry rules for `rpc_resilience::ResilientClient` (feature `client`): which
//! calls are replay-safe, and which error codes are final or mean "rate limited".
//!
//! ```no_run
//! # fn build() -> Result<rpc_resilience::ResilientClient, rpc_resilience::RpcError> {
//! let client = rpc_resilience::ResilientClient::builder()
//!     .endpoint("http://127.0.0.1:8545")
//!     .idempotency(luxtensor_protocol::policy())
//!     .classifier(luxtensor_protocol::classifier())
//!     .build()?;
//! # Ok(client)
//! # }
//! ```

use std::sync::LazyLock;

use rpc_resilience::{
    CodeClassifier, DefaultIdempotency, IdempotencyPolicy, RetryClassifier, RetryDecision, RpcError,
};
use serde_json::value::RawValue;

use crate::{code, method};

/// Luxtensor's replay safety: the standard reads and the protocol's reads
/// (`luxtensor_totalSupply`, `luxtensor_getTransfer`) always; `luxtensor_mint` and
/// `luxtensor_transfer` only when they carry an idempotency key (a string in its position),
/// because the node answers a replayed key with the first result. Anything else: never.
#[derive(Debug, Clone, Copy, Default)]
pub struct LuxtensorIdempotency;

impl IdempotencyPolicy for LuxtensorIdempotency {
    fn is_idempotent(&self, name: &str, params: Option<&str>) -> bool {
        if DefaultIdempotency.is_idempotent(name, params) {
            return true;
        }
        match method(name) {
            Some(method) if !method.writes => true,
            Some(method) => method
                .key_position()
                .is_some_and(|position| carries_key(params, position)),
            None => false,
        }
    }
}

/// Whether positional `params` hold a string at `position` (read without copying them:
/// every keyed write of a batch passes here).
fn carries_key(params: Option<&str>, position: usize) -> bool {
    match params.map(serde_json::from_str::<Vec<&RawValue>>) {
        Some(Ok(items)) => items
            .get(position)
            .is_some_and(|item| item.get().starts_with('"')),
        _ => false,
    }
}

/// Luxtensor's replay safety for `ResilientClientBuilder::idempotency`.
pub fn policy() -> LuxtensorIdempotency {
    LuxtensorIdempotency
}

/// Luxtensor's error codes for `ResilientClientBuilder::classifier`: the codes of
/// [`code::FINAL`] are never retried; [`code::RATE_LIMITED`] means nothing was applied, so
/// the call is sent again after the error data's `retry_after_ms`.
pub fn classifier() -> CodeClassifier {
    CodeClassifier::new()
        .final_codes(code::FINAL.iter().copied())
        .rate_limited(code::RATE_LIMITED, Some(code::RETRY_AFTER_MS))
}

static CLASSIFIER: LazyLock<CodeClassifier> = LazyLock::new(classifier);

/// Whether sending the call again cannot help, by Luxtensor's [`classifier`] (a final code, a
/// bad request, an open breaker, a spent budget...).
pub fn is_final(error: &RpcError) -> bool {
    CLASSIFIER.classify(error) == RetryDecision::DoNotRetry
}
