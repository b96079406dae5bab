//! [`HealthProbe`]: the call the client's health monitor makes on each endpoint, and the
//! monitor spawned with it.
//!
//! The default probe is `eth_blockNumber`, a standard read; a node that answers something
//! else (or is better probed another way) gets its own method and params from the builder.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::endpoint::{Endpoint, RawParams};
use crate::{
    HealthConfig, HealthMonitor, ResilienceConfig, RetryClassifier, RetryDecision, RpcError,
};

/// The method (and params) whose answer is an endpoint's head: a hex quantity (`"0x1a"`) or
/// a JSON integer. Default: `eth_blockNumber` without params.
#[derive(Debug, Clone, PartialEq)]
pub struct HealthProbe {
    /// The JSON-RPC method.
    pub method: String,
    /// Its params (`Value::Null` for none).
    pub params: Value,
}

impl HealthProbe {
    /// Probes with `method` and `params` (`Value::Null` for none).
    pub fn new(method: impl Into<String>, params: Value) -> Self {
        Self {
            method: method.into(),
            params,
        }
    }
}

impl Default for HealthProbe {
    fn default() -> Self {
        Self::new("eth_blockNumber", Value::Null)
    }
}

/// Spawns `endpoint`'s monitor: `probe` every `health_interval_ms`, feeding its breaker.
/// A probe the node rate limits (HTTP 429, or a code `classifier` calls rate limited) is
/// [`RpcError::RateLimited`] to the monitor: no news about the endpoint's health.
pub(crate) fn spawn_monitor(
    endpoint: &Arc<Endpoint>,
    probe: &HealthProbe,
    config: &ResilienceConfig,
    classifier: &Arc<dyn RetryClassifier<RpcError>>,
) -> Result<HealthMonitor, RpcError> {
    let health = HealthConfig {
        interval: Duration::from_millis(config.health_interval_ms),
        timeout: Duration::from_millis(config.health_timeout_ms),
        stall_probes: config.health_stall_probes,
    };
    let params =
        match &probe.params {
            Value::Null => None,
            params => Some(serde_json::value::to_raw_value(params).map_err(|e| {
                RpcError::InvalidRequest {
                    reason: format!("health probe params: {e}"),
                }
            })?),
        };
    let (method, params) = (Arc::<str>::from(probe.method.as_str()), RawParams(params));
    let target = Arc::clone(endpoint);
    let classifier = Arc::clone(classifier);
    let call = move || {
        let (endpoint, method, params) = (Arc::clone(&target), Arc::clone(&method), params.clone());
        let classifier = Arc::clone(&classifier);
        async move {
            let raw = endpoint
                .request(&method, &params, None)
                .await
                .map_err(|error| match classifier.classify(&error) {
                    RetryDecision::RateLimited { retry_after } => {
                        RpcError::RateLimited { retry_after }
                    }
                    _ => error,
                })?;
            head(&super::decode(&raw)?)
        }
    };
    Ok(HealthMonitor::spawn(
        health,
        call,
        Some(Arc::clone(&endpoint.breaker)),
    ))
}

/// The head in a probe's answer: a hex quantity ("0x1a") or a JSON integer.
fn head(answer: &Value) -> Result<u64, RpcError> {
    let parsed = match answer {
        Value::String(text) => text
            .strip_prefix("0x")
            .and_then(|digits| u64::from_str_radix(digits, 16).ok()),
        other => other.as_u64(),
    };
    parsed.ok_or_else(|| RpcError::MalformedResponse {
        reason: format!("the health probe's answer is not a head number: {answer}"),
    })
}
