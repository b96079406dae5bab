//! The payout contract's state decides when an opening or a chunk is done, whatever the
//! node's receipts and block hashes say: a reorg deeper than the confirmations between
//! two runs does not make the next run wait, and a receipt that says a chunk's
//! transaction succeeded while the contract does not show the chunk paid confirms
//! nothing (the chunk is sent again under a new nonce), with every block hash zero.

use crate::evm_support;

use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Duration;

use evm_support::zero_hashes::ZeroHashes;
use evm_support::{check, check_every_balance, dev_address, plan_for, signer, Anvil};
use payout_evm::{chunk_count, Contracts, EvmPayout};
use payout_executor::{EpochExecutor, ExecutorConfig, Journal, MintedSupply, Outcome, Progress};
use rpc_resilience::{ResilienceConfig, ResilientClient};
use serde_json::json;
use tokenomics_core::{synthetic_inputs, Amount, Params};

/// A sender config that gives up after 5 s of waiting for one operation: far longer than
/// any wait of these tests, far shorter than a test run.
fn impatient(anvil: &Anvil) -> evm_sender::SenderConfig {
    let mut config = anvil.config();
    config.confirmations = 1;
    config.confirm_timeout = Some(Duration::from_secs(5));
    config
}

fn executor(backend: EvmPayout, journal: &Path) -> EpochExecutor<EvmPayout> {
    let journal = Journal::open(journal).unwrap();
    EpochExecutor::new(
        Params::default(),
        ExecutorConfig::default(),
        backend,
        journal,
    )
}

/// The token's total supply.
async fn supply(backend: &EvmPayout) -> Amount {
    backend.minted_supply().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_run_after_a_three_block_reorg_of_a_partly_paid_epoch_finishes_without_a_timeout() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let inputs = synthetic_inputs(0, 1_500);
    let plan = plan_for(&inputs, Amount::ZERO);
    let (nonces, journal) = (dir.path().join("n.sqlite"), dir.path().join("j.sqlite"));
    let backend = anvil
        .backend_with(impatient(&anvil), contracts, &nonces)
        .await;
    let mut first = executor(backend, &journal);
    let stop = first.stop_flag();
    let stopped = first
        .run_epoch(inputs.clone(), MintedSupply::FromChain, &mut |step| {
            if matches!(step, Progress::Confirmed { .. }) {
                stop.store(true, Ordering::SeqCst);
            }
        })
        .await;
    check(stopped.is_err(), true); // interrupted with chunks left
    let paid = first
        .chain()
        .paid_chunks(0, chunk_count(&plan))
        .await
        .unwrap();
    check(paid.iter().filter(|p| **p).count() >= 3, true);
    check(paid.iter().all(|p| *p), false);
    drop(first);
    // Automine: one block per transaction; the last three chunks paid are gone.
    anvil.rpc("anvil_reorg", json!([3, []])).await;

    let backend = anvil
        .backend_with(impatient(&anvil), contracts, &nonces)
        .await;
    let mut second = executor(backend, &journal);
    let report = second
        .run_epoch(inputs, MintedSupply::FromChain, &mut |_| {})
        .await
        .map_err(|e| e.to_string());
    check(report.map(|r| r.outcome), Ok(Outcome::Paid));
    check_every_balance(second.chain(), &plan).await;
    check(supply(second.chain()).await, plan.from_mint);
}

/// A backend whose sender talks to `url` (a proxy in front of anvil).
async fn backend_at(anvil: &Anvil, url: &str, contracts: Contracts, nonces: &Path) -> EvmPayout {
    let client = ResilientClient::builder()
        .endpoint(url)
        .config(ResilienceConfig {
            initial_backoff_ms: 10,
            max_backoff_ms: 50,
            ..ResilienceConfig::default()
        })
        .classifier(evm_sender::EvmClassifier)
        .build()
        .unwrap();
    EvmPayout::connect(impatient(anvil), client, signer(), contracts, nonces)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_success_receipt_for_a_chunk_the_contract_does_not_show_paid_confirms_nothing() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let node = ZeroHashes::start(anvil.client.clone(), &dev_address().to_string()).await;
    let inputs = synthetic_inputs(0, 900);
    let plan = plan_for(&inputs, Amount::ZERO);
    let backend = backend_at(&anvil, &node.url, contracts, &dir.path().join("n.sqlite")).await;
    let mut running = executor(backend, &dir.path().join("j.sqlite"));
    let armed = node.armed.clone();
    // Once the epoch is open, chunk 0's transaction is kept from anvil: its nonce is used,
    // the chunk unpaid, and its receipt says status 1 in a block with a zero hash.
    let report = running
        .run_epoch(inputs.clone(), MintedSupply::FromChain, &mut |step| {
            if matches!(step, Progress::Minted { .. }) {
                armed.store(true, Ordering::SeqCst);
            }
        })
        .await
        .map_err(|e| e.to_string());
    check(report.map(|r| r.outcome), Ok(Outcome::Paid));
    check(armed.load(Ordering::SeqCst), false); // a transaction was kept
    check_every_balance(running.chain(), &plan).await;
    check(supply(running.chain()).await, plan.from_mint);
    let again = running
        .run_epoch(inputs, MintedSupply::FromChain, &mut |_| {})
        .await
        .unwrap();
    check(again.outcome, Outcome::AlreadyDone);
}
