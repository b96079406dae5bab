//! The chain decides what was paid: lost journals, concurrent runs, other plans for a
//! started epoch, the treasury's funds, and the journal's own lock and schema.

use crate::support;

use luxtensor_devnet::{Devnet, DevnetConfig, DevnetHandle};
use payout_executor::{
    EpochExecutor, ExecutorConfig, ExecutorError, Journal, JournalError, MintedSupply, Outcome,
};
use payout_luxtensor::LuxtensorPayout;
use support::{check_ledger, executor, plan_for, run, TREASURY};
use tokenomics_core::synthetic_inputs;
use tokenomics_core::{Amount, EpochInputs, Fraction, Params};

fn mdt(whole: u128) -> Amount {
    Amount::from_mdt(whole).unwrap()
}

async fn devnet() -> DevnetHandle {
    Devnet::start(DevnetConfig::default()).await.unwrap()
}

/// Runs `inputs` with a fresh journal and expects a chain conflict before any write.
#[track_caller]
fn check_refused_before_any_write(devnet: &DevnetHandle, block: u64, error: &ExecutorError) {
    assert!(
        matches!(error, ExecutorError::ChainConflict { epoch: 0, .. }),
        "{error}"
    );
    assert!(error.is_bad_input(), "exit 2: {error}");
    assert_eq!(devnet.ledger().block_number(), block, "nothing was sent");
}

#[tokio::test]
async fn a_finished_epoch_with_a_lost_journal_is_found_paid_on_chain() {
    let devnet = devnet().await;
    let inputs = synthetic_inputs(0, 200);
    run(
        &mut executor(&devnet, Journal::in_memory().unwrap()),
        inputs.clone(),
    )
    .await
    .unwrap();
    let block = devnet.ledger().block_number();
    let mut fresh = executor(&devnet, Journal::in_memory().unwrap());
    let report = run(&mut fresh, inputs.clone()).await.unwrap();
    assert_eq!(report.outcome, Outcome::AlreadyPaidOnChain);
    assert_eq!(report.confirmed_now, 0);
    assert_eq!(report.found_on_chain, report.transfers);
    assert_eq!(devnet.ledger().block_number(), block, "no write was sent");
    check_ledger(&devnet, &[plan_for(&inputs, Amount::ZERO)]);
}

#[tokio::test]
async fn a_half_paid_epoch_with_a_lost_journal_pays_only_what_is_missing() {
    let devnet = devnet().await;
    let inputs = synthetic_inputs(0, 2000);
    let mut first = executor(&devnet, Journal::in_memory().unwrap());
    let error = support::stop_after_first_confirmations(&mut first, inputs.clone()).await;
    assert!(
        matches!(error, ExecutorError::Interrupted { .. }),
        "{error}"
    );
    drop(first);
    let mut fresh = executor(&devnet, Journal::in_memory().unwrap());
    let report = run(&mut fresh, inputs.clone()).await.unwrap();
    assert_eq!(report.outcome, Outcome::Paid);
    assert!(report.found_on_chain > 0);
    assert_eq!(
        report.found_on_chain + report.confirmed_now,
        report.transfers
    );
    check_ledger(&devnet, &[plan_for(&inputs, Amount::ZERO)]);
}

#[tokio::test]
async fn two_runs_at_once_with_separate_journals_pay_once() {
    let devnet = devnet().await;
    let pay = |mut executor: support::Executor| async move {
        for epoch in 0..3 {
            run(&mut executor, synthetic_inputs(epoch, 300))
                .await
                .unwrap();
        }
        executor
    };
    let (ra, rb) = tokio::join!(
        pay(executor(&devnet, Journal::in_memory().unwrap())),
        pay(executor(&devnet, Journal::in_memory().unwrap()))
    );
    let records: Vec<_> = (0..3)
        .map(|e| ra.journal().epoch(e).unwrap().unwrap())
        .collect();
    for epoch in 0..3 {
        assert_eq!(
            rb.journal().epoch(epoch).unwrap().unwrap().plan_hash,
            records[epoch as usize].plan_hash,
            "both runs paid the same plan"
        );
    }
    let plans: Vec<_> = records
        .iter()
        .zip(0..)
        .map(|(r, e)| plan_for(&synthetic_inputs(e, 300), r.minted_supply))
        .collect();
    check_ledger(&devnet, &plans);
}

#[tokio::test]
async fn another_plan_for_a_started_epoch_is_refused_before_any_write() {
    let devnet = devnet().await;
    run(
        &mut executor(&devnet, Journal::in_memory().unwrap()),
        synthetic_inputs(0, 100),
    )
    .await
    .unwrap();
    let block = devnet.ledger().block_number();
    let mut other = synthetic_inputs(0, 100);
    other.miners.pop();
    let mut fresh = executor(&devnet, Journal::in_memory().unwrap());
    let error = run(&mut fresh, other).await.unwrap_err();
    check_refused_before_any_write(&devnet, block, &error);
}

