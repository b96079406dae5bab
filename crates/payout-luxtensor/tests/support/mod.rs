//! Shared helpers of the executor tests: a tuned client, an executor, the ledger check.

#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use luxtensor_devnet::DevnetHandle;
use payout_executor::{
    EpochExecutor, EpochReport, ExecutorConfig, ExecutorError, Journal, MintedSupply,
};
use payout_luxtensor::{LuxtensorConfig, LuxtensorPayout};
use rpc_resilience::{ResilienceConfig, ResilientClient};
use tokenomics_core::{Address, Amount, EpochInputs, EpochPlan, Params};

/// The executor of these tests: over the Luxtensor backend.
pub type Executor = EpochExecutor<LuxtensorPayout>;

/// The backend settings of these tests: short pauses, many rounds, so faults resolve fast.
pub fn luxtensor_config() -> LuxtensorConfig {
    let mut config = LuxtensorConfig::new(treasury());
    config.round_pause = Duration::from_millis(10);
    config.max_rounds = 50;
    config
}

pub const TREASURY: &str = "0x7472656173757279000000000000000000000000";

pub fn treasury() -> Address {
    TREASURY.parse().unwrap()
}

/// A client tuned for tests: short timeouts and backoffs, so faults resolve fast.
pub fn client(devnet: &DevnetHandle) -> ResilientClient {
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

pub fn executor(devnet: &DevnetHandle, journal: Journal) -> Executor {
    EpochExecutor::new(
        Params::default(),
        ExecutorConfig::default(),
        LuxtensorPayout::new(client(devnet), luxtensor_config()),
        journal,
    )
}

pub async fn run(
    executor: &mut Executor,
    inputs: EpochInputs,
) -> Result<EpochReport, ExecutorError> {
    executor
        .run_epoch(inputs, MintedSupply::FromChain, &mut |_| {})
        .await
}

/// Every recipient holds exactly what the plans paid it, and sum(balances) == supply.
#[track_caller]
pub fn check_ledger(devnet: &DevnetHandle, plans: &[EpochPlan]) {
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

pub fn plan_for(inputs: &EpochInputs, minted: Amount) -> EpochPlan {
    let mut inputs = inputs.clone();
    inputs.minted_supply = minted;
    EpochPlan::build(&Params::default(), &inputs).unwrap()
}

/// Runs `inputs` and stops after the first group of confirmations: the run ends
/// between batches with `Interrupted`, the epoch half paid.
pub async fn stop_after_first_confirmations(
    executor: &mut Executor,
    inputs: EpochInputs,
) -> ExecutorError {
    let stop = executor.stop_flag();
    executor
        .run_epoch(inputs, MintedSupply::FromChain, &mut |step| {
            if let payout_executor::Progress::Confirmed { .. } = step {
                stop.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        })
        .await
        .unwrap_err()
}

/// Writes an empty SQLite file at `path` that says it is journal schema 99.
pub fn newer_schema_journal(path: &std::path::Path) {
    rusqlite::Connection::open(path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
}
