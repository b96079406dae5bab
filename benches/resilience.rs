//! ResilientClient vs the raw jsonrpsee HttpClient, side by side in one run, against one local
//! jsonrpsee server: sequential calls, 64 concurrent callers, and batches of 100.
//!
//! Target: the resilient client keeps at least 0.95x the raw throughput and at most 1.1x its
//! p99 latency in every mode when nothing fails. The machine is shared, so each round is cut
//! into short slices that alternate raw / resilient (who goes first alternates too): load from
//! elsewhere hits both sides alike. The median round ratio is reported. Batches compare one
//! request of 100 each (`batch_size` 100); the default 2 x 50 chunking is printed for
//! information. Run: `cargo bench --bench resilience`.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jsonrpsee::core::client::ClientT;
use jsonrpsee::core::params::BatchRequestBuilder;
use jsonrpsee::http_client::HttpClient;
use jsonrpsee::rpc_params;
use jsonrpsee::server::{RpcModule, Server};
use rpc_resilience::{ResilienceConfig, ResilientClient};

const ROUNDS: usize = 11;
const SLICES: usize = 10;
const SEQUENTIAL_CALLS_PER_SLICE: usize = 100;
const CONCURRENT_CALLERS: usize = 64;
const CALLS_PER_CALLER_PER_SLICE: usize = 6;
const BATCHES_PER_SLICE: usize = 5;
const BATCH_ITEMS: usize = 100;

/// What one side did in one round: operations, busy time, per-operation latencies.
#[derive(Debug, Default)]
struct Tally {
    ops: usize,
    busy: Duration,
    latencies: Vec<Duration>,
}

impl Tally {
    fn add(&mut self, ops: usize, busy: Duration, latencies: Vec<Duration>) {
        self.ops += ops;
        self.busy += busy;
        self.latencies.extend(latencies);
    }

    fn ops_per_sec(&self) -> f64 {
        self.ops as f64 / self.busy.as_secs_f64()
    }

    fn p99(&mut self) -> Duration {
        self.latencies.sort_unstable();
        let index = ((self.latencies.len() as f64) * 0.99).ceil() as usize;
        self.latencies[index.saturating_sub(1).min(self.latencies.len() - 1)]
    }
}

/// One slice: (operations, elapsed, latencies).
type Slice = (usize, Duration, Vec<Duration>);

async fn sequential<C: ClientT + Sync>(client: Arc<C>) -> Slice {
    let mut latencies = Vec::with_capacity(SEQUENTIAL_CALLS_PER_SLICE);
    let start = Instant::now();
    for _ in 0..SEQUENTIAL_CALLS_PER_SLICE {
        let t = Instant::now();
        let head: String = client
            .request("eth_blockNumber", rpc_params![])
            .await
            .expect("call");
        assert_eq!(head, "0x1");
        latencies.push(t.elapsed());
    }
    (SEQUENTIAL_CALLS_PER_SLICE, start.elapsed(), latencies)
}

