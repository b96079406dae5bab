//! How the node's answers are sorted: confirmed, left pending, or refused for good —
//! and which refusals stop an epoch, with what error; plus journals of older schemas.

use crate::support;

use luxtensor_devnet::{Devnet, DevnetConfig, DevnetHandle, WriteKind, WriteRequest};
use payout_executor::{ExecutorError, Journal, Progress, Stage};
use support::{executor, run, TREASURY};
use tokenomics_core::synthetic_inputs;
use tokenomics_core::Amount;

const STRANGER: &str = "0x00000000000000000000000000000000000000aa";

async fn devnet() -> DevnetHandle {
    Devnet::start(DevnetConfig::default()).await.unwrap()
}

/// Runs epoch 0 of 200 participants, calling `meddle` once the mint is confirmed.
async fn run_with(devnet: &DevnetHandle, meddle: impl Fn()) -> ExecutorError {
    let mut executor = executor(devnet, Journal::in_memory().unwrap());
    executor
        .run_epoch(
            synthetic_inputs(0, 200),
            payout_executor::MintedSupply::FromChain,
            &mut |step| {
                if let Progress::Minted { .. } = step {
                    meddle();
                }
            },
        )
        .await
        .unwrap_err()
}

/// The error is final (running again unchanged cannot help) and matches `expected`.
#[track_caller]
fn check_final(error: &ExecutorError, expected: &str) {
    assert!(!error.is_retryable(), "{error}");
    assert!(error.to_string().contains(expected), "{error}");
}

#[tokio::test]
async fn a_transfer_refused_for_insufficient_balance_stops_the_epoch() {
    let devnet = devnet().await;
    let ledger = devnet.ledger().clone();
    let error = run_with(&devnet, || {
        // Someone empties the treasury between the mint and the transfers.
        let all = ledger.balance(TREASURY).unwrap();
        ledger.transfer(TREASURY, STRANGER, all, None).unwrap();
    })
    .await;
    assert!(
        matches!(
            error.backend::<payout_luxtensor::LuxtensorError>(),
            Some(payout_luxtensor::LuxtensorError::TransferRefused { .. })
        ),
        "{error}"
    );
    check_final(&error, "-32001");
}

#[tokio::test]
async fn a_transfer_key_used_for_another_transfer_is_a_chain_conflict() {
    let devnet = devnet().await;
    let ledger = devnet.ledger().clone();
    let error = run_with(&devnet, || {
        let other = WriteRequest {
            kind: WriteKind::Mint,
            from: None,
            to: STRANGER.into(),
            amount: 1,
            memo: None,
        };
        ledger.apply(other, Some("transfer:0:7")).unwrap();
    })
    .await;
    assert!(
        matches!(error, ExecutorError::ChainConflict { epoch: 0, .. }),
        "{error}"
    );
    check_final(&error, "transfer:0:7");
    assert!(error.is_bad_input());
}

#[tokio::test]
async fn a_mint_under_the_epoch_key_without_this_tools_memo_is_a_chain_conflict() {
    let devnet = devnet().await;
    let foreign = WriteRequest {
        kind: WriteKind::Mint,
        from: None,
        to: TREASURY.into(),
        amount: 5,
        memo: Some("someone else".into()),
    };
    devnet.ledger().apply(foreign, Some("mint:0")).unwrap();
    let block = devnet.ledger().block_number();
    let error = run(
        &mut executor(&devnet, Journal::in_memory().unwrap()),
        synthetic_inputs(0, 20),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(error, ExecutorError::ChainConflict { .. }),
        "{error}"
    );
    check_final(&error, "no plan memo");
    assert_eq!(devnet.ledger().block_number(), block, "nothing was sent");
}

#[tokio::test]
async fn an_epoch_opened_to_another_treasury_is_a_chain_conflict() {
    let devnet = devnet().await;
    run(
        &mut executor(&devnet, Journal::in_memory().unwrap()),
        synthetic_inputs(0, 20),
    )
    .await
    .unwrap();
    let mut config = payout_luxtensor::LuxtensorConfig::new(STRANGER.parse().unwrap());
    config.max_rounds = 1;
    let mut other = payout_executor::EpochExecutor::new(
        tokenomics_core::Params::default(),
        payout_executor::ExecutorConfig::default(),
        payout_luxtensor::LuxtensorPayout::new(support::client(&devnet), config),
        Journal::in_memory().unwrap(),
    );
    let error = run(&mut other, synthetic_inputs(0, 20)).await.unwrap_err();
    check_final(&error, "mint: on chain");
}

/// A journal written by the first version: no schema version, no baseline column.
fn version_1_journal(path: &std::path::Path, stage: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "CREATE TABLE epochs (epoch INTEGER PRIMARY KEY, plan_hash TEXT NOT NULL,
            inputs_digest TEXT NOT NULL, minted_supply TEXT NOT NULL, treasury TEXT NOT NULL,
            from_mint TEXT NOT NULL, total TEXT NOT NULL, treasury_before TEXT,
            stage TEXT NOT NULL);",
    )
    .unwrap();
    let hash = "00".repeat(32);
    conn.execute(
        "INSERT INTO epochs VALUES (3, ?1, ?1, '0', ?2, '0', '0', NULL, ?3)",
        [hash.as_str(), TREASURY, stage],
    )
    .unwrap();
}

