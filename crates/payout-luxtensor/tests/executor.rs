//! `EpochExecutor` against a real devnet on loopback: exactly-once payouts, resume,
//! re-runs, conflicts, verification, and the fault mix of the issue.

use crate::support;

use std::time::Duration;

use luxtensor_devnet::{Devnet, DevnetConfig, FaultConfig, LedgerPath};
use payout_executor::{ExecutorError, Journal, MintedSupply, Outcome, Progress};
use support::{check_ledger, executor, plan_for, run, TREASURY};
use tokenomics_core::synthetic_inputs;
use tokenomics_core::Amount;

#[tokio::test]
async fn an_epoch_pays_every_recipient_exactly_as_planned() {
    let devnet = Devnet::start(DevnetConfig::default()).await.unwrap();
    let mut executor = executor(&devnet, Journal::in_memory().unwrap());
    let inputs = synthetic_inputs(0, 300);
    let mut steps = Vec::new();
    let report = executor
        .run_epoch(inputs.clone(), MintedSupply::FromChain, &mut |step| {
            steps.push(step)
        })
        .await
        .unwrap();
    let plan = plan_for(&inputs, Amount::ZERO);
    assert_eq!(report.outcome, Outcome::Paid);
    assert_eq!(report.paid, plan.total);
    assert_eq!(report.confirmed_now, plan.transfers.len() as u64);
    assert!(matches!(
        steps.first(),
        Some(Progress::Planned { confirmed: 0, .. })
    ));
    assert!(matches!(
        steps.last(),
        Some(Progress::Verified { epoch: 0 })
    ));
    check_ledger(&devnet, &[plan]);
}

#[tokio::test]
async fn minted_supply_is_read_from_the_chain_and_journaled_with_the_plan() {
    let devnet = Devnet::start(DevnetConfig::default()).await.unwrap();
    let mut executor = executor(&devnet, Journal::in_memory().unwrap());
    let first = run(&mut executor, synthetic_inputs(0, 50)).await.unwrap();
    let second = run(&mut executor, synthetic_inputs(1, 50)).await.unwrap();
    let record = executor.journal().epoch(1).unwrap().unwrap();
    assert_eq!(record.minted_supply, first.minted);
    let plans = [
        plan_for(&synthetic_inputs(0, 50), Amount::ZERO),
        plan_for(&synthetic_inputs(1, 50), first.minted),
    ];
    assert_eq!(second.plan_hash, plans[1].plan_hash);
    check_ledger(&devnet, &plans);
}

#[tokio::test]
async fn a_finished_epoch_run_again_sends_nothing() {
    let devnet = Devnet::start(DevnetConfig::default()).await.unwrap();
    let mut executor = executor(&devnet, Journal::in_memory().unwrap());
    run(&mut executor, synthetic_inputs(0, 100)).await.unwrap();
    let block = devnet.ledger().block_number();
    let again = run(&mut executor, synthetic_inputs(0, 100)).await.unwrap();
    assert_eq!(again.outcome, Outcome::AlreadyDone);
    assert_eq!(again.confirmed_now, 0);
    assert_eq!(
        devnet.ledger().block_number(),
        block,
        "no write reached the chain"
    );
}

#[tokio::test]
async fn the_same_epoch_with_other_inputs_is_refused_naming_both_plans() {
    let devnet = Devnet::start(DevnetConfig::default()).await.unwrap();
    let mut executor = executor(&devnet, Journal::in_memory().unwrap());
    let paid = run(&mut executor, synthetic_inputs(0, 100)).await.unwrap();
    let mut other = synthetic_inputs(0, 100);
    other.miners.pop();
    let error = run(&mut executor, other).await.unwrap_err();
    let ExecutorError::Conflict {
        epoch,
        journaled,
        new,
    } = &error
    else {
        panic!("expected a conflict, got {error}");
    };
    assert_eq!((*epoch, *journaled), (0, paid.plan_hash));
    assert_ne!(*new, paid.plan_hash);
    assert!(error.is_bad_input() && !error.is_retryable());
    let message = error.to_string();
    assert!(message.contains(&paid.plan_hash.to_string()) && message.contains(&new.to_string()));
}

