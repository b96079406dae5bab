//! `--metrics-addr`: serves the RPC client's metrics in Prometheus text format while `run` runs.

use std::convert::Infallible;
use std::net::SocketAddr;

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use rpc_resilience::ResilientClient;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::error::CliError;

/// Binds `addr` and answers every GET with `client.prometheus()`; abort the task to stop.
pub(crate) async fn serve_metrics(
    addr: SocketAddr,
    client: ResilientClient,
) -> Result<JoinHandle<()>, CliError> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| CliError::Failed(format!("--metrics-addr {addr}: cannot listen: {e}")))?;
    eprintln!(
        "metrics on http://{}/metrics",
        listener.local_addr().unwrap_or(addr)
    );
    Ok(tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let client = client.clone();
            tokio::spawn(async move {
                let service = service_fn(move |_request: Request<hyper::body::Incoming>| {
                    let body = client.prometheus();
                    async move {
                        let mut response = Response::new(Full::new(Bytes::from(body)));
                        response.headers_mut().insert(
                            hyper::header::CONTENT_TYPE,
                            hyper::header::HeaderValue::from_static("text/plain; version=0.0.4"),
                        );
                        Ok::<_, Infallible>(response)
                    }
                });
                if let Err(error) = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await
                {
                    tracing::debug!(%error, "metrics connection ended");
                }
            });
        }
    }))
}
