//! The EVM payout backend against a real anvil: deploy, open, pay in chunks, verify;
//! exactly once with a fresh journal, re-runs, refusals before anything is sent.

use crate::evm_support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use evm_support::{all_chunks, check, check_every_balance, dev_address, opening, plan_for, Anvil};
use payout_evm::{chunk_count, EvmPayout, PaidChunk};
use payout_executor::ExecutorError;
use tokenomics_core::synthetic_inputs;
use tokenomics_core::Amount;

/// Pays every chunk of `plan`; returns the chunks reported.
async fn pay_all(backend: &EvmPayout, plan: &tokenomics_core::EpochPlan) -> Vec<PaidChunk> {
    let mut reported = Vec::new();
    let stop = AtomicBool::new(false);
    backend
        .pay_chunks(
            plan,
            &all_chunks(plan),
            &mut |c| {
                reported.push(c);
                Ok(())
            },
            &stop,
        )
        .await
        .unwrap();
    reported
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn an_epoch_of_1000_recipients_pays_every_balance_and_mints_from_mint() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let backend = anvil.backend(contracts, &dir.path().join("j.sqlite")).await;
    let minted = backend.minted_supply().await.unwrap();
    let plan = plan_for(&synthetic_inputs(1, 1_000), minted);
    let before = backend.balances(&plan, 16).await.unwrap();
    let started = Instant::now();
    check(
        backend
            .open_epoch(&plan, &opening(&plan, minted), Amount::ZERO)
            .await
            .unwrap(),
        false,
    );
    let reported = pay_all(&backend, &plan).await;
    let elapsed = started.elapsed();
    let gas: u64 = reported
        .iter()
        .filter_map(|c| c.confirmation)
        .map(|c| c.gas_used)
        .sum();
    eprintln!(
        "{} transfers in {} chunks: {gas} gas ({} per transfer), {elapsed:?}",
        plan.transfers.len(),
        reported.len(),
        gas / plan.transfers.len() as u64
    );
    check(reported.len(), chunk_count(&plan));
    check_every_balance(&backend, &plan).await;
    check(backend.verify_balances(&plan, &before).await.unwrap(), 16);
    check(
        backend.minted_supply().await.unwrap(),
        minted.checked_add(plan.from_mint, "t").unwrap(),
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn opening_again_with_the_same_plan_sends_nothing_and_another_plan_is_a_conflict() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let backend = anvil.backend(contracts, &dir.path().join("j.sqlite")).await;
    let plan = plan_for(&synthetic_inputs(3, 10), Amount::ZERO);
    check(
        backend
            .open_epoch(&plan, &opening(&plan, Amount::ZERO), Amount::ZERO)
            .await
            .unwrap(),
        false,
    );
    let nonce = anvil.nonce(dev_address()).await;
    check(
        backend
            .open_epoch(&plan, &opening(&plan, Amount::ZERO), Amount::ZERO)
            .await
            .unwrap(),
        true,
    );
    let other = plan_for(&synthetic_inputs(3, 20), Amount::ZERO);
    let refused = backend
        .open_epoch(&other, &opening(&other, Amount::ZERO), Amount::ZERO)
        .await;
    check(
        matches!(refused, Err(ExecutorError::ChainConflict { epoch: 3, .. })),
        true,
    );
    check(anvil.nonce(dev_address()).await, nonce);
    let record = backend.epoch_record(3).await.unwrap();
    check(record, Some((opening(&plan, Amount::ZERO), plan.from_mint)));
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_fresh_journal_on_a_half_paid_epoch_pays_only_the_missing_chunks() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let mut first = anvil
        .backend(contracts, &dir.path().join("first.sqlite"))
        .await;
    first.set_chunks_in_flight(1);
    let plan = plan_for(&synthetic_inputs(2, 1_000), Amount::ZERO);
    first
        .open_epoch(&plan, &opening(&plan, Amount::ZERO), Amount::ZERO)
        .await
        .unwrap();
    let stop = AtomicBool::new(false);
    let stopped = first
        .pay_chunks(
            &plan,
            &all_chunks(&plan),
            &mut |_| {
                stop.store(true, Ordering::Relaxed);
                Ok(())
            },
            &stop,
        )
        .await;
    check(
        matches!(stopped, Err(ExecutorError::Interrupted { epoch: 2, .. })),
        true,
    );
    let paid = first.paid_chunks(2, chunk_count(&plan)).await.unwrap();
    check(paid, vec![true, false, false, false]);
    drop(first);

    let nonce = anvil.nonce(dev_address()).await;
    let second = anvil
        .backend(contracts, &dir.path().join("second.sqlite"))
        .await;
    // The epoch's record on chain gives the plan back; opening again sends nothing.
    check(
        second.epoch_record(2).await.unwrap(),
        Some((opening(&plan, Amount::ZERO), plan.from_mint)),
    );
    check(
        second
            .open_epoch(&plan, &opening(&plan, Amount::ZERO), Amount::ZERO)
            .await
            .unwrap(),
        true,
    );
    let reported = pay_all(&second, &plan).await;
    let sent: Vec<(u32, bool)> = reported
        .iter()
        .map(|c| (c.chunk, c.confirmation.is_some()))
        .collect();
    check(sent, vec![(0, false), (1, true), (2, true), (3, true)]);
    check(anvil.nonce(dev_address()).await, nonce + 3);
    check_every_balance(&second, &plan).await;
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_finished_epoch_run_again_sends_no_transaction() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let journal = dir.path().join("j.sqlite");
    let backend = anvil.backend(contracts, &journal).await;
    let plan = plan_for(&synthetic_inputs(4, 400), Amount::ZERO);
    backend
        .open_epoch(&plan, &opening(&plan, Amount::ZERO), Amount::ZERO)
        .await
        .unwrap();
    pay_all(&backend, &plan).await;
    drop(backend);
    let nonce = anvil.nonce(dev_address()).await;

    let again = anvil.backend(contracts, &journal).await;
    check(
        again
            .open_epoch(&plan, &opening(&plan, Amount::ZERO), Amount::ZERO)
            .await
            .unwrap(),
        true,
    );
    let reported = pay_all(&again, &plan).await;
    check(reported.len(), chunk_count(&plan));
    check(anvil.nonce(dev_address()).await, nonce);
}
