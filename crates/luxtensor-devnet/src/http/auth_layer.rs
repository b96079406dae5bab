//! Tower layer that checks `Authorization: Bearer <token>` once per HTTP request.
//!
//! It never rejects by itself: it records an [`Authorization`] extension that the
//! jsonrpsee server copies into every call, so reads stay open and writes fail
//! with -32004. The token is held privately and never logged; the header is removed
//! once checked, so jsonrpsee's trace logs of the request cannot show it.

use std::sync::Arc;
use std::task::{Context, Poll};

use crate::auth::check_bearer;

/// Layer adding [`crate::auth::Authorization`] to each request's extensions.
#[derive(Clone)]
pub struct BearerAuthLayer {
    token: Arc<str>,
}

impl BearerAuthLayer {
    /// A layer accepting exactly `token`.
    pub fn new(token: &str) -> Self {
        BearerAuthLayer {
            token: Arc::from(token),
        }
    }
}

impl std::fmt::Debug for BearerAuthLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BearerAuthLayer { token: <redacted> }")
    }
}

impl<S> tower::Layer<S> for BearerAuthLayer {
    type Service = BearerAuth<S>;

    fn layer(&self, inner: S) -> Self::Service {
        BearerAuth {
            inner,
            token: self.token.clone(),
        }
    }
}

/// Service made by [`BearerAuthLayer`].
#[derive(Clone)]
pub struct BearerAuth<S> {
    inner: S,
    token: Arc<str>,
}

impl<S> std::fmt::Debug for BearerAuth<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BearerAuth { token: <redacted> }")
    }
}

impl<S, B> tower::Service<http::Request<B>> for BearerAuth<S>
where
    S: tower::Service<http::Request<B>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<B>) -> Self::Future {
        let header = request
            .headers()
            .get(http::header::AUTHORIZATION)
            .map(http::HeaderValue::as_bytes);
        let authorization = check_bearer(header, &self.token);
        // Drop the header once checked, so no inner layer can log the token.
        request.headers_mut().remove(http::header::AUTHORIZATION);
        request.extensions_mut().insert(authorization);
        self.inner.call(request)
    }
}
