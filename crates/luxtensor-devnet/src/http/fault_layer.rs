//! Tower layer that injects the [`Fault`] drawn for each HTTP request.
//!
//! Refusals (500, 429, 503, dropped connection) answer before the request reaches
//! jsonrpsee, so nothing is applied; a late answer lets the write commit and then
//! holds the response with `tokio::time::sleep` (so paused-clock tests can drive it).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use jsonrpsee::core::BoxError;
use jsonrpsee::server::{HttpBody, HttpResponse};

use crate::error::{DevnetError, INTERNAL_ERROR};
use crate::faults::{Fault, FaultInjector};

/// Layer injecting faults from a shared [`FaultInjector`].
#[derive(Debug, Clone)]
pub struct FaultLayer {
    injector: FaultInjector,
}

impl FaultLayer {
    /// A layer drawing from `injector` (clones share the stream and config).
    pub fn new(injector: FaultInjector) -> Self {
        FaultLayer { injector }
    }
}

impl<S> tower::Layer<S> for FaultLayer {
    type Service = InjectFaults<S>;

    fn layer(&self, inner: S) -> Self::Service {
        InjectFaults {
            inner,
            injector: self.injector.clone(),
        }
    }
}

/// Service made by [`FaultLayer`].
#[derive(Debug, Clone)]
pub struct InjectFaults<S> {
    inner: S,
    injector: FaultInjector,
}

/// The error that makes hyper close the connection without an answer.
#[derive(Debug, thiserror::Error)]
#[error("injected fault: connection dropped")]
struct DroppedConnection;

impl<S, B> tower::Service<http::Request<B>> for InjectFaults<S>
where
    S: tower::Service<http::Request<B>, Response = HttpResponse, Error = BoxError>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = HttpResponse;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let (fault, latency) = self.injector.next();
        // Take the service that was made ready; leave a fresh clone in its place.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(async move {
            if !latency.is_zero() {
                tokio::time::sleep(latency).await;
            }
            match fault {
                Fault::None => inner.call(request).await,
                Fault::Drop => {
                    tracing::debug!("fault: dropping the connection");
                    Err(Box::new(DroppedConnection) as BoxError)
                }
                Fault::Error => Ok(injected_error()),
                Fault::RateLimited(retry_after) => Ok(refusal(429, retry_after)),
                Fault::Unavailable(retry_after) => Ok(refusal(503, retry_after)),
                Fault::Late(delay) => {
                    let response = inner.call(request).await?;
                    tracing::debug!(?delay, "fault: holding an applied answer");
                    tokio::time::sleep(delay).await;
                    Ok(response)
                }
            }
        })
    }
}

/// A JSON-RPC error response with a null id, as sent for a refused request.
fn error_body(error: jsonrpsee::types::ErrorObjectOwned) -> String {
    serde_json::json!({ "jsonrpc": "2.0", "error": error, "id": null }).to_string()
}

fn json_response(status: u16, body: String, retry_after: Option<Duration>) -> HttpResponse {
    let mut response = http::Response::new(HttpBody::from(body));
    *response.status_mut() =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json; charset=utf-8"),
    );
    if let Some(retry_after) = retry_after {
        // Retry-After is in whole seconds; round up so a client never comes back early.
        let seconds = retry_after.as_millis().div_ceil(1000);
        headers.insert(
            http::header::RETRY_AFTER,
            http::HeaderValue::from(seconds as u64),
        );
    }
    response
}

fn injected_error() -> HttpResponse {
    let error = jsonrpsee::types::ErrorObject::owned(
        INTERNAL_ERROR,
        "injected fault: internal error",
        None::<()>,
    );
    json_response(500, error_body(error), None)
}

fn refusal(status: u16, retry_after: Duration) -> HttpResponse {
    let retry_after_ms = u64::try_from(retry_after.as_millis()).unwrap_or(u64::MAX);
    let error = DevnetError::RateLimited { retry_after_ms }.to_rpc_error();
    json_response(status, error_body(error), Some(retry_after))
}
