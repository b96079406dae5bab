//! One call through the stack: limit -> deadline -> retry -> breaker -> per-attempt timeout,
//! with failover to the next endpoint after a failed attempt.
//!
//! Drop guards make it cancel-safe: a dropped call frees its concurrency slot and gives back a
//! half-open probe permit.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use jsonrpsee::core::JsonRawValue;
use tokio::time::Instant;

use super::endpoint::{Endpoint, RawParams};
use super::ResilientClient;
use crate::{BreakerPermit, CallOptions, RetryClassifier, RetryDecision, RetryError, RpcError};

impl ResilientClient {
    /// Runs one request; `None` method params mean "no params".
    pub(crate) async fn execute(
        &self,
        method: &str,
        params: RawParams,
        options: CallOptions,
    ) -> Result<Box<JsonRawValue>, RpcError> {
        let idempotent = self.is_idempotent(method, &params, options);
        self.run(idempotent, options, |endpoint| {
            let params = &params;
            async move { endpoint.request(method, params, options.timeout).await }
        })
        .await
    }

    /// Sends one notification (retried only when it was never sent).
    pub(crate) async fn execute_notification(
        &self,
        method: &str,
        params: RawParams,
    ) -> Result<(), RpcError> {
        let options = CallOptions {
            idempotent: Some(false),
            ..CallOptions::default()
        };
        self.run(false, options, |endpoint| {
            let params = &params;
            async move { endpoint.notify(method, params).await }
        })
        .await
    }

    pub(crate) fn is_idempotent(
        &self,
        method: &str,
        params: &RawParams,
        options: CallOptions,
    ) -> bool {
        options.idempotent.unwrap_or_else(|| {
            self.inner
                .idempotency
                .is_idempotent(method, params.0.as_deref().map(JsonRawValue::get))
        })
    }

    /// The stack around `send(endpoint)` (which applies the per-attempt timeout).
    async fn run<'s, T, F, Fut>(
        &'s self,
        idempotent: bool,
        options: CallOptions,
        send: F,
    ) -> Result<T, RpcError>
    where
        F: Fn(&'s Endpoint) -> Fut,
        Fut: std::future::Future<Output = Result<T, RpcError>>,
    {
        let inner = &self.inner;
        let _slot = inner.limit.acquire().await;
        let started = Instant::now();
        inner.metrics.record_request();
        let overall = options.deadline.or(inner.deadline);
        let next = AtomicUsize::new(0);
        let result = inner
            .retry
            .run(
                idempotent,
                overall.and_then(|d| started.checked_add(d)),
                |attempt| {
                    if attempt > 1 {
                        inner.metrics.record_retry();
                    }
                    let start = next.load(Ordering::Relaxed);
                    let (next, send) = (&next, &send);
                    async move {
                        let (index, permit) = self.select(start)?;
                        let endpoint = &inner.endpoints[index];
                        let outcome = send(endpoint).await;
                        self.settle(endpoint, permit, outcome.as_ref().err());
                        if outcome.is_err() {
                            next.store(index + 1, Ordering::Relaxed);
                        }
                        outcome
                    }
                },
            )
            .await;
        let result = result.map_err(|e| {
            if matches!(e, RetryError::BudgetExhausted { .. }) {
                inner.metrics.record_budget_rejection();
            }
            give_up(e, overall)
        });
        match &result {
            Ok(_) => inner.metrics.record_success(started.elapsed()),
            Err(error) => inner.metrics.record_failure(started.elapsed(), error),
        }
        result
    }

    /// The first endpoint from `start` on (wrapping) whose breaker admits a call.
    pub(crate) fn select(&self, start: usize) -> Result<(usize, BreakerPermit<'_>), RpcError> {
        let endpoints = &self.inner.endpoints;
        let count = endpoints.len();
        for offset in 0..count {
            let index = (start + offset) % count;
            if let Ok(permit) = endpoints[index].breaker.try_acquire() {
                return Ok((index, permit));
            }
        }
        self.inner.metrics.record_breaker_rejection();
        let endpoint = endpoints
            .get(start % count.max(1))
            .map(|e| e.url.clone())
            .unwrap_or_default();
        Err(RpcError::CircuitOpen { endpoint })
    }
}

/// The error a call (or a batch item) ends with when the retry loop gives up; `deadline` is
/// the overall deadline that applied.
pub(crate) fn give_up(error: RetryError<RpcError>, deadline: Option<Duration>) -> RpcError {
    match error {
        RetryError::Failed { last, .. } => last,
        RetryError::BudgetExhausted { last, .. } => RpcError::BudgetExhausted {
            last: Box::new(last),
        },
        RetryError::DeadlineExceeded { last, .. } => RpcError::DeadlineExceeded {
            deadline: deadline.unwrap_or_default(),
            last: last.map(Box::new),
        },
    }
}

impl ResilientClient {
    /// Reports an attempt's outcome to its endpoint's breaker. A rate-limit answer (HTTP 429,
    /// or a code the classifier calls rate limited) is neither: the node is up and asked us
    /// to wait, and every holder of the endpoint's request budget pauses
    /// ([`crate::RequestBudget::rate_limit_pause`]: the delay it asked for, else a limited
    /// budget's window).
    pub(crate) fn settle(
        &self,
        endpoint: &Endpoint,
        permit: BreakerPermit<'_>,
        error: Option<&RpcError>,
    ) {
        let retry = &self.inner.retry;
        if let Some(RetryDecision::RateLimited { retry_after }) =
            error.map(|e| retry.classifier().classify(e))
        {
            let cap = retry.policy().max_retry_after;
            if let Some(delay) = endpoint.budget.rate_limit_pause(retry_after, cap) {
                endpoint.budget.pause(delay);
            }
            permit.neutral();
            return;
        }
        settle(permit, error);
    }
}

/// Reports an attempt's outcome to its endpoint's breaker, by the error alone.
fn settle(permit: BreakerPermit<'_>, error: Option<&RpcError>) {
    match error {
        None => permit.success(),
        Some(error) if error.is_endpoint_failure() => permit.failure(),
        // The server answered (with "your request is wrong"): it is up.
        Some(RpcError::Rpc { .. }) => permit.success(),
        Some(_) => permit.neutral(),
    }
}
