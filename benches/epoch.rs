//! End-to-end epoch benchmark: 100,000 recipients paid over loopback into the embedded
//! devnet with a file ledger and a file journal.
//!
//! Prints, from one run: the batched epoch's time (target: at most 10 s), the same epoch
//! sent one call per transfer (target: batching at least 20x faster), the batched epoch
//! under the fault mix (target: at least 0.7x the fault-free throughput), and
//! the peak heap of the batched run (target: at most 512 MiB).
//! Run: `cargo xtask bench epoch` (or `cargo bench --bench epoch`).

use std::time::{Duration, Instant};

use luxtensor_devnet::{Devnet, DevnetConfig, FaultConfig, LedgerPath};
use rpc_resilience::{ResilienceConfig, ResilientClient};
use tokenomics_core::Params;
use tokenomics_integration::{
    synthetic_inputs, Chain, EpochExecutor, ExecutorConfig, Journal, MintedSupply,
};

#[path = "support/peak_alloc.rs"]
mod peak_alloc;

#[global_allocator]
static ALLOCATOR: peak_alloc::PeakAlloc = peak_alloc::PeakAlloc;

const RECIPIENTS: usize = 100_000;
const TREASURY: &str = "0x7472656173757279000000000000000000000000";

/// Pays one epoch of `RECIPIENTS` into a fresh file-backed devnet; returns the time and
/// the transfers paid.
async fn epoch(batch_size: usize, faults: Option<FaultConfig>) -> (Duration, u64) {
    let dir = tempfile::tempdir().expect("temp dir");
    let devnet = Devnet::start(DevnetConfig {
        ledger: LedgerPath::File(dir.path().join("ledger.sqlite")),
        ..DevnetConfig::default()
    })
    .await
    .expect("devnet");
    if let Some(faults) = faults {
        devnet.set_faults(faults);
    }
    let rpc = ResilienceConfig {
        timeout_ms: 100,
        initial_backoff_ms: 10,
        max_backoff_ms: 100,
        max_attempts: 4,
        batch_size,
        retry_budget_ratio: 1.0,
        retry_budget_reserve: 10_000,
        recovery_timeout_ms: 200,
        // An 18% fault rate is the node's normal here: trip only on a node that is down.
        failure_threshold: 50,
        failure_rate_percent: 90,
        ..ResilienceConfig::default()
    };
    let client = ResilientClient::builder()
        .endpoint(devnet.url())
        .config(rpc)
        .idempotency(luxtensor_protocol::policy())
        .classifier(luxtensor_protocol::classifier())
        .bearer_token(Some(devnet.token().to_string()))
        .build()
        .expect("client");
    let mut config = ExecutorConfig::new(TREASURY.parse().expect("treasury"));
    config.round_pause = Duration::from_millis(50);
    config.max_rounds = 100;
    let journal = Journal::open(&dir.path().join("journal.sqlite")).expect("journal");
    let mut executor = EpochExecutor::new(Params::default(), config, Chain::new(client), journal);
    let inputs = synthetic_inputs(0, RECIPIENTS);
    let start = Instant::now();
    let report = executor
        .run_epoch(inputs, MintedSupply::FromChain, &mut |_| {})
        .await
        .expect("epoch paid");
    let elapsed = start.elapsed();
    devnet.shutdown().await;
    (elapsed, report.transfers)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let fault_mix = FaultConfig {
        seed: 42,
        error_rate: 0.10,
        late_rate: 0.05,
        late: Duration::from_millis(500),
        drop_rate: 0.02,
        rate_limit_rate: 0.01,
        retry_after: Duration::from_millis(50),
        ..FaultConfig::default()
    };
    let before = peak_alloc::reset_peak();
    let (batched, transfers) = runtime.block_on(epoch(50, None));
    let peak = peak_alloc::peak().saturating_sub(before);
    let (faulty, _) = runtime.block_on(epoch(50, Some(fault_mix)));
    let (single, _) = runtime.block_on(epoch(1, None));

    let rate = |d: Duration| transfers as f64 / d.as_secs_f64();
    println!("epoch benchmark: {transfers} transfers, file ledger + file journal, loopback");
    println!(
        "  batched (50 per request)      {:>8.2} s  {:>9.0} transfers/s   (target <= 10 s)",
        batched.as_secs_f64(),
        rate(batched)
    );
    println!(
        "  one call per transfer         {:>8.2} s  {:>9.0} transfers/s",
        single.as_secs_f64(),
        rate(single)
    );
    println!(
        "  batching speed-up             {:>8.1}x   (target >= 20x)",
        single.as_secs_f64() / batched.as_secs_f64()
    );
    println!(
        "  batched under the fault mix   {:>8.2} s  {:>9.0} transfers/s",
        faulty.as_secs_f64(),
        rate(faulty)
    );
    println!(
        "  fault-mix / fault-free        {:>8.2}x   (target >= 0.7x)",
        rate(faulty) / rate(batched)
    );
    println!(
        "  peak heap of the batched run  {:>8.1} MiB (target <= 512 MiB)",
        peak as f64 / (1024.0 * 1024.0)
    );
}
