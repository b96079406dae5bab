//! Captures the `Retry-After` header of HTTP 429 / 503 answers, which jsonrpsee's client error
//! does not carry, so a rate-limited call waits as long as the server asked.
//!
//! A tower layer on the jsonrpsee HTTP backend writes the delay into the endpoint's slot; the
//! error mapping takes it from there. Only the delta-seconds form is read; an HTTP-date falls
//! back to the backoff delay.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use jsonrpsee::http_client::transport::Error as TransportError;
use jsonrpsee::http_client::{HttpRequest, HttpResponse};

/// The last `Retry-After` an endpoint sent with a 429 / 503 answer, until an error takes it.
#[derive(Debug, Default)]
pub(crate) struct RetryAfterSlot(Mutex<Option<Duration>>);

impl RetryAfterSlot {
    fn put(&self, delay: Duration) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(delay);
    }

    /// The recorded delay, cleared.
    pub(crate) fn take(&self) -> Option<Duration> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// The tower layer installing [`RetryAfterService`].
#[derive(Debug, Clone)]
pub(crate) struct RetryAfterLayer(pub(crate) Arc<RetryAfterSlot>);

impl<S> tower::Layer<S> for RetryAfterLayer {
    type Service = RetryAfterService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RetryAfterService {
            inner,
            slot: Arc::clone(&self.0),
        }
    }
}

/// Passes every request through, noting `Retry-After` on 429 / 503 answers.
#[derive(Debug, Clone)]
pub(crate) struct RetryAfterService<S> {
    inner: S,
    slot: Arc<RetryAfterSlot>,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S, B> tower::Service<HttpRequest> for RetryAfterService<S>
where
    S: tower::Service<HttpRequest, Response = HttpResponse<B>, Error = TransportError>,
    S::Future: Send + 'static,
{
    type Response = HttpResponse<B>;
    type Error = TransportError;
    type Future = BoxFuture<Result<HttpResponse<B>, TransportError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: HttpRequest) -> Self::Future {
        let response = self.inner.call(request);
        let slot = Arc::clone(&self.slot);
        Box::pin(async move {
            let response = response.await?;
            let status = response.status().as_u16();
            if status == 429 || status == 503 {
                let seconds = response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok());
                if let Some(seconds) = seconds {
                    slot.put(Duration::from_secs(seconds));
                }
            }
            Ok(response)
        })
    }
}
