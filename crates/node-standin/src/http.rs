//! The stand-in's HTTP/1 server on 127.0.0.1: every request counted, the request window
//! (behaviour 3: HTTP 429 with the node's body), then the JSON-RPC answer.

use std::convert::Infallible;
use std::sync::Arc;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::CONTENT_TYPE;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::time::Instant;

use crate::rpc::Shared;

/// The node's answer to a request over its limit (HTTP 429, no `Retry-After`).
pub const RATE_LIMITED_BODY: &str = r#"{"jsonrpc":"2.0","error":{"code":-32000,"message":"Rate limited: too many requests"},"id":null}"#;

/// Serves connections until the task is aborted.
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let service = service_fn(move |request| handle(Arc::clone(&shared), request));
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    shared.counters.request();
    if shared.config.request_window && !admitted(&shared) {
        shared.counters.rate_limited();
        return Ok(respond(
            StatusCode::TOO_MANY_REQUESTS,
            Bytes::from_static(RATE_LIMITED_BODY.as_bytes()),
        ));
    }
    let body = match request.into_body().collect().await {
        Ok(body) => body.to_bytes(),
        Err(_) => return Ok(respond(StatusCode::BAD_REQUEST, Bytes::new())),
    };
    Ok(match shared.answer(body).await {
        Ok(answer) => respond(StatusCode::OK, answer),
        Err(error) => {
            let body = serde_json::json!({
                "jsonrpc": "2.0",
                "id": null,
                "error": {"code": -32603, "message": format!("stand-in: {error}")},
            });
            respond(StatusCode::BAD_GATEWAY, Bytes::from(body.to_string()))
        }
    })
}

fn admitted(shared: &Shared) -> bool {
    let config = &shared.config;
    match shared.window.lock() {
        Ok(mut window) => window.admit(Instant::now(), config.requests_per_window, config.window),
        Err(poisoned) => {
            poisoned
                .into_inner()
                .admit(Instant::now(), config.requests_per_window, config.window)
        }
    }
}

fn respond(status: StatusCode, body: Bytes) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    response
}
