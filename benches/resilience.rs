//! ResilientClient vs the raw jsonrpsee HttpClient, side by side in one run, against one local
//! jsonrpsee server: sequential calls, 64 concurrent callers, and batches of 100.
//!
//! Target: the resilient client keeps at least 0.95x the raw throughput and at most 1.1x its
//! p99 latency in every mode when nothing fails. Raw and resilient run back to back per mode,
//! alternating who goes first, so machine noise hits both; the median round ratio is reported.
//! Batches compare one request of 100 each (`batch_size` 100); the default 2 x 50 chunking is
//! printed for information. Run: `cargo bench --bench resilience`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jsonrpsee::core::client::ClientT;
use jsonrpsee::core::params::BatchRequestBuilder;
use jsonrpsee::http_client::HttpClient;
use jsonrpsee::rpc_params;
use jsonrpsee::server::{RpcModule, Server};
use rpc_resilience::{ResilienceConfig, ResilientClient};

const SEQUENTIAL_CALLS: usize = 1_000;
const CONCURRENT_CALLERS: usize = 64;
const CALLS_PER_CALLER: usize = 60;
const BATCHES: usize = 50;
const BATCH_ITEMS: usize = 100;
const ROUNDS: usize = 15;

/// One measured run: operations per second and the p99 latency of one operation.
#[derive(Debug, Clone, Copy)]
struct Run {
    ops_per_sec: f64,
    p99: Duration,
}

fn summarise(ops: usize, elapsed: Duration, mut latencies: Vec<Duration>) -> Run {
    latencies.sort_unstable();
    let index = ((latencies.len() as f64) * 0.99).ceil() as usize;
    let p99 = latencies[index.saturating_sub(1).min(latencies.len() - 1)];
    Run {
        ops_per_sec: ops as f64 / elapsed.as_secs_f64(),
        p99,
    }
}

async fn sequential<C: ClientT + Sync>(client: &C) -> Run {
    let mut latencies = Vec::with_capacity(SEQUENTIAL_CALLS);
    let start = Instant::now();
    for _ in 0..SEQUENTIAL_CALLS {
        let t = Instant::now();
        let head: String = client
            .request("eth_blockNumber", rpc_params![])
            .await
            .expect("call");
        assert_eq!(head, "0x1");
        latencies.push(t.elapsed());
    }
    summarise(SEQUENTIAL_CALLS, start.elapsed(), latencies)
}

