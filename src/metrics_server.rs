//! `--metrics-addr`: installs the Prometheus exporter's recorder and serves its text at
//! `/metrics` on a loopback address while `run` runs.
//!
//! The libraries emit through the `metrics` facade (`rpc_*` from rpc-resilience,
//! `tokenomics_*` from the executor); this file only installs the recorder, gives the two
//! duration histograms their buckets, and answers scrapes. The exporter's own listener is
//! not used: this server binds only the loopback address it is given.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::error::CliError;

/// How often the exporter's histograms are drained when nobody scrapes.
const UPKEEP: Duration = Duration::from_secs(5);

/// The running server and the exporter's upkeep; stopped when dropped.
#[derive(Debug)]
pub(crate) struct MetricsServer {
    tasks: [JoinHandle<()>; 2],
}

impl MetricsServer {
    /// Keeps serving `how_long` (none when zero), or until `stop` is set (Ctrl-C), then stops.
    pub(crate) async fn linger(self, how_long: Duration, stop: &AtomicBool) {
        if how_long.is_zero() {
            return;
        }
        eprintln!(
            "serving the final metrics for {} s (Ctrl-C to end)",
            how_long.as_secs()
        );
        // Too far to represent is forever: only Ctrl-C ends it.
        let until = tokio::time::Instant::now().checked_add(how_long);
        while until.is_none_or(|until| tokio::time::Instant::now() < until)
            && !stop.load(Ordering::SeqCst)
        {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for MetricsServer {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Binds `addr`, installs the recorder and answers `GET /metrics` with its text.
pub(crate) async fn serve_metrics(addr: SocketAddr) -> Result<MetricsServer, CliError> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| CliError::Failed(format!("--metrics-addr {addr}: cannot listen: {e}")))?;
    let handle = install()?;
    eprintln!(
        "metrics on http://{}/metrics",
        listener.local_addr().unwrap_or(addr)
    );
    let upkeep = {
        let handle = handle.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(UPKEEP).await;
                handle.run_upkeep();
            }
        })
    };
    let server = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let handle = handle.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request: Request<hyper::body::Incoming>| {
                    let response = answer(&handle, request.uri().path());
                    async move { Ok::<_, Infallible>(response) }
                });
                if let Err(error) = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await
                {
                    tracing::debug!(%error, "metrics connection ended");
                }
            });
        }
    });
    Ok(MetricsServer {
        tasks: [server, upkeep],
    })
}

/// The process-wide recorder, with buckets for the duration histograms and every series described.
fn install() -> Result<PrometheusHandle, CliError> {
    let failed = |e: metrics_exporter_prometheus::BuildError| {
        CliError::Failed(format!(
            "--metrics-addr: cannot install the metrics recorder: {e}"
        ))
    };
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Full(rpc_resilience::metrics::facade::REQUEST_DURATION_SECONDS.into()),
            &rpc_resilience::metrics::facade::request_duration_buckets(),
        )
        .and_then(|builder| {
            builder.set_buckets_for_metric(
                Matcher::Full(payout_executor::metrics::EPOCH_DURATION_SECONDS.into()),
                &payout_executor::metrics::EPOCH_DURATION_BUCKETS,
            )
        })
        .and_then(PrometheusBuilder::install_recorder)
        .map_err(failed)?;
    rpc_resilience::metrics::facade::describe();
    payout_executor::metrics::describe();
    Ok(handle)
}

fn answer(handle: &PrometheusHandle, path: &str) -> Response<Full<Bytes>> {
    let (status, body) = if path == "/metrics" {
        (StatusCode::OK, handle.render())
    } else {
        (
            StatusCode::NOT_FOUND,
            "not found: try /metrics\n".to_string(),
        )
    };
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}
