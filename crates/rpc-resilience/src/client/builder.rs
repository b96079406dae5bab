//! [`ResilientClientBuilder`]: endpoints, settings, token and policies, then `build()`.
//!
//! The bearer token goes straight into a sensitive `Authorization` header; it is never stored
//! in a field that Debug prints or a log line shows.

use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::Duration;

use jsonrpsee::http_client::{HeaderMap, HeaderValue, HttpClientBuilder, RpcServiceBuilder};

use super::endpoint::{redact_url, Endpoint, INNER_TIMEOUT};
use super::probe::{spawn_monitor, HealthProbe};
use super::retry_after::{RetryAfterLayer, RetryAfterSlot};
use super::{Inner, ResilientClient};
use crate::{
    CircuitBreaker, ConcurrencyLimit, DefaultClassifier, DefaultIdempotency, IdempotencyPolicy,
    Metrics, RequestBudget, ResilienceConfig, Retry, RetryBudget, RetryClassifier, RpcError,
    DEFAULT_MAX_BATCH_SIZE,
};

/// Builds a [`ResilientClient`]: `ResilientClient::builder().endpoint(url).build()`.
#[derive(Default)]
pub struct ResilientClientBuilder {
    urls: Vec<String>,
    config: ResilienceConfig,
    token: Option<String>,
    classifier: Option<Arc<dyn RetryClassifier<crate::RpcError>>>,
    idempotency: Option<Arc<dyn IdempotencyPolicy>>,
    budget: Option<Arc<RetryBudget>>,
    requests: Option<RequestBudget>,
    seed: Option<u64>,
    health: bool,
    probe: HealthProbe,
    max_response_size: Option<u32>,
    max_batch_size: Option<usize>,
}

impl std::fmt::Debug for ResilientClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let urls: Vec<String> = self.urls.iter().map(|u| redact_url(u)).collect();
        f.debug_struct("ResilientClientBuilder")
            .field("endpoints", &urls)
            .field("config", &self.config)
            .field("bearer_token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("health_monitor", &self.health)
            .field("health_probe", &self.probe.method)
            .finish_non_exhaustive()
    }
}

