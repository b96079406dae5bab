//! Test servers on 127.0.0.1: a scripted jsonrpsee server and a raw HTTP server for answers
//! jsonrpsee would never send (bad JSON, HTML 502, 429 + Retry-After, cut connections).
//!
//! Real sockets, so the client under test runs its real transport and error classification.
#![allow(dead_code, unreachable_pub)]

pub mod calls;
pub mod raw;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jsonrpsee::server::{RpcModule, Server, ServerHandle};
use jsonrpsee::types::ErrorObjectOwned;
use serde_json::{json, Value};

/// What the scripted method does on one call.
#[derive(Debug, Clone)]
pub enum Step {
    /// Answer with this result.
    Ok(Value),
    /// Answer with this JSON-RPC error (code, data).
    Err(i32, Option<Value>),
    /// Wait this long (server side, tokio clock), then answer with this result.
    Slow(Duration, Value),
}

/// Methods that run the script: standard reads and writes, and two of a made-up protocol.
pub const SCRIPTED: &[&str] = &[
    "scripted",
    "eth_blockNumber",
    "eth_getBalance",
    "eth_sendTransaction",
    "eth_sendRawTransaction",
    "app_write",
];

/// The made-up protocol's final error code (a request it will never accept).
pub const APP_FINAL: i32 = -32041;
/// The made-up protocol's "rate limited" code; the delay is in `data.wait_ms`.
pub const APP_RATE_LIMITED: i32 = -32050;

/// A classifier knowing the made-up protocol's codes.
pub fn app_classifier() -> rpc_resilience::CodeClassifier {
    rpc_resilience::CodeClassifier::new()
        .final_codes([APP_FINAL])
        .rate_limited(APP_RATE_LIMITED, Some("wait_ms"))
}

#[derive(Debug, Default)]
struct State {
    script: Mutex<Vec<Step>>,
    hits: AtomicU32,
    /// For `flaky`: remaining failures per item id.
    flaky: Mutex<HashMap<u64, u32>>,
    flaky_hits: Mutex<HashMap<u64, u32>>,
}

/// A running jsonrpsee server whose methods follow a script, counting every hit.
#[derive(Debug)]
pub struct Scripted {
    pub addr: SocketAddr,
    pub url: String,
    state: Arc<State>,
    handle: ServerHandle,
}

impl Scripted {
    /// Starts on a free port; calls beyond the script repeat its last step.
    pub async fn start(script: Vec<Step>) -> Self {
        Self::start_at("127.0.0.1:0".parse().unwrap(), script).await
    }

    /// Starts on `addr` (e.g. the port of a server that was stopped, to "heal" it).
    pub async fn start_at(addr: SocketAddr, script: Vec<Step>) -> Self {
        let state = Arc::new(State {
            script: Mutex::new(script),
            ..State::default()
        });
        let mut module = RpcModule::from_arc(Arc::clone(&state));
        for name in SCRIPTED {
            module
                .register_async_method(name, |_params, state, _| async move {
                    let n = state.hits.fetch_add(1, Ordering::SeqCst) as usize;
                    let step = {
                        let script = state.script.lock().unwrap();
                        script
                            .get(n)
                            .or(script.last())
                            .cloned()
                            .unwrap_or(Step::Ok(Value::Null))
                    };
                    match step {
                        Step::Ok(v) => Ok(v),
                        Step::Err(code, data) => {
                            Err(ErrorObjectOwned::owned(code, "scripted error", data))
                        }
                        Step::Slow(wait, v) => {
                            tokio::time::sleep(wait).await;
                            Ok(v)
                        }
                    }
                })
                .unwrap();
        }
        module
            .register_method("flaky", |params, state, _| {
                let (id, fail_times): (u64, u32) = params.parse()?;
                *state.flaky_hits.lock().unwrap().entry(id).or_default() += 1;
                let mut flaky = state.flaky.lock().unwrap();
                let left = flaky.entry(id).or_insert(fail_times);
                if *left > 0 {
                    *left -= 1;
                    return Err(ErrorObjectOwned::owned(-32603, "flaky failure", None::<()>));
                }
                Ok::<_, ErrorObjectOwned>(json!(id))
            })
            .unwrap();
        // Batches over 50 items are refused, so a test passing 120 items proves the chunking.
        let config = jsonrpsee::server::ServerConfig::builder()
            .set_batch_request_config(jsonrpsee::server::BatchRequestConfig::Limit(50))
            .build();
        let server = Server::builder()
            .set_config(config)
            .build(addr)
            .await
            .unwrap();
        let addr = server.local_addr().unwrap();
        let handle = server.start(module);
        Self {
            addr,
            url: format!("http://{addr}"),
            state,
            handle,
        }
    }

    /// Calls of the scripted methods so far.
    pub fn hits(&self) -> u32 {
        self.state.hits.load(Ordering::SeqCst)
    }

    /// Calls of `flaky` for item `id` so far.
    pub fn flaky_hits(&self, id: u64) -> u32 {
        self.state
            .flaky_hits
            .lock()
            .unwrap()
            .get(&id)
            .copied()
            .unwrap_or(0)
    }

    /// Replaces the script (and restarts its step count).
    pub fn set_script(&self, script: Vec<Step>) {
        *self.state.script.lock().unwrap() = script;
        self.state.hits.store(0, Ordering::SeqCst);
    }

    /// Stops the server and waits until it no longer accepts connections.
    pub async fn stop(self) -> SocketAddr {
        self.handle.stop().unwrap();
        self.handle.stopped().await;
        self.addr
    }
}

/// A loopback URL where nothing listens (connection refused).
pub fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

/// A hex quantity result.
pub fn hex(n: u64) -> Value {
    json!(format!("{n:#x}"))
}

/// The default settings with no jitter, so delays are exact.
pub fn exact_config() -> rpc_resilience::ResilienceConfig {
    rpc_resilience::ResilienceConfig {
        jitter: rpc_resilience::Jitter::None,
        ..Default::default()
    }
}

/// A builder over `urls` with `config` and a fixed jitter seed.
pub fn builder(
    urls: &[&str],
    config: rpc_resilience::ResilienceConfig,
) -> rpc_resilience::ResilientClientBuilder {
    let mut builder = rpc_resilience::ResilientClient::builder()
        .config(config)
        .jitter_seed(1);
    for url in urls {
        builder = builder.endpoint(*url);
    }
    builder
}

/// A client over `urls` with `config`.
pub fn client(
    urls: &[&str],
    config: rpc_resilience::ResilienceConfig,
) -> rpc_resilience::ResilientClient {
    builder(urls, config).build().unwrap()
}
