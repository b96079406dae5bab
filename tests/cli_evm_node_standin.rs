//! `tokenomics deploy` and `tokenomics run --chain evm` through a stand-in of Luxtensor's EVM node with every
//! behaviour on at once (`StandInConfig::luxtensor()`: zero block hashes, made-up receipts,
//! 16 pending slots per sender, 100 requests a minute, the intrinsic gas rule, hidden
//! reverts, a low `eth_gasPrice`, block gas overflow, a tag-less nonce) pays a
//! 5,000-recipient epoch exactly once, SIGKILLed twice on the way (once the opening is on
//! chain, once some chunks are paid, both read from the contract on the anvil behind), and
//! the last rerun finishes. The run keeps `[rpc] requests_per_minute = 90`, under the node's
//! 100, so it never meets a 429 of its own making.
//!
//! The binary runs in real time, so the node's request window is a real minute: the test
//! prints how long it took and how many requests reached the stand-in.

use crate::anvil::Anvil;
use crate::common::text;
use crate::evm::{self, Evm};

use std::path::Path;
use std::time::{Duration, Instant};

use node_standin::{NodeStandIn, StandInConfig};
use payout_evm::{chunk_count, Contracts, PayoutReader};
use rpc_resilience::ResilientClient;
use tokio::process::Child;

/// The run's budget: below the node's 100 requests a minute.
const REQUESTS_PER_MINUTE: u64 = 90;

/// `[rpc] requests_per_minute` and `[evm] max_pending` in `dir/node.toml`.
fn config(dir: &Path) -> String {
    let path = dir.join("node.toml");
    let toml =
        format!("[rpc]\nrequests_per_minute = {REQUESTS_PER_MINUTE}\n\n[evm]\nmax_pending = 16\n");
    std::fs::write(&path, toml).unwrap();
    path.to_string_lossy().into_owned()
}

/// Reads the payout contract on the anvil behind the stand-in (not through it: the test's
/// own reads take nothing from the node's window).
fn contract_reader(url: &str, contracts: Contracts) -> PayoutReader {
    let client = ResilientClient::builder()
        .endpoint(url)
        .classifier(evm_sender::EvmClassifier)
        .build()
        .unwrap();
    PayoutReader::new(evm_sender::EvmReader::new(client, 0), contracts)
}

/// Waits until the contract shows `epoch` open with at least `chunks` chunks paid, then
/// SIGKILLs `run`; panics if the run ends first.
async fn kill_once(reader: &PayoutReader, epoch: u64, chunks: u32, mut run: Child) {
    let deadline = Instant::now() + Duration::from_secs(240);
    while Instant::now() < deadline {
        let state = reader.epoch_state(epoch, None).await.unwrap();
        if state.is_some_and(|state| state.chunks_paid >= chunks) {
            run.kill().await.unwrap();
            return;
        }
        if run.try_wait().unwrap().is_some() {
            let out = run.wait_with_output().await.unwrap();
            panic!(
                "the run ended before {chunks} chunks were paid: {}",
                text(&out.stderr)
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{chunks} chunks not paid within 4 minutes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn through_every_node_behaviour_at_once_a_deploy_and_a_run_killed_twice_pay_5000_recipients_once(
) {
    let anvil = Anvil::start();
    let stand_in = NodeStandIn::in_front_of(&anvil.url, StandInConfig::luxtensor())
        .await
        .unwrap();
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let mut deploy = evm::deploy(stand_in.url(), &dir.path().join("deploy.sqlite"));
    let contracts = evm::deployed(&deploy.output().await.unwrap());
    let deploy_requests = stand_in.counters().requests;
    let evm = Evm {
        anvil,
        dir,
        contracts,
    };
    let config = config(evm.dir.path());
    let (inputs, plan) = evm::inputs(0, 5_000);
    let chunks = chunk_count(&plan) as u32;
    assert!(chunks >= 16, "{chunks} chunks: more than one pool's worth");
    let file = evm.inputs(&inputs);
    let reader = contract_reader(&evm.anvil.url, evm.contracts);
    let extra = ["--config", config.as_str()];

    let run = |_: ()| {
        evm.run_via(stand_in.url(), &file, "journal.sqlite", &extra)
            .spawn()
            .unwrap()
    };
    kill_once(&reader, plan.epoch, 0, run(())).await;
    kill_once(&reader, plan.epoch, chunks / 3, run(())).await;
    let out = run(()).wait_with_output().await.unwrap();
    evm::check_success(&out);
    let counters = stand_in.counters();
    eprintln!(
        "deploy and 5,000 recipients in {chunks} chunks, two kills: {:.1} s, {} requests \
         through the node stand-in ({deploy_requests} deploying, {} answered 429), {} \
         transactions dropped by its rules",
        started.elapsed().as_secs_f64(),
        counters.requests,
        counters.rate_limited,
        counters.dropped(),
    );

    evm.check_paid_once(&plan).await;
}
