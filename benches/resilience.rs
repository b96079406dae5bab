//! ResilientClient vs the raw jsonrpsee HttpClient, side by side in one run, against one local
//! jsonrpsee server: sequential calls, 64 concurrent callers, and batches of 100.
//!
//! Two figures per mode, both against raw jsonrpsee measured in the same run:
//! - **instructions per call** (per item for batches), which load from elsewhere cannot move:
//!   the benchmark runs itself again as a client-only child under callgrind (the server stays
//!   in this process, natively), on a current-thread runtime; after a warm-up the child runs
//!   raw, resilient, resilient, raw for each mode, one callgrind dump per phase. Target: at
//!   most 1.10x raw. Without valgrind these figures are null.
//! - **throughput**: each round is cut into short slices that alternate raw / resilient (who
//!   goes first alternates too), so load from elsewhere hits both sides alike; the median
//!   round ratio is reported. Target: at least 0.95x raw. p99 latency is shown beside it.
//!
//! Batches compare one request of 100 each (`batch_size` 100); the default 2 x 50 chunking is
//! printed for information. Run: `cargo xtask bench resilience`.

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use jsonrpsee::core::client::ClientT;
use jsonrpsee::core::params::BatchRequestBuilder;
use jsonrpsee::http_client::HttpClient;
use jsonrpsee::rpc_params;
use jsonrpsee::server::{RpcModule, Server};
use rpc_resilience::{ResilienceConfig, ResilientClient};

#[path = "support/callgrind.rs"]
mod callgrind;
#[path = "support/rounds.rs"]
mod rounds;

use rounds::{compare, Slice};

const SEQUENTIAL_CALLS_PER_SLICE: usize = 100;
const CONCURRENT_CALLERS: usize = 64;
const CALLS_PER_CALLER_PER_SLICE: usize = 6;
const BATCHES_PER_SLICE: usize = 5;
const BATCH_ITEMS: usize = 100;
/// The child run under callgrind gets the server's URL in this variable.
const CHILD_URL: &str = "RESILIENCE_BENCH_CHILD_URL";
/// Slices per counted phase in the child, per mode (sequential, concurrent, batches).
const COUNTED_SLICES: [usize; 3] = [10, 2, 4];

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

fn report(
    mode: &str,
    [raw_ops, raw_p99, res_ops, res_p99, ops_ratio, p99_ratio]: [f64; 6],
) -> bool {
    let ok = ops_ratio >= 0.95;
    println!(
        "  {mode:<22} raw {raw_ops:>7.0} ops/s p99 {raw_p99:>5.0} us | resilient {res_ops:>7.0} ops/s p99 {res_p99:>5.0} us | throughput x{ops_ratio:.3} (>= 0.95) {} p99 x{p99_ratio:.3}",
        if ok { "ok" } else { "MISSED" }
    );
    ok
}

/// The raw client, the resilient client (default 2 x 50 batch chunks) and one sending
/// batches of 100 whole, as the raw client does.
type Clients = (Arc<HttpClient>, Arc<ResilientClient>, Arc<ResilientClient>);

fn clients(url: &str) -> Clients {
    let raw = HttpClient::builder().build(url).expect("raw client");
    let resilient = ResilientClient::builder()
        .endpoint(url)
        .build()
        .expect("resilient client");
    // Same batch shape as the raw client (one request of 100) to measure overhead alone.
    let config = ResilienceConfig {
        batch_size: BATCH_ITEMS,
        ..ResilienceConfig::default()
    };
    let unchunked = ResilientClient::builder()
        .endpoint(url)
        .config(config)
        .build()
        .expect("client");
    (Arc::new(raw), Arc::new(resilient), Arc::new(unchunked))
}

/// Warms every client: connections, allocator, lazy statics.
async fn warm_up((raw, resilient, unchunked): &Clients) {
    for _ in 0..3 {
        concurrent(Arc::clone(raw)).await;
        concurrent(Arc::clone(resilient)).await;
        concurrent(Arc::clone(unchunked)).await;
        batches(Arc::clone(raw)).await;
        batches(Arc::clone(unchunked)).await;
    }
}

/// Runs `slices` slices of `work`, then ends the phase (one callgrind dump).
async fn phase<F: Future<Output = Slice>>(slices: usize, work: impl Fn() -> F) {
    for _ in 0..slices {
        work().await;
    }
    callgrind::mark();
}

