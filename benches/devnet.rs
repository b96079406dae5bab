//! Devnet throughput: applied transfers per second over loopback into a file
//! ledger, batches of 100 versus one request per transfer, in one run.
//!
//! Target: at least 20,000 applied transfers/s with batches of 100. Both loads send
//! the same number of transfers from the same number of concurrent clients, so the
//! ratio shows what batching (one SQLite transaction per batch) buys. Ends with one JSON
//! line of the figures.

use std::time::Instant;

use jsonrpsee::core::client::ClientT;
use jsonrpsee::core::params::{ArrayParams, BatchRequestBuilder};
use jsonrpsee::rpc_params;
use luxtensor_devnet::{Devnet, DevnetConfig, DevnetHandle, LedgerPath};

#[path = "support/raw_client.rs"]
mod raw_client;
use raw_client::raw_client;

const CLIENTS: usize = 4;
const TRANSFERS: usize = 40_000;
const BATCH: usize = 100;

fn addr(n: usize) -> String {
    format!("0x{n:040x}")
}

/// Params of the `i`-th transfer of one client: one base unit, its own key.
fn transfer(treasury: &str, label: &str, task: usize, i: usize) -> ArrayParams {
    let key = format!("{label}-{task}-{i}");
    rpc_params![treasury, addr(100 + i % 1000), "0x1", key]
}

/// Sends `TRANSFERS` transfers from `CLIENTS` tasks, `per_request` per HTTP request;
/// returns applied transfers per second.
async fn load(devnet: &DevnetHandle, label: &str, per_request: usize) -> f64 {
    let treasury = addr(1);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for task in 0..CLIENTS {
        let client = raw_client(devnet);
        let treasury = treasury.clone();
        let label = label.to_owned();
        tasks.push(tokio::spawn(async move {
            let mine = TRANSFERS / CLIENTS;
            let mut applied = 0;
            for start in (0..mine).step_by(per_request) {
                let items = start..(start + per_request).min(mine);
                if per_request == 1 {
                    let params = transfer(&treasury, &label, task, start);
                    let _: serde_json::Value = client
                        .request("luxtensor_transfer", params)
                        .await
                        .expect("transfer");
                    applied += 1;
                } else {
                    let mut batch = BatchRequestBuilder::new();
                    for i in items {
                        let params = transfer(&treasury, &label, task, i);
                        batch.insert("luxtensor_transfer", params).expect("params");
                    }
                    let answer = client
                        .batch_request::<serde_json::Value>(batch)
                        .await
                        .expect("batch");
                    assert_eq!(answer.num_failed_calls(), 0, "failed transfers");
                    applied += answer.num_successful_calls();
                }
            }
            applied
        }));
    }
    let mut applied = 0;
    for task in tasks {
        applied += task.await.expect("task");
    }
    assert_eq!(applied, TRANSFERS);
    applied as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = DevnetConfig {
            ledger: LedgerPath::File(dir.path().join("bench.sqlite")),
            ..DevnetConfig::default()
        };
        let devnet = Devnet::start(config).await.expect("devnet");
        let supply = 10u128.pow(24);
        devnet.ledger().mint(&addr(1), supply, None).expect("mint");

        let batched = load(&devnet, "batched", BATCH).await;
        let single = load(&devnet, "single", 1).await;
        println!("devnet: {TRANSFERS} transfers, {CLIENTS} clients, file ledger (WAL, synchronous=NORMAL)");
        println!("  batches of {BATCH:<4}        {batched:>10.0} transfers/s (target >= 20000)");
        println!("  one request per transfer {single:>10.0} transfers/s");
        println!("  ratio batched / single   {:>10.1}x", batched / single);
        assert_eq!(devnet.ledger().sum_of_balances().expect("sum"), supply);
        println!(
            "{{\"bench\":\"devnet\",\"transfers\":{TRANSFERS},\"batch\":{BATCH},\"batched_per_s\":{batched:.0},\"single_per_s\":{single:.0},\"ratio_batched_to_single\":{:.2}}}",
            batched / single
        );
        devnet.shutdown().await;
    });
}
