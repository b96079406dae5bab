//! `EpochExecutor<EvmPayout>` against a real anvil: the executor's plan, journal,
//! report and verification over the EVM backend, exactly once across journals.

use crate::evm_support;

use std::path::Path;

use evm_support::{check, check_every_balance, dev_address, plan_for, Anvil};
use payout_evm::{Contracts, EvmPayout};
use payout_executor::{
    EpochExecutor, EpochReport, ExecutorConfig, ExecutorError, Journal, MintedSupply, Outcome,
};
use tokenomics_core::synthetic_inputs;
use tokenomics_core::{Amount, Params};

/// An executor over a fresh backend whose journals are `<name>.sqlite` and
/// `<name>.nonces.sqlite` in `dir`.
async fn executor(
    anvil: &Anvil,
    contracts: Contracts,
    dir: &Path,
    name: &str,
) -> EpochExecutor<EvmPayout> {
    let backend = anvil
        .backend(contracts, &dir.join(format!("{name}.nonces.sqlite")))
        .await;
    executor_over(backend, dir, name)
}

/// An executor over `backend` with the journal `<name>.sqlite` in `dir`.
fn executor_over(backend: EvmPayout, dir: &Path, name: &str) -> EpochExecutor<EvmPayout> {
    let journal = Journal::open(&dir.join(format!("{name}.sqlite"))).unwrap();
    EpochExecutor::new(
        Params::default(),
        ExecutorConfig::default(),
        backend,
        journal,
    )
}

/// Pays `epoch` of a synthetic network of `participants`, minted supply from the chain.
async fn pay(
    executor: &mut EpochExecutor<EvmPayout>,
    epoch: u64,
    participants: usize,
) -> Result<EpochReport, ExecutorError> {
    let inputs = synthetic_inputs(epoch, participants);
    executor
        .run_epoch(inputs, MintedSupply::FromChain, &mut |_| {})
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn an_epoch_paid_through_the_executor_pays_every_balance_and_verifies_them() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let mut executor = executor(&anvil, contracts, dir.path(), "journal").await;
    let report = pay(&mut executor, 0, 700).await.unwrap();
    check(report.outcome, Outcome::Paid);
    check(report.confirmed_now, report.recipients);
    // Verified by the contract's record and the paying receipts' Transfer logs (every
    // chunk: fewer chunks than `verify_sample`), never by balances.
    check(report.verified_records, report.transfers);
    check(report.verified_recipients, 0);
    let plan = plan_for(&synthetic_inputs(0, 700), Amount::ZERO);
    check_every_balance(executor.chain(), &plan).await;
    check(
        executor.journal().epoch(0).unwrap().map(|r| r.treasury),
        Some(executor.payer()),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_finished_epoch_run_again_with_its_journal_sends_no_transaction() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let mut executor = executor(&anvil, contracts, dir.path(), "journal").await;
    pay(&mut executor, 1, 400).await.unwrap();
    let nonce = anvil.nonce(dev_address()).await;
    let again = pay(&mut executor, 1, 400).await.unwrap();
    check(again.outcome, Outcome::AlreadyDone);
    check(anvil.nonce(dev_address()).await, nonce);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_fresh_journal_on_a_finished_epoch_sends_nothing_and_reports_it_paid_on_chain() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let mut first = executor(&anvil, contracts, dir.path(), "first").await;
    pay(&mut first, 2, 650).await.unwrap();
    drop(first);
    let nonce = anvil.nonce(dev_address()).await;
    let supply = anvil_supply(&anvil, contracts, dir.path()).await;

    let mut fresh = executor(&anvil, contracts, dir.path(), "fresh").await;
    let report = pay(&mut fresh, 2, 650).await.unwrap();
    check(report.outcome, Outcome::AlreadyPaidOnChain);
    check(report.found_on_chain, report.recipients);
    check(anvil.nonce(dev_address()).await, nonce);
    check(fresh.chain().minted_supply().await.unwrap(), supply);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_fresh_journal_on_a_half_paid_epoch_pays_only_what_is_missing() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let mut backend = anvil
        .backend(contracts, &dir.path().join("first.nonces.sqlite"))
        .await;
    backend.set_chunks_in_flight(1); // so that the stop lands before the last chunk
    let mut first = executor_over(backend, dir.path(), "first");
    let stop = first.stop_flag();
    let inputs = synthetic_inputs(3, 1_000);
    let stopped = first
        .run_epoch(inputs, MintedSupply::FromChain, &mut |step| {
            if matches!(step, payout_executor::Progress::Confirmed { .. }) {
                stop.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        })
        .await;
    check(
        matches!(stopped, Err(ExecutorError::Interrupted { epoch: 3, .. })),
        true,
    );
    drop(first);

    let mut fresh = executor(&anvil, contracts, dir.path(), "fresh").await;
    let report = pay(&mut fresh, 3, 1_000).await.unwrap();
    check(report.outcome, Outcome::Paid);
    check(report.found_on_chain > 0, true);
    check(
        report.found_on_chain + report.confirmed_now,
        report.recipients,
    );
    let plan = plan_for(&synthetic_inputs(3, 1_000), Amount::ZERO);
    check_every_balance(fresh.chain(), &plan).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn another_plan_for_an_opened_epoch_is_refused_before_any_transaction() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let mut first = executor(&anvil, contracts, dir.path(), "first").await;
    pay(&mut first, 4, 300).await.unwrap();
    drop(first);
    let nonce = anvil.nonce(dev_address()).await;
    let mut other = executor(&anvil, contracts, dir.path(), "other").await;
    let refused = pay(&mut other, 4, 301).await;
    check(
        matches!(refused, Err(ExecutorError::ChainConflict { epoch: 4, .. })),
        true,
    );
    check(anvil.nonce(dev_address()).await, nonce);
}

/// The token's total supply, read through a backend of its own.
async fn anvil_supply(anvil: &Anvil, contracts: Contracts, dir: &Path) -> Amount {
    let reader = anvil.backend(contracts, &dir.join("reader.sqlite")).await;
    reader.minted_supply().await.unwrap()
}
