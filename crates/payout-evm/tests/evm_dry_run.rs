//! `EpochExecutor::dry_run` over the EVM `PayoutReader` (no key, no nonce journal, only
//! `PayoutPreview`) against a real anvil: the payout contract's figures, the transfers of
//! unpaid chunks, and the run's refusal of a contract short of the pool.

use crate::evm_support;

use std::path::Path;

use evm_support::{check, open_and_pay, plan_for, Anvil};
use payout_evm::{to_core, Contracts, EvmPayout, PayoutReader, CHUNK_SIZE};
use payout_executor::{
    DryRunAhead, EpochExecutor, ExecutorConfig, ExecutorError, Journal, MintedSupply, OnChain,
};
use tokenomics_core::synthetic_inputs;
use tokenomics_core::{Amount, Params};

/// A dry-run executor over the read-only views of `backend`'s contracts, with an empty
/// journal (as a dry run without the run's journal).
fn preview(backend: &EvmPayout) -> EpochExecutor<PayoutReader> {
    EpochExecutor::new(
        Params::default(),
        ExecutorConfig::default(),
        backend.reader().clone(),
        Journal::in_memory().unwrap(),
    )
}

/// Deploys and connects a backend whose nonce journal lies in `dir`.
async fn backend(anvil: &Anvil, dir: &Path) -> (EvmPayout, Contracts) {
    let contracts = anvil.deploy(dir).await;
    let backend = anvil.backend(contracts, &dir.join("nonces.sqlite")).await;
    (backend, contracts)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_dry_run_of_an_open_epoch_on_evm_would_send_the_transfers_of_unpaid_chunks_only() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let (backend, contracts) = backend(&anvil, dir.path()).await;
    let inputs = synthetic_inputs(0, 700);
    let plan = plan_for(&inputs, Amount::ZERO);
    assert!(plan.transfers.len() > CHUNK_SIZE, "more than one chunk");
    open_and_pay(&backend, &plan, &[0]).await.unwrap();

    let report = preview(&backend)
        .dry_run(inputs, MintedSupply::FromChain, &mut DryRunAhead::default())
        .await
        .unwrap();
    check(report.plan_hash, plan.plan_hash);
    check(report.on_chain, OnChain::Open);
    check(report.would_mint, false);
    check(report.to_send, (plan.transfers.len() - CHUNK_SIZE) as u64);
    check(report.treasury, to_core(contracts.payout));
    let held = backend.balance_of(contracts.payout).await.unwrap();
    check(report.treasury_balance, held);
    check(report.treasury_needed, None);
    check(report.samples, Vec::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_dry_run_on_evm_refuses_a_payout_contract_short_of_the_pool_as_a_run_would() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let (backend, _) = backend(&anvil, dir.path()).await;
    let mut inputs = synthetic_inputs(0, 10);
    inputs.recycling_pool = Amount::from_mdt(1_000).unwrap();

    let refused = preview(&backend)
        .dry_run(inputs, MintedSupply::FromChain, &mut DryRunAhead::default())
        .await;
    assert!(
        matches!(&refused, Err(ExecutorError::PoolShort(short)) if short.epoch == 0),
        "{refused:?}"
    );
}