/// The child under callgrind: client side only, one thread; per mode raw, resilient,
/// resilient, raw, each phase `COUNTED_SLICES` slices.
fn child(url: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let clients = clients(url);
        warm_up(&clients).await;
        callgrind::mark();
        let (raw, resilient, unchunked) = &clients;
        let [seq, conc, bat] = COUNTED_SLICES;
        phase(seq, || sequential(Arc::clone(raw))).await;
        phase(seq, || sequential(Arc::clone(resilient))).await;
        phase(seq, || sequential(Arc::clone(resilient))).await;
        phase(seq, || sequential(Arc::clone(raw))).await;
        phase(conc, || concurrent(Arc::clone(raw))).await;
        phase(conc, || concurrent(Arc::clone(resilient))).await;
        phase(conc, || concurrent(Arc::clone(resilient))).await;
        phase(conc, || concurrent(Arc::clone(raw))).await;
        phase(bat, || batches(Arc::clone(raw))).await;
        phase(bat, || batches(Arc::clone(unchunked))).await;
        phase(bat, || batches(Arc::clone(unchunked))).await;
        phase(bat, || batches(Arc::clone(raw))).await;
    });
}

/// Instructions per call (raw, resilient) for each mode, from the child's dumps.
fn instructions(url: &str) -> Result<[(f64, f64); 3], String> {
    let dumps = callgrind::run_child(&[(CHILD_URL, url)])?;
    if dumps.len() < 13 {
        return Err(format!("callgrind gave {} dumps, 13 expected", dumps.len()));
    }
    let ops_per_slice = [
        SEQUENTIAL_CALLS_PER_SLICE,
        CONCURRENT_CALLERS * CALLS_PER_CALLER_PER_SLICE,
        BATCHES_PER_SLICE * BATCH_ITEMS,
    ];
    Ok(std::array::from_fn(|mode| {
        let d = &dumps[1 + 4 * mode..5 + 4 * mode];
        let ops = (2 * COUNTED_SLICES[mode] * ops_per_slice[mode]) as f64;
        ((d[0] + d[3]) as f64 / ops, (d[1] + d[2]) as f64 / ops)
    }))
}

fn main() {
    if let Ok(url) = std::env::var(CHILD_URL) {
        return child(&url);
    }
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

        let child_url = url.clone();
        let counted = tokio::task::spawn_blocking(move || instructions(&child_url)).await.expect("callgrind");
        let modes = ["sequential".to_string(), format!("{CONCURRENT_CALLERS} concurrent callers"), format!("batches of {BATCH_ITEMS}")];
        let mut instruction_ratios = [None; 3];
        let mut all_ok = true;
        match &counted {
            Ok(per_call) => {
                println!("rpc-resilience instructions per call (per item for batches), client process only, callgrind:");
                for (mode, ((raw, res), ratio)) in modes.iter().zip(per_call.iter().zip(&mut instruction_ratios)) {
                    let r = res / raw;
                    *ratio = Some(r);
                    all_ok &= r <= 1.10;
                    println!("  {mode:<22} raw {raw:>9.0} | resilient {res:>9.0} | x{r:.3} (<= 1.10) {}", if r <= 1.10 { "ok" } else { "MISSED" });
                }
            }
            Err(why) => println!("rpc-resilience instructions per call: {why}"),
        }

        let (raw, resilient, unchunked) = clients(&url);
        warm_up(&(Arc::clone(&raw), Arc::clone(&resilient), Arc::clone(&unchunked))).await;
        let (rounds, slices) = (rounds::ROUNDS, rounds::SLICES);
        println!("rpc-resilience throughput, median of {rounds} rounds of {slices} alternating slices, no faults:");
        let seq = compare(|| sequential(Arc::clone(&raw)), || sequential(Arc::clone(&resilient))).await;
        let conc = compare(|| concurrent(Arc::clone(&raw)), || concurrent(Arc::clone(&resilient))).await;
        let bat = compare(|| batches(Arc::clone(&raw)), || batches(Arc::clone(&unchunked))).await;
        let chunked = compare(|| batches(Arc::clone(&raw)), || batches(Arc::clone(&resilient))).await;
        for (mode, figures) in modes.iter().zip([seq, conc, bat]) {
            all_ok &= report(mode, figures);
        }
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
        println!("targets {}", if all_ok && counted.is_ok() { "met" } else { "MISSED" });
        let json = |r: Option<f64>| r.map_or("null".to_string(), |r| format!("{r:.3}"));
        println!(
            "{{\"bench\":\"resilience\",\"throughput_ratio_seq\":{:.3},\"throughput_ratio_concurrent\":{:.3},\"throughput_ratio_batch\":{:.3},\"p99_ratio_max\":{:.3},\"instructions_ratio_seq\":{},\"instructions_ratio_concurrent\":{},\"instructions_ratio_batch\":{}}}",
            seq[4], conc[4], bat[4], seq[5].max(conc[5]).max(bat[5]),
            json(instruction_ratios[0]), json(instruction_ratios[1]), json(instruction_ratios[2])
        );
        handle.stop().expect("stop");
    });
}
