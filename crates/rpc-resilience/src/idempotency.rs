//! Which calls may safely run twice: the [`IdempotencyPolicy`] trait and the Luxtensor default.
//!
//! After a request may have reached the server, only idempotent calls are retried (a connect
//! failure is always safe). Reads are idempotent; a write is idempotent only when it carries an
//! idempotency key, because the server then answers a replay with the first result.

/// Decides whether a call may be sent again after it may have reached the server.
pub trait IdempotencyPolicy: Send + Sync + std::fmt::Debug {
    /// `params` is the call's raw JSON params (`None` when it has none).
    fn is_idempotent(&self, method: &str, params: Option<&str>) -> bool;
}

/// The default policy for Ethereum-style and Luxtensor nodes.
///
/// - `eth_*`, `net_*`, `web3_*`, `luxtensor_getTransfer`, `luxtensor_totalSupply`: reads, idempotent;
/// - `luxtensor_mint` `[to, amount, key?]` and `luxtensor_transfer` `[from, to, amount, key?]`:
///   idempotent only when a non-null string key follows the required params (or, with named
///   params, an `idempotencyKey` string is present);
/// - anything else: not idempotent (the safe answer).
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultIdempotency;

impl DefaultIdempotency {
    fn required_params(method: &str) -> Option<usize> {
        match method {
            "luxtensor_mint" => Some(2),
            "luxtensor_transfer" => Some(3),
            _ => None,
        }
    }
}

impl IdempotencyPolicy for DefaultIdempotency {
    fn is_idempotent(&self, method: &str, params: Option<&str>) -> bool {
        if method.starts_with("eth_")
            || method.starts_with("net_")
            || method.starts_with("web3_")
            || matches!(method, "luxtensor_getTransfer" | "luxtensor_totalSupply")
        {
            return true;
        }
        let Some(required) = Self::required_params(method) else {
            return false;
        };
        let Some(params) = params.and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok())
        else {
            return false;
        };
        match params {
            serde_json::Value::Array(items) => {
                items.len() > required && items.last().is_some_and(|key| key.is_string())
            }
            serde_json::Value::Object(fields) => fields
                .get("idempotencyKey")
                .is_some_and(|key| key.is_string()),
            _ => false,
        }
    }
}

/// A policy that trusts the caller: every call is idempotent (or none is).
#[derive(Debug, Clone, Copy)]
pub struct AssumeIdempotent(pub bool);

impl IdempotencyPolicy for AssumeIdempotent {
    fn is_idempotent(&self, _method: &str, _params: Option<&str>) -> bool {
        self.0
    }
}