impl ResilientClientBuilder {
    /// Adds an endpoint; endpoints are tried in the order added (the first is preferred).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.urls.push(url.into());
        self
    }

    /// Replaces every setting with `config` (e.g. the CLI's `[rpc]` section).
    pub fn config(mut self, config: ResilienceConfig) -> Self {
        self.config = config;
        self
    }

    /// Sends `Authorization: Bearer <token>` with every request. Never logged or printed.
    pub fn bearer_token(mut self, token: Option<impl Into<String>>) -> Self {
        self.token = token.map(Into::into);
        self
    }

    /// Per-attempt timeout (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout_ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
        self
    }

    /// Overall deadline per call, retries included (default none).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.config.deadline_ms = Some(u64::try_from(deadline.as_millis()).unwrap_or(u64::MAX));
        self
    }

    /// Attempts per call, the first included (default 3).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.config.max_attempts = attempts;
        self
    }

    /// Replaces the retry classifier (default [`DefaultClassifier`]: transport errors and the
    /// standard JSON-RPC codes; a protocol names its final and rate-limit codes with a
    /// [`crate::CodeClassifier`]).
    pub fn classifier(
        mut self,
        classifier: impl RetryClassifier<crate::RpcError> + 'static,
    ) -> Self {
        self.classifier = Some(Arc::new(classifier));
        self
    }

    /// Replaces the idempotency policy (default [`DefaultIdempotency`]: the standard reads only).
    pub fn idempotency(mut self, policy: impl IdempotencyPolicy + 'static) -> Self {
        self.idempotency = Some(Arc::new(policy));
        self
    }

    /// Uses (and possibly shares) this retry budget instead of one built from the config.
    pub fn retry_budget(mut self, budget: Arc<RetryBudget>) -> Self {
        self.budget = Some(budget);
        self
    }

    /// Counts every request (each batch once, health probes included) against this shared
    /// [`RequestBudget`]: a request over its limit waits for room instead of being sent,
    /// and a node's Retry-After pauses every client holding it. Give the same handle to
    /// every builder of a run. Default: a budget of this client alone, of the config's
    /// `requests_per_minute` ([`ResilienceConfig::request_budget`]).
    pub fn request_budget(mut self, budget: RequestBudget) -> Self {
        self.requests = Some(budget);
        self
    }

    /// Seeds the jitter RNG (reproducible delays); random by default.
    pub fn jitter_seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Runs a [`crate::HealthMonitor`] per endpoint (the [`HealthProbe`] every
    /// `health_interval_ms`) feeding its breaker. Needs a tokio runtime at `build()`. Off by
    /// default.
    pub fn health_monitor(mut self, enabled: bool) -> Self {
        self.health = enabled;
        self
    }

    /// The call the health monitor makes (default `eth_blockNumber`).
    pub fn health_probe(mut self, probe: HealthProbe) -> Self {
        self.probe = probe;
        self
    }

    /// Largest response body accepted, in bytes (jsonrpsee's default, 10 MB, otherwise).
    pub fn max_response_size(mut self, bytes: u32) -> Self {
        self.max_response_size = Some(bytes);
        self
    }

    /// The node's batch limit, in calls ([`DEFAULT_MAX_BATCH_SIZE`], the devnet's, otherwise):
    /// `build()` refuses a `batch_size` above it. Raise it for a node that accepts more.
    pub fn max_batch_size(mut self, calls: usize) -> Self {
        self.max_batch_size = Some(calls);
        self
    }

    /// Builds the client; fails on a setting out of range ([`RpcError::InvalidConfig`], see
    /// [`ResilienceConfig::validate`]), no endpoint, a bad URL or a token that is not a valid
    /// header.
    pub fn build(self) -> Result<ResilientClient, RpcError> {
        self.config
            .validate_with_batch_limit(self.max_batch_size.unwrap_or(DEFAULT_MAX_BATCH_SIZE))
            .map_err(RpcError::InvalidConfig)?;
        if self.urls.is_empty() {
            return Err(RpcError::InvalidRequest {
                reason: "no endpoint configured".into(),
            });
        }
        if self.health && tokio::runtime::Handle::try_current().is_err() {
            return Err(RpcError::InvalidRequest {
                reason: "the health monitor needs a tokio runtime".into(),
            });
        }
        let config = self.config;
        let metrics = Arc::new(Metrics::new());
        let mut headers = HeaderMap::new();
        if let Some(token) = &self.token {
            let mut value = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
                RpcError::InvalidRequest {
                    reason: "bearer token is not a valid header value".into(),
                }
            })?;
            value.set_sensitive(true);
            headers.insert("authorization", value);
        }
        let requests = match self.requests.clone() {
            Some(shared) => shared,
            None => config.request_budget().map_err(RpcError::InvalidConfig)?,
        };
        let classifier = self
            .classifier
            .clone()
            .unwrap_or_else(|| Arc::new(DefaultClassifier));
        let mut endpoints = Vec::with_capacity(self.urls.len());
        for url in &self.urls {
            let slot = Arc::new(RetryAfterSlot::default());
            let url_shown = redact_url(url);
            let http_client = |timeout: Duration| {
                let mut http = HttpClientBuilder::new()
                    .request_timeout(timeout)
                    .set_headers(headers.clone())
                    .set_rpc_middleware(RpcServiceBuilder::new())
                    .set_http_middleware(
                        tower::ServiceBuilder::new().layer(RetryAfterLayer(Arc::clone(&slot))),
                    );
                if let Some(bytes) = self.max_response_size {
                    http = http.max_response_size(bytes);
                }
                http.build(url).map_err(|e| RpcError::InvalidRequest {
                    reason: format!("bad endpoint {url_shown}: {e}"),
                })
            };
            // The default timeout is jsonrpsee's own (one timer per attempt); calls with their
            // own timeout use a second client (its pool is opened lazily) under our timer.
            let http = http_client(config.timeout())?;
            let http_own_timeout = http_client(INNER_TIMEOUT)?;
            let breaker = Arc::new(CircuitBreaker::new(config.breaker()));
            metrics.watch_breaker(Arc::clone(&breaker)); // the breaker counts its trips
            endpoints.push(Arc::new(Endpoint {
                url: url_shown,
                http,
                http_own_timeout,
                timeout: config.timeout(),
                breaker,
                retry_after: slot,
                budget: requests.clone(),
            }));
        }
        let monitors = endpoints
            .iter()
            .map(|endpoint| {
                self.health
                    .then(|| spawn_monitor(endpoint, &self.probe, &config, &classifier))
                    .transpose()
            })
            .collect::<Result<_, _>>()?;
        let budget = self.budget.unwrap_or_else(|| {
            Arc::new(RetryBudget::new(
                config.retry_budget_ratio,
                config.retry_budget_reserve,
                1000,
            ))
        });
        let seed = self.seed.unwrap_or_else(rand::random);
        let inner = Inner {
            endpoints,
            limit: ConcurrencyLimit::new(config.max_connections),
            retry: Retry::new(config.retry_policy(), classifier, seed).with_budget(budget),
            idempotency: self
                .idempotency
                .unwrap_or_else(|| Arc::new(DefaultIdempotency)),
            metrics,
            timeout: config.timeout(),
            deadline: config.deadline_ms.map(Duration::from_millis),
            // validate_with_batch_limit above refused a batch_size of 0.
            batch_size: NonZeroUsize::new(config.batch_size).unwrap_or(NonZeroUsize::MIN),
            monitors,
            requests,
        };
        Ok(ResilientClient {
            inner: Arc::new(inner),
        })
    }
}