async fn concurrent<C: ClientT + Send + Sync + 'static>(client: Arc<C>) -> Run {
    let start = Instant::now();
    let tasks: Vec<_> = (0..CONCURRENT_CALLERS)
        .map(|_| {
            let client = Arc::clone(&client);
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(CALLS_PER_CALLER);
                for _ in 0..CALLS_PER_CALLER {
                    let t = Instant::now();
                    let _: String = client
                        .request("eth_blockNumber", rpc_params![])
                        .await
                        .expect("call");
                    latencies.push(t.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("caller"));
    }
    summarise(
        CONCURRENT_CALLERS * CALLS_PER_CALLER,
        start.elapsed(),
        latencies,
    )
}

async fn batches<C: ClientT + Sync>(client: &C) -> Run {
    let mut latencies = Vec::with_capacity(BATCHES);
    let start = Instant::now();
    for _ in 0..BATCHES {
        let mut batch = BatchRequestBuilder::new();
        for i in 0..BATCH_ITEMS {
            batch.insert("echo", rpc_params![i]).expect("params");
        }
        let t = Instant::now();
        let response = client.batch_request::<usize>(batch).await.expect("batch");
        assert_eq!(response.num_successful_calls(), BATCH_ITEMS);
        latencies.push(t.elapsed());
    }
    summarise(BATCHES * BATCH_ITEMS, start.elapsed(), latencies)
}

fn median(mut runs: Vec<f64>) -> f64 {
    runs.sort_by(f64::total_cmp);
    runs[runs.len() / 2]
}

fn report(mode: &str, raw: &[Run], resilient: &[Run]) -> bool {
    let ops_ratio = median(
        raw.iter()
            .zip(resilient)
            .map(|(r, s)| s.ops_per_sec / r.ops_per_sec)
            .collect(),
    );
    let p99_ratio = median(
        raw.iter()
            .zip(resilient)
            .map(|(r, s)| s.p99.as_secs_f64() / r.p99.as_secs_f64())
            .collect(),
    );
    let raw_ops = median(raw.iter().map(|r| r.ops_per_sec).collect());
    let res_ops = median(resilient.iter().map(|r| r.ops_per_sec).collect());
    let raw_p99 = median(raw.iter().map(|r| r.p99.as_secs_f64() * 1e6).collect());
    let res_p99 = median(
        resilient
            .iter()
            .map(|r| r.p99.as_secs_f64() * 1e6)
            .collect(),
    );
    let ok = ops_ratio >= 0.95 && p99_ratio <= 1.1;
    println!(
        "{mode:<22} raw {raw_ops:>9.0} ops/s p99 {raw_p99:>7.0} us | resilient {res_ops:>9.0} ops/s p99 {res_p99:>7.0} us | throughput x{ops_ratio:.3} (>= 0.95) p99 x{p99_ratio:.3} (<= 1.10) {}",
        if ok { "ok" } else { "MISSED" }
    );
    ok
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let mut module = RpcModule::new(());
        module
            .register_method("eth_blockNumber", |_, _, _| "0x1")
            .expect("register");
        module
            .register_method("echo", |params, _, _| params.one::<usize>())
            .expect("register");
        let server = Server::builder()
            .build("127.0.0.1:0")
            .await
            .expect("server");
        let url = format!("http://{}", server.local_addr().expect("addr"));
        let handle = server.start(module);

        let raw = Arc::new(HttpClient::builder().build(&url).expect("raw client"));
        let resilient = Arc::new(
            ResilientClient::builder()
                .endpoint(&url)
                .build()
                .expect("resilient client"),
        );
        // Same batch shape as the raw client (one request of 100) to measure overhead alone.
        let config = ResilienceConfig {
            batch_size: BATCH_ITEMS,
            ..ResilienceConfig::default()
        };
        let unchunked = ResilientClient::builder()
            .endpoint(&url)
            .config(config)
            .build()
            .expect("client");
        // Warm both (connections, allocator).
        let _ = sequential(&*raw).await;
        let _ = sequential(&*resilient).await;
        let _ = concurrent(Arc::clone(&raw)).await;
        let _ = concurrent(Arc::clone(&resilient)).await;

        // Each mode runs raw and resilient back to back, alternating who goes first, so load
        // from elsewhere on the machine hits both sides alike.
        let (mut seq, mut conc, mut bat, mut chunked) =
            ((vec![], vec![]), (vec![], vec![]), (vec![], vec![]), vec![]);
        for round in 0..ROUNDS {
            let raw_first = round % 2 == 0;
            for side in [raw_first, !raw_first] {
                if side {
                    seq.0.push(sequential(&*raw).await)
                } else {
                    seq.1.push(sequential(&*resilient).await)
                }
            }
            for side in [raw_first, !raw_first] {
                if side {
                    conc.0.push(concurrent(Arc::clone(&raw)).await)
                } else {
                    conc.1.push(concurrent(Arc::clone(&resilient)).await)
                }
            }
            for side in [raw_first, !raw_first] {
                if side {
                    bat.0.push(batches(&*raw).await)
                } else {
                    bat.1.push(batches(&unchunked).await)
                }
            }
            chunked.push(batches(&*resilient).await);
        }
        println!("rpc-resilience overhead, median of {ROUNDS} alternating rounds, no faults:");
        let all_ok = [
            report("sequential", &seq.0, &seq.1),
            report(
                &format!("{CONCURRENT_CALLERS} concurrent callers"),
                &conc.0,
                &conc.1,
            ),
            report(&format!("batches of {BATCH_ITEMS}"), &bat.0, &bat.1),
        ]
        .iter()
        .all(|ok| *ok);
        println!("targets {}", if all_ok { "met" } else { "MISSED" });
        let _ = report(
            &format!("(info) default 2x{}", BATCH_ITEMS / 2),
            &bat.0,
            &chunked,
        );
        let metrics = resilient.metrics();
        println!(
            "resilient client: {} requests, {} retries, {} failures",
            metrics.requests, metrics.retries, metrics.failures
        );
        handle.stop().expect("stop");
    });
}
