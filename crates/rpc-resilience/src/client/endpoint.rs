//! One endpoint: its URL (credentials redacted), its jsonrpsee HTTP client and its breaker.
//!
//! Each endpoint gets its own breaker so failover can skip a sick node while others serve.

use std::sync::Arc;
use std::time::Duration;

use jsonrpsee::core::client::{BatchResponse, ClientT};
use jsonrpsee::core::params::BatchRequestBuilder;
use jsonrpsee::core::traits::ToRpcParams;
use jsonrpsee::core::JsonRawValue;
use jsonrpsee::http_client::{HttpBackend, HttpClient, RpcService};
use serde::Serialize;

use super::error_map::from_client_error;
use super::retry_after::RetryAfterSlot;
use crate::timeout::with_timeout;
use crate::{BreakerState, CircuitBreaker, HealthStatus, RequestBudget, RpcError};

/// The jsonrpsee client type under each endpoint (no RPC middleware; the Retry-After capture
/// layer as HTTP middleware).
pub(crate) type Http = HttpClient<RpcService<super::retry_after::RetryAfterService<HttpBackend>>>;

/// Params already serialised to raw JSON, handed to jsonrpsee as they are.
#[derive(Debug, Clone)]
pub(crate) struct RawParams(pub(crate) Option<Box<JsonRawValue>>);

impl ToRpcParams for RawParams {
    fn to_rpc_params(self) -> Result<Option<Box<JsonRawValue>>, serde_json::Error> {
        Ok(self.0)
    }
}

/// One node behind the client.
pub(crate) struct Endpoint {
    pub(crate) url: String,
    /// Times attempts out itself after `timeout` (jsonrpsee's `request_timeout`).
    pub(crate) http: Http,
    /// No practical timeout: for calls that bring their own.
    pub(crate) http_own_timeout: Http,
    pub(crate) timeout: Duration,
    pub(crate) breaker: Arc<CircuitBreaker>,
    pub(crate) retry_after: Arc<RetryAfterSlot>,
    /// Every request to this endpoint takes one unit first (shared with other endpoints
    /// and clients holding the same budget); waiting for it is outside the attempt timeout.
    pub(crate) budget: RequestBudget,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("url", &self.url)
            .field("breaker", &self.breaker.state())
            .finish_non_exhaustive()
    }
}

impl Endpoint {
    /// One JSON-RPC request, timed out after `timeout` (default: the endpoint's); the result
    /// stays raw JSON.
    pub(crate) async fn request(
        &self,
        method: &str,
        params: &RawParams,
        timeout: Option<Duration>,
    ) -> Result<Box<JsonRawValue>, RpcError> {
        // jsonrpsee's request future is a few KiB: boxed here, the futures of every layer
        // above (retry, breaker, limit, the caller's) stay small and cheap to move.
        self.budget.acquire().await;
        match timeout {
            Some(after) if after != self.timeout => {
                let call = Box::pin(
                    self.http_own_timeout
                        .request::<Box<JsonRawValue>, _>(method, params.clone()),
                );
                with_timeout(after, async { call.await.map_err(|e| self.map(e)) }).await
            }
            _ => Box::pin(self.http.request(method, params.clone()))
                .await
                .map_err(|e| self.map(e)),
        }
    }

    /// One notification, timed out after the endpoint's timeout.
    pub(crate) async fn notify(&self, method: &str, params: &RawParams) -> Result<(), RpcError> {
        self.budget.acquire().await;
        self.http
            .notification(method, params.clone())
            .await
            .map_err(|e| self.map(e))
    }

    /// One batch request; per-item results stay raw JSON.
    pub(crate) async fn batch<'a, 'p>(
        &self,
        items: impl Iterator<Item = (&'a str, &'p RawParams)>,
    ) -> Result<BatchResponse<'a, Box<JsonRawValue>>, RpcError> {
        let mut batch = BatchRequestBuilder::new();
        for (method, params) in items {
            batch
                .insert(method, params.clone())
                .map_err(|e| RpcError::InvalidRequest {
                    reason: e.to_string(),
                })?;
        }
        self.budget.acquire().await; // one HTTP request: counts once
        self.http
            .batch_request(batch)
            .await
            .map_err(|e| self.map(e))
    }

    fn map(&self, error: jsonrpsee::core::client::Error) -> RpcError {
        match from_client_error(error, &self.url, self.retry_after.take()) {
            RpcError::Timeout { .. } => RpcError::Timeout {
                after: self.timeout,
            },
            other => other,
        }
    }
}

/// What a caller can see about one endpoint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EndpointStatus {
    /// The URL, credentials redacted.
    pub url: String,
    /// Its breaker's state.
    pub breaker: BreakerState,
    /// How often its breaker opened.
    pub trips: u64,
    /// What its health monitor last found (`None` without a monitor).
    pub health: Option<HealthStatus>,
}

/// The URL with any `user:password@` removed, for logs and Debug output.
pub(crate) fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let rest = &url[scheme_end..];
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    match authority.rfind('@') {
        Some(at) => format!("{}***@{}", &url[..scheme_end], &rest[at + 1..]),
        None => url.to_owned(),
    }
}

/// Far beyond any per-attempt timeout: jsonrpsee's own timeout must never fire first.
pub(crate) const INNER_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);