#[test]
fn a_version_1_journal_with_an_unfinished_epoch_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    version_1_journal(&path, "minted");
    let error = Journal::open(&path).unwrap_err();
    assert!(error.to_string().contains("epoch 3"), "{error}");
    assert!(error.to_string().contains("older version"), "{error}");
}

#[test]
fn a_version_1_journal_of_finished_epochs_is_carried_over() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    version_1_journal(&path, "done");
    let journal = Journal::open(&path).unwrap();
    let record = journal.epoch(3).unwrap().unwrap();
    assert_eq!(record.stage, Stage::Done);
    assert_eq!(record.baseline, None);
    assert_eq!(record.minted_supply, Amount::ZERO);
}

/// The paused clock makes the rounds' pauses and the client's backoffs instant.
#[tokio::test(start_paused = true)]
async fn transfers_still_failing_after_the_last_round_leave_the_epoch_to_resume() {
    let devnet = devnet().await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = payout_luxtensor::LuxtensorConfig::new(TREASURY.parse().unwrap());
    config.max_rounds = 2;
    let mut executor = payout_executor::EpochExecutor::open(
        tokenomics_core::Params::default(),
        payout_executor::ExecutorConfig::default(),
        payout_luxtensor::LuxtensorPayout::new(support::client(&devnet), config),
        &dir.path().join("journal.sqlite"),
    )
    .unwrap();
    let error = executor
        .run_epoch(
            synthetic_inputs(0, 50),
            payout_executor::MintedSupply::FromChain,
            &mut |step| {
                if let Progress::Minted { .. } = step {
                    devnet.set_faults(luxtensor_devnet::FaultConfig {
                        error_rate: 1.0,
                        ..luxtensor_devnet::FaultConfig::default()
                    });
                }
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(error, ExecutorError::Incomplete { rounds: 2, pending, .. } if pending > 0),
        "{error}"
    );
    assert!(error.is_retryable(), "running again resumes it");
    assert_eq!(
        executor.journal().epoch(0).unwrap().unwrap().stage,
        Stage::Minted
    );
}

#[tokio::test]
async fn a_journaled_epoch_opened_on_chain_with_another_plan_is_refused_before_any_write() {
    let devnet = devnet().await;
    let inputs = synthetic_inputs(0, 20);
    let plan = support::plan_for(&inputs, Amount::ZERO);
    let mut journal = Journal::in_memory().unwrap();
    journal
        .record_plan(&plan, Amount::ZERO, support::treasury())
        .unwrap();
    let other_plan = format!("plan={};minted_supply=5", "ab".repeat(32));
    let opened = WriteRequest {
        kind: WriteKind::Mint,
        from: None,
        to: TREASURY.into(),
        amount: plan.from_mint.base_units(),
        memo: Some(other_plan),
    };
    devnet.ledger().apply(opened, Some("mint:0")).unwrap();
    let block = devnet.ledger().block_number();
    let error = run(&mut executor(&devnet, journal), inputs)
        .await
        .unwrap_err();
    assert!(
        matches!(error, ExecutorError::ChainConflict { .. }),
        "{error}"
    );
    check_final(&error, "minted supply");
    assert_eq!(devnet.ledger().block_number(), block, "nothing was sent");
}

/// Pays epoch 0 on a file ledger and deletes the write under `key` from the node's
/// records once every transfer is confirmed, before verification reads them back.
async fn verify_without_record(key: &'static str) -> ExecutorError {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger.sqlite");
    let config = DevnetConfig {
        ledger: luxtensor_devnet::LedgerPath::File(ledger.clone()),
        ..DevnetConfig::default()
    };
    let devnet = Devnet::start(config).await.unwrap();
    let mut executor = executor(&devnet, Journal::in_memory().unwrap());
    executor
        .run_epoch(
            synthetic_inputs(0, 20),
            payout_executor::MintedSupply::FromChain,
            &mut |step| {
                if let Progress::Confirmed {
                    confirmed,
                    transfers,
                    ..
                } = step
                {
                    if confirmed == transfers {
                        let conn = rusqlite::Connection::open(&ledger).unwrap();
                        conn.execute("DELETE FROM txs WHERE idempotency_key = ?1", [key])
                            .unwrap();
                    }
                }
            },
        )
        .await
        .unwrap_err()
}

#[tokio::test]
async fn a_mint_record_missing_at_verification_fails_it() {
    let error = verify_without_record("mint:0").await;
    assert!(matches!(error, ExecutorError::Unverified { .. }), "{error}");
    check_final(&error, "no mint record");
}

#[tokio::test]
async fn a_transfer_record_missing_at_verification_fails_it() {
    let error = verify_without_record("transfer:0:0").await;
    assert!(matches!(error, ExecutorError::Unverified { .. }), "{error}");
    check_final(&error, "transfer #0 has no record");
}
