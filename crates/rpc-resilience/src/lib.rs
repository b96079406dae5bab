//! Resilience for JSON-RPC clients: retry with backoff and a retry budget, circuit breakers,
//! timeouts, a concurrency limit, metrics and health probes, each usable alone, plus
//! [`ResilientClient`], a jsonrpsee `ClientT` built from them with batching and failover.
//!
//! The crate knows standard JSON-RPC 2.0 and standard Ethereum reads, and no particular
//! chain: a protocol states which of its calls are replay-safe ([`IdempotencyPolicy`]) and
//! which of its error codes are final or mean "rate limited" ([`RetryClassifier`],
//! [`CodeClassifier`]), and hands them to the builder.
//!
//! # Parts (tower style: one role per module)
//!
//! | part | type | what it does |
//! |---|---|---|
//! | [`backoff`] | [`Backoff`], [`Jitter`] | exponential delays (1 s, x2, cap 30 s) with none / full / equal / decorrelated jitter |
//! | [`retry`] | [`Retry`], [`RetryClassifier`], [`CodeClassifier`], [`RetryBudget`] | the retry rule and loop, the retry decision as a small trait, a token-bucket budget |
//! | [`idempotency`] | [`IdempotencyPolicy`], [`DefaultIdempotency`], [`SignedTransactions`], [`ReplaySafeMethods`] | which calls may run twice |
//! | [`breaker`] | [`CircuitBreaker`] | Closed / Open / HalfOpen on consecutive failures or a failure rate; counts its trips |
//! | [`timeout`], [`limit`] | [`timeout::with_timeout`], [`ConcurrencyLimit`] | per-attempt timeout, pool size |
//! | [`request_budget`] | [`RequestBudget`] | at most N requests per window (a batch counts once), shared by every client given the handle; a node's Retry-After pauses them all |
//! | [`metrics`] | [`Metrics`], [`MetricsSnapshot`] | counters, p50/p90/p99, last error as a serde snapshot, and the same through the `metrics` facade ([`crate::metrics::facade`]; it replaces the hand-written Prometheus text of 0.1: render the series with an exporter) |
//! | [`health`] | [`HealthMonitor`] | background head probe that notices stalls and feeds a breaker |
//! | [`client`] | [`ResilientClient`], [`HealthProbe`] | all of the above around jsonrpsee's HTTP client |
//!
//! A call through [`ResilientClient`] passes, outermost first: concurrency limit -> overall
//! deadline -> retry (budget, idempotency) -> the endpoint's breaker -> the request budget ->
//! per-attempt timeout.
//! Errors are one enum, [`RpcError`]. A batch is one run of the same retry rule as a single
//! call ([`Retry::verdict`], [`retry::Attempts::next_delay`]), applied to its failed items.
//!
//! # What is replay-safe
//!
//! A request that never left (connect refused, breaker open, budget spent) is always safe to
//! send again, and so is one the server refused as rate limited (HTTP 429, a 503 with
//! `Retry-After`, or a JSON-RPC code the classifier calls rate limited). Once a request may
//! have reached the server (a timeout, a reset, a 502, a malformed answer, a JSON-RPC error),
//! it is sent again only if the [`IdempotencyPolicy`] (or [`CallOptions::idempotent`]) calls it
//! replay-safe. The default, [`DefaultIdempotency`], replays only the standard reads of
//! [`idempotency::STANDARD_READS`]: `eth_sendTransaction` is never replayed, and
//! `eth_sendRawTransaction` only when the caller opts in with [`SignedTransactions`] (the same
//! signed bytes are mined once). A rate-limit answer is not a node failure: the breaker and
//! the health monitor ignore it and it takes nothing from the retry budget; the call waits
//! the delay the node asked for (capped by `max_retry_after_ms`; without one, a limited
//! budget's whole window), and so does every client sharing its [`RequestBudget`]. Errors meaning "your request is wrong" (the standard -32700,
//! -32600, -32601, -32602, and the codes a [`CodeClassifier`] names) are never retried. A write
//! is never sent to two endpoints at once: attempts are sequential.
//!
//! # Wrapping a jsonrpsee client
//!
//! ```no_run
//! use jsonrpsee::core::client::ClientT;
//! use jsonrpsee::rpc_params;
//! use rpc_resilience::{
//!     CodeClassifier, DefaultIdempotency, HealthProbe, IdempotencyPolicy, ReplaySafeMethods,
//!     ResilienceConfig, ResilientClient, SignedTransactions,
//! };
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = ResilientClient::builder()
//!     .endpoint("http://127.0.0.1:8545") // preferred
//!     .endpoint("http://127.0.0.1:8546") // failover
//!     .config(ResilienceConfig { max_attempts: 5, ..ResilienceConfig::default() })
//!     .bearer_token(std::env::var("NODE_TOKEN").ok())
//!     // Replay-safe: the standard reads, signed transactions, and this node's own read.
//!     .idempotency(
//!         DefaultIdempotency
//!             .or(SignedTransactions)
//!             .or(ReplaySafeMethods::new(["acme_totalSupply"])),
//!     )
//!     // This node's final codes, and its "rate limited" code with the delay in `data.wait_ms`.
//!     .classifier(CodeClassifier::new().final_codes([-32041]).rate_limited(-32050, Some("wait_ms")))
//!     .health_monitor(true)
//!     .health_probe(HealthProbe::new("eth_blockNumber", serde_json::Value::Null))
//!     .build()?;
//!
//! // Any jsonrpsee `ClientT` use (and `#[rpc(client)]` traits) runs through the stack...
//! let head: String = client.request("eth_blockNumber", rpc_params![]).await?;
//! // ...or call it directly and get a typed `RpcError`.
//! let supply: String = client.call("acme_totalSupply", ()).await?;
//! println!("head {head}, supply {supply}");
//! println!("{}", serde_json::to_string(&client.metrics())?);
//! # Ok(())
//! # }
//! ```
//!
//! Each part also works alone:
//!
//! ```
//! use rpc_resilience::{CircuitBreaker, DefaultClassifier, Retry, RetryPolicy, RpcError};
//!
//! # tokio_block_on(async {
//! let retry = Retry::new(RetryPolicy::default(), DefaultClassifier, 7);
//! let breaker = CircuitBreaker::default();
//! let answer: Result<u64, _> = retry
//!     .run(true, None, |_attempt| async {
//!         let permit = breaker.try_acquire().map_err(|_| RpcError::CircuitOpen { endpoint: "node".into() })?;
//!         permit.success();
//!         Ok::<_, RpcError>(42)
//!     })
//!     .await;
//! assert_eq!(answer, Ok(42));
//! # });
//! # fn tokio_block_on<F: std::future::Future>(f: F) -> F::Output {
//! #     tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(f)
//! # }
//! ```
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod backoff;
pub mod breaker;
pub mod client;
pub mod config;
pub mod error;
pub mod health;
pub mod idempotency;
pub mod limit;
pub mod metrics;
pub mod request_budget;
pub mod retry;
pub mod timeout;

pub use backoff::{Backoff, Delays, Jitter};
pub use breaker::{
    BreakerConfig, BreakerPermit, BreakerRejected, BreakerState, CircuitBreaker, StateChange,
};
pub use client::{
    CallOptions, EndpointStatus, HealthProbe, ResilientClient, ResilientClientBuilder,
};
pub use config::{ResilienceConfig, DEFAULT_MAX_BATCH_SIZE};
pub use error::{ConfigError, RpcError};
pub use health::{HealthConfig, HealthMonitor, HealthStatus};
pub use idempotency::{
    AnyOf, AssumeIdempotent, DefaultIdempotency, IdempotencyPolicy, ReplaySafeMethods,
    SignedTransactions,
};
pub use limit::{ConcurrencyLimit, ConcurrencyPermit};
pub use metrics::{LastError, LatencySummary, Metrics, MetricsSnapshot};
pub use request_budget::{RequestBudget, MAX_REQUESTS_PER_WINDOW};
pub use retry::{
    CodeClassifier, DefaultClassifier, Retry, RetryBudget, RetryClassifier, RetryDecision,
    RetryError, RetryPolicy, Stop, Verdict,
};