#[tokio::test]
async fn a_stopped_run_resumes_and_pays_everyone_once() {
    let devnet = Devnet::start(DevnetConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let inputs = synthetic_inputs(0, 2000);
    {
        let mut first = executor(&devnet, Journal::open(&path).unwrap());
        let error = support::stop_after_first_confirmations(&mut first, inputs.clone()).await;
        assert!(
            matches!(error, ExecutorError::Interrupted { pending, .. } if pending > 0),
            "{error}"
        );
        assert!(error.is_retryable());
    }
    let mut second = executor(&devnet, Journal::open(&path).unwrap());
    let report = run(&mut second, inputs.clone()).await.unwrap();
    let plan = plan_for(&inputs, Amount::ZERO);
    assert!(
        report.confirmed_now < plan.transfers.len() as u64,
        "resumed, not restarted"
    );
    check_ledger(&devnet, &[plan]);
}

#[tokio::test]
async fn a_balance_that_does_not_match_the_records_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger.sqlite");
    let config = DevnetConfig {
        ledger: LedgerPath::File(ledger.clone()),
        ..DevnetConfig::default()
    };
    let devnet = Devnet::start(config).await.unwrap();
    let mut executor = executor(&devnet, Journal::in_memory().unwrap());
    // The node's state drifts from its records (no write, no block): a broken node.
    let error = executor
        .run_epoch(
            synthetic_inputs(0, 20),
            MintedSupply::FromChain,
            &mut |step| {
                if let Progress::Minted { .. } = step {
                    let conn = rusqlite::Connection::open(&ledger).unwrap();
                    let select = "SELECT amount FROM balances WHERE address = ?1";
                    let amount: String = conn.query_row(select, [TREASURY], |r| r.get(0)).unwrap();
                    let drifted = (amount.parse::<u128>().unwrap() + 7).to_string();
                    let update = "UPDATE balances SET amount = ?2 WHERE address = ?1";
                    conn.execute(update, [TREASURY, drifted.as_str()]).unwrap();
                }
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(error, ExecutorError::Unverified { .. }), "{error}");
    assert!(error.to_string().contains("treasury"), "{error}");
}

#[tokio::test]
async fn other_writes_during_an_epoch_leave_the_records_to_verify_it() {
    let devnet = Devnet::start(DevnetConfig::default()).await.unwrap();
    let mut executor = executor(&devnet, Journal::in_memory().unwrap());
    // Someone else pays the treasury between the mint and the verification.
    let report = executor
        .run_epoch(
            synthetic_inputs(0, 20),
            MintedSupply::FromChain,
            &mut |step| {
                if let Progress::Minted { .. } = step {
                    devnet.ledger().mint(TREASURY, 7, None).unwrap();
                }
            },
        )
        .await
        .unwrap();
    assert_eq!(report.outcome, Outcome::Paid);
    assert_eq!(report.verified_recipients, 0, "balances cannot tell");
    assert!(report.verified_records > 0);
}

/// The paused clock makes late answers, timeouts and backoffs instant: no real waiting.
#[tokio::test(start_paused = true)]
async fn under_the_fault_mix_ten_thousand_recipients_are_paid_exactly() {
    let devnet = Devnet::start(DevnetConfig::default()).await.unwrap();
    devnet.set_faults(FaultConfig {
        seed: 7,
        error_rate: 0.10,
        late_rate: 0.05,
        late: Duration::from_secs(5),
        drop_rate: 0.02,
        rate_limit_rate: 0.01,
        retry_after: Duration::from_millis(20),
        ..FaultConfig::default()
    });
    let mut executor = executor(&devnet, Journal::in_memory().unwrap());
    let inputs = synthetic_inputs(0, 10_000);
    let report = run(&mut executor, inputs.clone()).await.unwrap();
    devnet.set_faults(FaultConfig::default());
    let plan = plan_for(&inputs, Amount::ZERO);
    assert_eq!(report.transfers, plan.transfers.len() as u64);
    assert!(report.retries > 0, "the faults were exercised");
    check_ledger(&devnet, &[plan]);
}

#[test]
fn the_default_treasury_is_treasury_in_ascii_zero_padded() {
    assert_eq!(payout_luxtensor::DEFAULT_TREASURY.to_string(), TREASURY);
    let config = payout_luxtensor::LuxtensorConfig::default();
    assert_eq!(config.treasury, payout_luxtensor::DEFAULT_TREASURY);
}
