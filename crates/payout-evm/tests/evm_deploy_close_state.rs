//! Deploying and closing are done when the chain shows them, as an opening or a chunk:
//! through a node that answers every block hash as zero (and, once armed, a transaction
//! kept from the chain whose nonce is used and whose made-up receipt says status 1), a
//! deployment finishes with contracts that exist and are owned as the backend needs, and a
//! stranded epoch closes. (Confirming by block hash stopped both with `NoBlockHash`.)

use crate::evm_support;

use std::path::Path;
use std::sync::atomic::Ordering;

use evm_sender::EvmSender;
use evm_support::zero_hashes::ZeroHashes;
use evm_support::{check, dev_address, open_and_pay, plan_for, signer, Anvil};
use payout_evm::{Contracts, EvmPayout};
use rpc_resilience::ResilientClient;
use tokenomics_core::synthetic_inputs;
use tokenomics_core::{Amount, ZERO_ADDRESS};

/// A client of `url` (the zero-hash node).
fn client(url: &str) -> ResilientClient {
    ResilientClient::builder()
        .endpoint(url)
        .classifier(evm_sender::EvmClassifier)
        .build()
        .unwrap()
}

/// Deploys through `url` with the dev key (nonce journal `journal`).
async fn deploy_through(anvil: &Anvil, url: &str, journal: &Path) -> Contracts {
    let sender = EvmSender::open(anvil.config(), client(url), signer(), journal)
        .await
        .unwrap();
    EvmPayout::deploy(&sender).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_deployment_through_zero_block_hashes_and_a_lying_receipt_creates_owned_contracts() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let node = ZeroHashes::start(anvil.client.clone(), &dev_address().to_string()).await;
    // The token's creation is kept from anvil: its nonce used, a status-1 receipt made up.
    node.armed.store(true, Ordering::SeqCst);
    let journal = dir.path().join("deploy.sqlite");
    let contracts = deploy_through(&anvil, &node.url, &journal).await;
    check(node.armed.load(Ordering::SeqCst), false);
    // Owned as a run needs: connecting checks both owners through anvil itself.
    let backend = anvil.backend(contracts, &dir.path().join("n.sqlite")).await;
    check(backend.contracts(), contracts);
    // Run again with its journal: the same contracts, nothing sent.
    let nonce = anvil.nonce(dev_address()).await;
    check(deploy_through(&anvil, &node.url, &journal).await, contracts);
    check(anvil.nonce(dev_address()).await, nonce);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_stranded_epoch_closes_through_a_node_answering_zero_block_hashes() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let nonces = dir.path().join("n.sqlite");
    let mut plan = plan_for(&synthetic_inputs(7, 400), Amount::ZERO);
    plan.transfers[350].to = ZERO_ADDRESS; // chunk 1 can never be paid
    plan.plan_hash = plan.compute_hash();
    let backend = anvil.backend(contracts, &nonces).await;
    open_and_pay(&backend, &plan, &[0]).await.unwrap();
    drop(backend);

    let node = ZeroHashes::start(anvil.client.clone(), &dev_address().to_string()).await;
    let backend = EvmPayout::connect(
        anvil.config(),
        client(&node.url),
        signer(),
        contracts,
        &nonces,
    )
    .await
    .unwrap();
    let closed = backend.close_epoch(7, 2).await.map_err(|e| e.to_string());
    check(closed.is_ok(), true);
    check(backend.epoch_closed(7).await.unwrap(), true);
    // Again: the journaled close, nothing sent.
    let nonce = anvil.nonce(dev_address()).await;
    check(backend.close_epoch(7, 2).await.ok(), closed.ok());
    check(anvil.nonce(dev_address()).await, nonce);
}
