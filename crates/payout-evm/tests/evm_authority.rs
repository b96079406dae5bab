//! On a real anvil the payout contract, not balances nor the journal, decides: transfers by
//! a third party never fail verification, paying the payout contract itself verifies, and
//! a reorg deeper than the confirmations is found and paid again.

use crate::evm_support;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use evm_support::{all_chunks, check, check_every_balance, dev_address, plan_for, Anvil};
use payout_evm::{Contracts, EvmPayout};
use payout_executor::{
    EpochExecutor, ExecutorConfig, ExecutorError, Journal, MintedSupply, Opening, Outcome,
    PayoutChain, PayoutPreview, Progress,
};
use serde_json::json;
use tokenomics_core::synthetic_inputs;
use tokenomics_core::{Address, Amount, EpochPlan, Params};

/// Anvil's second dev account: a stranger to the payouts that holds MDT (epoch 0 pays it).
const STRANGER: &str = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

/// An executor whose journals are `<name>.sqlite` and `<nonces>.nonces.sqlite` in `dir`.
async fn executor(
    anvil: &Anvil,
    contracts: Contracts,
    dir: &Path,
    name: &str,
    nonces: &str,
) -> EpochExecutor<EvmPayout> {
    let backend = anvil
        .backend(contracts, &dir.join(format!("{nonces}.nonces.sqlite")))
        .await;
    let journal = Journal::open(&dir.join(format!("{name}.sqlite"))).unwrap();
    EpochExecutor::new(
        Params::default(),
        ExecutorConfig::default(),
        backend,
        journal,
    )
}

/// The stranger sends 1 base unit of MDT to `to` (anvil signs for its dev accounts).
async fn stranger_sends_one_unit(anvil: &Anvil, contracts: Contracts, to: &str) {
    let data = format!("0xa9059cbb{:0>64}{:0>64}", to.trim_start_matches("0x"), "1");
    let call = json!({"from": STRANGER, "to": contracts.token.to_string(), "data": data});
    anvil.rpc("eth_sendTransaction", json!([call])).await;
}

/// The lowest recipient address of `plan` (always in the old balance sample).
fn lowest(plan: &EpochPlan) -> String {
    plan.transfers
        .iter()
        .map(|t| t.to)
        .min()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn one_unit_sent_by_a_stranger_before_during_and_after_epochs_never_fails_verification() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let payout = contracts.payout.to_string();
    let mut first = synthetic_inputs(0, 300);
    first.dao_address = STRANGER.parse::<Address>().unwrap();
    let mut running = executor(&anvil, contracts, dir.path(), "journal", "journal").await;
    let paid = running
        .run_epoch(first, MintedSupply::FromChain, &mut |_| {})
        .await
        .unwrap();
    check(paid.outcome, Outcome::Paid);

    let next = synthetic_inputs(1, 700);
    let target = lowest(&plan_for(&next, Amount::ZERO));
    // Before: the stranger's units arrive before the epoch's first reading.
    stranger_sends_one_unit(&anvil, contracts, &payout).await;
    stranger_sends_one_unit(&anvil, contracts, &target).await;
    // During: the epoch opened (minted), nothing paid yet: stopped there.
    let stop = running.stop_flag();
    let stopped = running
        .run_epoch(next.clone(), MintedSupply::FromChain, &mut |step| {
            if matches!(step, Progress::Minted { .. }) {
                stop.store(true, Ordering::SeqCst);
            }
        })
        .await;
    check(
        matches!(stopped, Err(ExecutorError::Interrupted { epoch: 1, .. })),
        true,
    );
    drop(running);
    stranger_sends_one_unit(&anvil, contracts, &payout).await;
    stranger_sends_one_unit(&anvil, contracts, &target).await;
    let mut running = executor(&anvil, contracts, dir.path(), "journal", "journal").await;
    let resumed = running
        .run_epoch(next.clone(), MintedSupply::FromChain, &mut |_| {})
        .await;
    let resumed = resumed.map_err(|e| e.to_string()).unwrap();
    check(resumed.outcome, Outcome::Paid);
    check(resumed.verified_records, resumed.transfers);
    // After: a rerun of the finished epoch and the next epoch still go through.
    stranger_sends_one_unit(&anvil, contracts, &payout).await;
    stranger_sends_one_unit(&anvil, contracts, &target).await;
    let again = running
        .run_epoch(next, MintedSupply::FromChain, &mut |_| {})
        .await
        .unwrap();
    check(again.outcome, Outcome::AlreadyDone);
    let later = running
        .run_epoch(
            synthetic_inputs(2, 400),
            MintedSupply::FromChain,
            &mut |_| {},
        )
        .await
        .map_err(|e| e.to_string())
        .unwrap();
    check(later.outcome, Outcome::Paid);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_transfer_to_the_payout_contract_itself_verifies() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let backend = anvil.backend(contracts, &dir.path().join("j.sqlite")).await;
    let payer = backend.payer();
    let mut inputs = synthetic_inputs(0, 400);
    inputs.dao_address = payer; // the DAO's share stays in the payout contract
    let plan = plan_for(&inputs, Amount::ZERO);
    check(plan.transfers.iter().any(|t| t.to == payer), true);
    let before = backend.baseline(&plan, 100).await.unwrap();
    let memo = Opening {
        plan_hash: plan.plan_hash,
        minted_supply: Amount::ZERO,
    };
    backend
        .open_epoch(&plan, &memo, Amount::ZERO)
        .await
        .unwrap();
    let stop = AtomicBool::new(false);
    backend
        .pay_chunks(&plan, &all_chunks(&plan), &mut |_| Ok(()), &stop)
        .await
        .unwrap();
    let verified = backend.verify(&plan, &memo, Some(&before), 100).await;
    let verified = verified.map_err(|e| e.to_string()).unwrap();
    check(verified.records, plan.transfers.len() as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_done_epoch_whose_opening_and_chunks_a_deep_reorg_took_is_opened_and_paid_again() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let inputs = synthetic_inputs(0, 900);
    let plan = plan_for(&inputs, Amount::ZERO);
    let mut first = executor(&anvil, contracts, dir.path(), "journal", "first").await;
    let paid = first
        .run_epoch(inputs.clone(), MintedSupply::FromChain, &mut |_| {})
        .await
        .unwrap();
    check(paid.outcome, Outcome::Paid);
    drop(first);
    // Automine: one block per transaction; the opening and its 3 chunks are gone.
    let txs = 1 + all_chunks(&plan).len() as u64;
    anvil.rpc("anvil_reorg", json!([txs, []])).await;
    check(
        anvil
            .backend(contracts, &dir.path().join("r.sqlite"))
            .await
            .epoch_record(0)
            .await
            .unwrap(),
        None,
    );
    let nonce = anvil.nonce(dev_address()).await;

    // The journal says done; the nonce journal is a fresh one (it cannot resend anything):
    // only the contract's record tells the run what is missing.
    let mut again = executor(&anvil, contracts, dir.path(), "journal", "second").await;
    let report = again
        .run_epoch(inputs, MintedSupply::FromChain, &mut |_| {})
        .await
        .map_err(|e| e.to_string())
        .unwrap();
    check(report.outcome, Outcome::Paid);
    check(report.confirmed_now, report.transfers);
    check(anvil.nonce(dev_address()).await, nonce + txs);
    check_every_balance(again.chain(), &plan).await;
}