async fn concurrent<C: ClientT + Send + Sync + 'static>(client: Arc<C>) -> Slice {
    let start = Instant::now();
    let tasks: Vec<_> = (0..CONCURRENT_CALLERS)
        .map(|_| {
            let client = Arc::clone(&client);
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(CALLS_PER_CALLER_PER_SLICE);
                for _ in 0..CALLS_PER_CALLER_PER_SLICE {
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
    (
        CONCURRENT_CALLERS * CALLS_PER_CALLER_PER_SLICE,
        start.elapsed(),
        latencies,
    )
}

async fn batches<C: ClientT + Sync>(client: Arc<C>) -> Slice {
    let mut latencies = Vec::with_capacity(BATCHES_PER_SLICE);
    let start = Instant::now();
    for _ in 0..BATCHES_PER_SLICE {
        let mut batch = BatchRequestBuilder::new();
        for i in 0..BATCH_ITEMS {
            batch.insert("echo", rpc_params![i]).expect("params");
        }
        let t = Instant::now();
        let response = client.batch_request::<usize>(batch).await.expect("batch");
        assert_eq!(response.num_successful_calls(), BATCH_ITEMS);
        latencies.push(t.elapsed());
    }
    (BATCHES_PER_SLICE * BATCH_ITEMS, start.elapsed(), latencies)
}

/// Runs `ROUNDS` rounds of `SLICES` alternating slices; returns per-round (raw, subject) ratios
/// of throughput and p99, plus the medians of each side's figures.
async fn compare<A, B, FA, FB>(raw: A, subject: B) -> [f64; 6]
where
    A: Fn() -> FA,
    B: Fn() -> FB,
    FA: Future<Output = Slice>,
    FB: Future<Output = Slice>,
{
    let (mut ops_ratios, mut p99_ratios) = (Vec::new(), Vec::new());
    let (mut raw_ops, mut sub_ops, mut raw_p99, mut sub_p99) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let (mut a, mut b) = (Tally::default(), Tally::default());
        for slice in 0..SLICES {
            if (round + slice) % 2 == 0 {
                let (n, t, l) = raw().await;
                a.add(n, t, l);
                let (n, t, l) = subject().await;
                b.add(n, t, l);
            } else {
                let (n, t, l) = subject().await;
                b.add(n, t, l);
                let (n, t, l) = raw().await;
                a.add(n, t, l);
            }
        }
        let (pa, pb) = (a.p99().as_secs_f64() * 1e6, b.p99().as_secs_f64() * 1e6);
        ops_ratios.push(b.ops_per_sec() / a.ops_per_sec());
        p99_ratios.push(pb / pa);
        raw_ops.push(a.ops_per_sec());
        sub_ops.push(b.ops_per_sec());
        raw_p99.push(pa);
        sub_p99.push(pb);
    }
    [
        median(raw_ops),
        median(raw_p99),
        median(sub_ops),
        median(sub_p99),
        median(ops_ratios),
        median(p99_ratios),
    ]
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn report(
    mode: &str,
    [raw_ops, raw_p99, res_ops, res_p99, ops_ratio, p99_ratio]: [f64; 6],
) -> bool {
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
        module.register_method("eth_blockNumber", |_, _, _| "0x1").expect("register");
        module.register_method("echo", |params, _, _| params.one::<usize>()).expect("register");
        let server = Server::builder().build("127.0.0.1:0").await.expect("server");
        let url = format!("http://{}", server.local_addr().expect("addr"));
        let handle = server.start(module);

        let raw = Arc::new(HttpClient::builder().build(&url).expect("raw client"));
        let resilient = Arc::new(ResilientClient::builder().endpoint(&url).build().expect("resilient client"));
        // Same batch shape as the raw client (one request of 100) to measure overhead alone.
        let config = ResilienceConfig { batch_size: BATCH_ITEMS, ..ResilienceConfig::default() };
        let unchunked = Arc::new(ResilientClient::builder().endpoint(&url).config(config).build().expect("client"));
        // Warm both (connections, allocator).
        for _ in 0..3 {
            concurrent(Arc::clone(&raw)).await;
            concurrent(Arc::clone(&resilient)).await;
            concurrent(Arc::clone(&unchunked)).await;
        }

        println!("rpc-resilience overhead, median of {ROUNDS} rounds of {SLICES} alternating slices, no faults:");
        let seq = compare(|| sequential(Arc::clone(&raw)), || sequential(Arc::clone(&resilient))).await;
        let conc = compare(|| concurrent(Arc::clone(&raw)), || concurrent(Arc::clone(&resilient))).await;
        let bat = compare(|| batches(Arc::clone(&raw)), || batches(Arc::clone(&unchunked))).await;
        let chunked = compare(|| batches(Arc::clone(&raw)), || batches(Arc::clone(&resilient))).await;
        let all_ok = [
            report("sequential", seq),
            report(&format!("{CONCURRENT_CALLERS} concurrent callers"), conc),
            report(&format!("batches of {BATCH_ITEMS}"), bat),
        ]
        .iter()
        .all(|ok| *ok);
        println!("targets {}", if all_ok { "met" } else { "MISSED" });
        let _ = report(&format!("(info) default 2x{}", BATCH_ITEMS / 2), chunked);
        let metrics = resilient.metrics();
        println!(
            "resilient client: {} requests, {} retries, {} failures, p50 {:.0} us, p99 {:.0} us",
            metrics.requests,
            metrics.retries,
            metrics.failures,
            metrics.latency.p50_ms * 1000.0,
            metrics.latency.p99_ms * 1000.0
        );
        handle.stop().expect("stop");
    });
}