#[tokio::test]
async fn another_plan_with_the_same_mint_is_refused_at_the_mint() {
    let devnet = devnet().await;
    let given = |inputs: EpochInputs| async {
        let mut executor = executor(&devnet, Journal::in_memory().unwrap());
        executor
            .run_epoch(inputs, MintedSupply::Given, &mut |_| {})
            .await
    };
    let inputs = synthetic_inputs(0, 100);
    given(inputs.clone()).await.unwrap();
    let block = devnet.ledger().block_number();
    // Another score: the same emission and mint, other transfers.
    let mut other = inputs.clone();
    other.miners[0].score = if other.miners[0].score == Fraction::ONE {
        Fraction::ZERO
    } else {
        Fraction::ONE
    };
    let plan = plan_for(&other, Amount::ZERO);
    assert_eq!(plan.from_mint, plan_for(&inputs, Amount::ZERO).from_mint);
    let error = given(other).await.unwrap_err();
    check_refused_before_any_write(&devnet, block, &error);
}

#[tokio::test]
async fn a_treasury_short_of_the_recycled_pool_is_refused_before_the_mint() {
    let devnet = devnet().await;
    let mut inputs = synthetic_inputs(0, 50);
    inputs.recycling_pool = mdt(300);
    let mut executor = executor(&devnet, Journal::in_memory().unwrap());
    let error = run(&mut executor, inputs.clone()).await.unwrap_err();
    assert!(
        matches!(&error, ExecutorError::PoolShort(short)
            if short.holds == Amount::ZERO && short.needed == mdt(300)),
        "{error}"
    );
    assert_eq!(devnet.ledger().block_number(), 0, "nothing was sent");
    // Funded, the same epoch pays in full.
    devnet
        .ledger()
        .mint(TREASURY, mdt(300).base_units(), None)
        .unwrap();
    let report = run(&mut executor, inputs).await.unwrap();
    assert_eq!(report.outcome, Outcome::Paid);
}

#[tokio::test]
async fn a_run_without_a_journal_carries_on_after_the_last_epoch_opened_on_chain() {
    let devnet = devnet().await;
    let mut first = executor(&devnet, Journal::in_memory().unwrap());
    for epoch in 0..5 {
        run(&mut first, synthetic_inputs(epoch, 20)).await.unwrap();
    }
    let fresh = executor(&devnet, Journal::in_memory().unwrap());
    assert_eq!(fresh.next_epoch().await.unwrap(), 4);
    let other_chain = Devnet::start(DevnetConfig::default()).await.unwrap();
    let empty = executor(&other_chain, Journal::in_memory().unwrap());
    assert_eq!(empty.next_epoch().await.unwrap(), 0);
}

#[tokio::test]
async fn a_resumed_epoch_refuses_another_treasury() {
    let devnet = devnet().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let inputs = synthetic_inputs(0, 20);
    let mut journal = Journal::open(&path).unwrap();
    let plan = plan_for(&inputs, Amount::ZERO);
    journal
        .record_plan(&plan, Amount::ZERO, support::treasury())
        .unwrap();
    drop(journal);
    let mut config = support::luxtensor_config();
    config.treasury = "0x00000000000000000000000000000000000000aa"
        .parse()
        .unwrap();
    let mut other = EpochExecutor::new(
        Params::default(),
        ExecutorConfig::default(),
        LuxtensorPayout::new(support::client(&devnet), config),
        Journal::open(&path).unwrap(),
    );
    let error = run(&mut other, inputs).await.unwrap_err();
    assert!(
        matches!(error, ExecutorError::TreasuryChanged { .. }),
        "{error}"
    );
    assert_eq!(devnet.ledger().block_number(), 0, "nothing was sent");
}

#[test]
fn a_journal_held_by_another_run_is_refused_naming_its_pid() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let _held = Journal::open(&path).unwrap();
    let error = Journal::open(&path).unwrap_err();
    assert!(
        matches!(&error, JournalError::InUse { pid: Some(pid), .. } if *pid == std::process::id()),
        "{error}"
    );
    assert!(
        error.to_string().contains("in use by another run"),
        "{error}"
    );
}

#[test]
fn a_journal_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    support::newer_schema_journal(&path);
    let error = Journal::open(&path).unwrap_err();
    assert!(
        matches!(error, JournalError::Version { found: 99, .. }),
        "{error}"
    );
    assert!(error.is_bad_input());
}

#[test]
fn a_journal_that_is_not_a_database_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    std::fs::write(&path, vec![b'x'; 4096]).unwrap();
    let error = Journal::open(&path).unwrap_err();
    assert!(error.to_string().contains("journal"), "{error}");
}

#[tokio::test]
async fn a_run_resumes_its_own_unfinished_epoch_before_looking_at_the_chain() {
    let devnet = devnet().await;
    let mut other = executor(&devnet, Journal::in_memory().unwrap());
    for epoch in 0..5 {
        run(&mut other, synthetic_inputs(epoch, 20)).await.unwrap();
    }
    let mut journal = Journal::in_memory().unwrap();
    let plan = plan_for(&synthetic_inputs(2, 20), Amount::ZERO);
    journal
        .record_plan(&plan, Amount::ZERO, support::treasury())
        .unwrap();
    let mine = executor(&devnet, journal);
    assert_eq!(mine.next_epoch().await.unwrap(), 2);
}
