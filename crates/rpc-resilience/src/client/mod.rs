//! [`ResilientClient`]: a jsonrpsee client built from this crate's parts, with failover.
//!
//! Every call runs through, outermost first: concurrency limit -> overall deadline -> retry
//! (budget, idempotency) -> endpoint breaker -> request budget -> per-attempt timeout. Files:
//! - `builder`: [`ResilientClientBuilder`];
//! - `execute`: one call through the stack; `batch`: batches, chunked, per-item retries;
//! - `client_t`: jsonrpsee's `ClientT` on top; `endpoint`, `error_map`, `retry_after`;
//! - `probe`: [`HealthProbe`], the health monitor's call.

pub mod batch;
pub mod builder;
pub mod client_t;
pub mod endpoint;
pub mod error_map;
pub mod execute;
pub mod probe;
pub(crate) mod retry_after;

use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;

pub use builder::ResilientClientBuilder;
pub use endpoint::EndpointStatus;
pub use probe::HealthProbe;

use crate::{
    ConcurrencyLimit, HealthMonitor, IdempotencyPolicy, Metrics, MetricsSnapshot, RequestBudget,
    Retry, RetryClassifier, RpcError,
};

/// Per-call overrides of the client's settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallOptions {
    /// Per-attempt timeout (default: the client's, 30 s). Calls with their own timeout use a
    /// second connection pool per endpoint, so the common path keeps a single timer.
    pub timeout: Option<Duration>,
    /// Overall deadline, retries included (default: the client's, none).
    pub deadline: Option<Duration>,
    /// Whether the call is replay-safe, i.e. may be sent again after it may have reached the
    /// server (default: the client's idempotency policy decides).
    pub idempotent: Option<bool>,
}

/// A resilient JSON-RPC client over one or more HTTP endpoints. Cheap to clone (shared state).
#[derive(Clone)]
pub struct ResilientClient {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) endpoints: Vec<Arc<endpoint::Endpoint>>,
    pub(crate) limit: ConcurrencyLimit,
    pub(crate) retry: Retry<Arc<dyn RetryClassifier<RpcError>>>,
    pub(crate) idempotency: Arc<dyn IdempotencyPolicy>,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) timeout: Duration,
    pub(crate) deadline: Option<Duration>,
    pub(crate) batch_size: std::num::NonZeroUsize,
    pub(crate) monitors: Vec<Option<HealthMonitor>>,
    pub(crate) requests: RequestBudget,
}

impl std::fmt::Debug for ResilientClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResilientClient")
            .field("endpoints", &self.inner.endpoints)
            .field("max_connections", &self.inner.limit.max())
            .field("timeout", &self.inner.timeout)
            .field("batch_size", &self.inner.batch_size)
            .finish_non_exhaustive()
    }
}

impl ResilientClient {
    /// A builder with the defaults of [`crate::ResilienceConfig`].
    pub fn builder() -> ResilientClientBuilder {
        ResilientClientBuilder::default()
    }

    /// Calls per JSON-RPC batch: [`ResilientClient::batch`] splits longer lists into
    /// chunks of this size, so a caller that wants one request per chunk sends this many.
    pub fn batch_size(&self) -> std::num::NonZeroUsize {
        self.inner.batch_size
    }

    /// Calls `method` with `params` (any serialisable value: a tuple, a `Vec`, a struct).
    pub async fn call<R: DeserializeOwned, P: Serialize>(
        &self,
        method: &str,
        params: P,
    ) -> Result<R, RpcError> {
        self.call_with(method, params, CallOptions::default()).await
    }

    /// Like [`ResilientClient::call`] with its own per-attempt timeout.
    pub async fn call_with_timeout<R: DeserializeOwned, P: Serialize>(
        &self,
        method: &str,
        params: P,
        timeout: Duration,
    ) -> Result<R, RpcError> {
        self.call_with(
            method,
            params,
            CallOptions {
                timeout: Some(timeout),
                ..CallOptions::default()
            },
        )
        .await
    }

    /// Like [`ResilientClient::call`] with per-call overrides.
    pub async fn call_with<R: DeserializeOwned, P: Serialize>(
        &self,
        method: &str,
        params: P,
        options: CallOptions,
    ) -> Result<R, RpcError> {
        let raw =
            serde_json::value::to_raw_value(&params).map_err(|e| RpcError::InvalidRequest {
                reason: e.to_string(),
            })?;
        let params = if raw.get() == "null" { None } else { Some(raw) };
        let result = self
            .execute(method, endpoint::RawParams(params), options)
            .await?;
        decode(&result)
    }

    /// Counters, latency percentiles and the last error. The same counters also go
    /// through the `metrics` facade to an installed recorder ([`crate::metrics::facade`]).
    pub fn metrics(&self) -> MetricsSnapshot {
        self.inner.metrics.snapshot()
    }

    /// Each endpoint's breaker and health.
    pub fn endpoints(&self) -> Vec<EndpointStatus> {
        self.inner
            .endpoints
            .iter()
            .zip(&self.inner.monitors)
            .map(|(e, monitor)| EndpointStatus {
                url: e.url.clone(),
                breaker: e.breaker.state(),
                trips: e.breaker.trips(),
                health: monitor.as_ref().map(HealthMonitor::status),
            })
            .collect()
    }

    /// The request budget every request of this client counts against (shared with the
    /// clients given the same handle): its limit and the requests counted so far.
    pub fn request_budget(&self) -> &RequestBudget {
        &self.inner.requests
    }

    /// The circuit breaker of endpoint `index` (in the order they were added).
    pub fn breaker(&self, index: usize) -> Option<&crate::CircuitBreaker> {
        self.inner.endpoints.get(index).map(|e| &*e.breaker)
    }
}

/// Decodes a raw result into the caller's type; a mismatch is a malformed response.
pub(crate) fn decode<R: DeserializeOwned>(
    raw: &jsonrpsee::core::JsonRawValue,
) -> Result<R, RpcError> {
    serde_json::from_str(raw.get()).map_err(|e| RpcError::MalformedResponse {
        reason: format!("result has the wrong type: {e}"),
    })
}
