//! The executor's metrics, recorded through the `metrics` facade by a debugging recorder
//! while it pays epochs on a real devnet on loopback.

use crate::support;

use std::collections::HashMap;

use luxtensor_devnet::{Devnet, DevnetConfig, DevnetHandle, LedgerPath};
use metrics_util::debugging::{DebugValue, DebuggingRecorder};
use payout_executor::metrics as m;
use payout_executor::{EpochReport, ExecutorError, Journal, MintedSupply, Progress};
use support::{executor, TREASURY};
use tokenomics_core::synthetic_inputs;

/// Series by name (labels as `name{k="v"}`): counter and gauge values, histogram sample counts.
type Recorded = HashMap<String, f64>;

/// Runs `epochs` synthetic epochs of `recipients` with a local debugging recorder, calling
/// `meddle` on each progress step; returns the last result and what was recorded.
async fn recorded_run(
    devnet: &DevnetHandle,
    epochs: &[u64],
    recipients: usize,
    meddle: impl Fn(&Progress),
) -> (Result<EpochReport, ExecutorError>, Recorded) {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let _local = metrics::set_default_local_recorder(&recorder);
    m::describe();
    let mut executor = executor(devnet, Journal::in_memory().unwrap());
    let mut last = None;
    for &epoch in epochs {
        let inputs = synthetic_inputs(epoch, recipients);
        let mut on_step = |step: Progress| meddle(&step);
        last = Some(
            executor
                .run_epoch(inputs, MintedSupply::FromChain, &mut on_step)
                .await,
        );
    }
    let recorded = snapshotter
        .snapshot()
        .into_vec()
        .into_iter()
        .map(|(key, _, _, value)| {
            let (key, labels) = key.key().clone().into_parts();
            let labels: Vec<String> = labels
                .iter()
                .map(|l| format!("{}=\"{}\"", l.key(), l.value()))
                .collect();
            let name = if labels.is_empty() {
                key.as_str().to_owned()
            } else {
                format!("{}{{{}}}", key.as_str(), labels.join(","))
            };
            let value = match value {
                DebugValue::Counter(v) => v as f64,
                DebugValue::Gauge(v) => v.into_inner(),
                DebugValue::Histogram(samples) => samples.len() as f64,
            };
            (name, value)
        })
        .collect();
    (last.unwrap(), recorded)
}

#[track_caller]
fn check(recorded: &Recorded, expected: &[(&str, f64)]) {
    for (name, value) in expected {
        assert_eq!(recorded.get(*name), Some(value), "{name} in {recorded:?}");
    }
}

fn mdt(amount: tokenomics_core::Amount) -> f64 {
    amount.to_string().parse().unwrap()
}

#[tokio::test]
async fn a_paid_epoch_records_every_transfer_confirmed_and_none_pending() {
    let devnet = Devnet::start(DevnetConfig::default()).await.unwrap();
    let (report, recorded) = recorded_run(&devnet, &[0], 300, |_| {}).await;
    let transfers = report.unwrap().transfers as f64;
    check(
        &recorded,
        &[
            (m::EPOCH_TRANSFERS_CONFIRMED, transfers),
            (m::EPOCH_TRANSFERS_PENDING, 0.0),
            (m::TRANSFERS_CONFIRMED_TOTAL, transfers),
        ],
    );
}

#[tokio::test]
async fn a_paid_epoch_records_its_number_the_stage_done_and_its_duration() {
    let devnet = Devnet::start(DevnetConfig::default()).await.unwrap();
    let (report, recorded) = recorded_run(&devnet, &[0, 1], 50, |_| {}).await;
    report.unwrap();
    check(
        &recorded,
        &[
            (m::EPOCH, 1.0),
            ("tokenomics_epoch_stage{stage=\"done\"}", 1.0),
            ("tokenomics_epoch_stage{stage=\"planned\"}", 0.0),
            ("tokenomics_epoch_stage{stage=\"minted\"}", 0.0),
            ("tokenomics_epoch_stage{stage=\"paid\"}", 0.0),
            (m::EPOCHS_DONE_TOTAL, 2.0),
            (m::EPOCH_DURATION_SECONDS, 2.0),
            (m::VERIFICATION_FAILURES_TOTAL, 0.0),
        ],
    );
    let done_at = recorded[m::LAST_EPOCH_DONE_TIMESTAMP_SECONDS];
    assert!(done_at > 1.7e9, "{done_at}");
}

#[tokio::test]
async fn a_paid_epoch_records_what_it_minted_and_paid_in_mdt() {
    let devnet = Devnet::start(DevnetConfig::default()).await.unwrap();
    let (report, recorded) = recorded_run(&devnet, &[0], 50, |_| {}).await;
    let report = report.unwrap();
    assert!(!report.paid.is_zero());
    check(
        &recorded,
        &[
            (m::EPOCH_MINTED_MDT, mdt(report.minted)),
            (m::EPOCH_PAID_MDT, mdt(report.paid)),
        ],
    );
}

#[tokio::test]
async fn a_verification_that_finds_the_chain_drifted_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger.sqlite");
    let config = DevnetConfig {
        ledger: LedgerPath::File(ledger.clone()),
        ..DevnetConfig::default()
    };
    let devnet = Devnet::start(config).await.unwrap();
    // The node's state drifts from its records (no write, no block): a broken node.
    let (result, recorded) = recorded_run(&devnet, &[0], 20, |step| {
        if let Progress::Minted { .. } = step {
            let conn = rusqlite::Connection::open(&ledger).unwrap();
            let select = "SELECT amount FROM balances WHERE address = ?1";
            let amount: String = conn.query_row(select, [TREASURY], |r| r.get(0)).unwrap();
            let drifted = (amount.parse::<u128>().unwrap() + 7).to_string();
            let update = "UPDATE balances SET amount = ?2 WHERE address = ?1";
            conn.execute(update, [TREASURY, drifted.as_str()]).unwrap();
        }
    })
    .await;
    assert!(matches!(result, Err(ExecutorError::Unverified { .. })));
    check(
        &recorded,
        &[
            (m::VERIFICATION_FAILURES_TOTAL, 1.0),
            (m::EPOCHS_DONE_TOTAL, 0.0),
            ("tokenomics_epoch_stage{stage=\"paid\"}", 1.0),
        ],
    );
}

#[tokio::test]
async fn an_epoch_run_again_confirms_nothing_new_and_is_not_done_twice() {
    let devnet = Devnet::start(DevnetConfig::default()).await.unwrap();
    let (report, recorded) = recorded_run(&devnet, &[0, 0], 50, |_| {}).await;
    let transfers = report.unwrap().transfers as f64;
    check(
        &recorded,
        &[
            (m::TRANSFERS_CONFIRMED_TOTAL, transfers),
            (m::EPOCHS_DONE_TOTAL, 1.0),
            (m::EPOCH_DURATION_SECONDS, 1.0),
            ("tokenomics_epoch_stage{stage=\"done\"}", 1.0),
        ],
    );
}
