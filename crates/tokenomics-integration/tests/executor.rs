//! `EpochExecutor` against a real devnet on loopback: exactly-once payouts, resume,
//! re-runs, conflicts, verification, and the fault mix of the issue.

use std::time::Duration;

use luxtensor_devnet::{Devnet, DevnetConfig, DevnetHandle, FaultConfig};
use rpc_resilience::{ResilienceConfig, ResilientClient};
use tokenomics_core::{Address, Amount, EpochInputs, EpochPlan, Params};
use tokenomics_integration::{
    synthetic_inputs, Chain, EpochExecutor, EpochReport, ExecutorConfig, ExecutorError, Journal,
    MintedSupply, Outcome, Progress,
};

const TREASURY: &str = "0x7472656173757279000000000000000000000000";

fn treasury() -> Address {
    TREASURY.parse().unwrap()
}

/// A client tuned for tests: short timeouts and backoffs, so faults resolve fast.
fn client(devnet: &DevnetHandle) -> ResilientClient {
    let config = ResilienceConfig {
        timeout_ms: 500,
        initial_backoff_ms: 5,
        max_backoff_ms: 50,
        max_attempts: 4,
        recovery_timeout_ms: 100,
        retry_budget_ratio: 1.0,
        retry_budget_reserve: 1000,
        health_interval_ms: 3_600_000,
        ..ResilienceConfig::default()
    };
    ResilientClient::builder()
        .endpoint(devnet.url())
        .config(config)
        .idempotency(luxtensor_protocol::policy())
        .classifier(luxtensor_protocol::classifier())
        .bearer_token(Some(devnet.token().to_string()))
        .build()
        .unwrap()
}

fn executor(devnet: &DevnetHandle, journal: Journal) -> EpochExecutor {
    let mut config = ExecutorConfig::new(treasury());
    config.round_pause = Duration::from_millis(10);
    config.max_rounds = 50;
    EpochExecutor::new(
        Params::default(),
        config,
        Chain::new(client(devnet)),
        journal,
    )
}

async fn run(
    executor: &mut EpochExecutor,
    inputs: EpochInputs,
) -> Result<EpochReport, ExecutorError> {
    executor
        .run_epoch(inputs, MintedSupply::FromChain, &mut |_| {})
        .await
}

/// Every recipient holds exactly what the plans paid it, and sum(balances) == supply.
#[track_caller]
fn check_ledger(devnet: &DevnetHandle, plans: &[EpochPlan]) {
    let mut expected: std::collections::BTreeMap<Address, u128> = Default::default();
    for plan in plans {
        for transfer in &plan.transfers {
            *expected.entry(transfer.to).or_default() += transfer.amount.base_units();
        }
    }
    for (address, amount) in &expected {
        assert_eq!(
            devnet.balance(&address.to_string()).unwrap(),
            *amount,
            "{address}"
        );
    }
    let minted: u128 = plans.iter().map(|p| p.from_mint.base_units()).sum();
    assert_eq!(devnet.total_supply(), minted);
    assert_eq!(devnet.ledger().sum_of_balances().unwrap(), minted);
    assert_eq!(
        devnet.balance(TREASURY).unwrap(),
        0,
        "treasury paid out everything minted"
    );
}

fn plan_for(inputs: &EpochInputs, minted: Amount) -> EpochPlan {
    let mut inputs = inputs.clone();
    inputs.minted_supply = minted;
    EpochPlan::build(&Params::default(), &inputs).unwrap()
}

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
        let stop = first.stop_flag();
        // Stop once the first wave is confirmed: the run ends between batches.
        let error = first
            .run_epoch(inputs.clone(), MintedSupply::FromChain, &mut |step| {
                if let Progress::Confirmed { .. } = step {
                    stop.store(true, std::sync::atomic::Ordering::SeqCst);
                }
            })
            .await
            .unwrap_err();
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
async fn a_balance_that_does_not_match_the_plan_is_an_error() {
    let devnet = Devnet::start(DevnetConfig::default()).await.unwrap();
    let mut executor = executor(&devnet, Journal::in_memory().unwrap());
    let inputs = synthetic_inputs(0, 20);
    // Someone else pays the treasury between the mint and the verification.
    let error = executor
        .run_epoch(inputs.clone(), MintedSupply::FromChain, &mut |step| {
            if let Progress::Minted { .. } = step {
                devnet.ledger().mint(TREASURY, 7, None).unwrap();
            }
        })
        .await
        .unwrap_err();
    assert!(matches!(error, ExecutorError::Mismatch { .. }), "{error}");
    assert!(error.to_string().contains("treasury"), "{error}");
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
