//! The journal's schema 3 (`started_at`, `finished_at`, `runs`) and `read_status`:
//! a version-2 journal is migrated with its epochs kept (times and runs unknown), read
//! as it is without being changed, and a resumed epoch counts its runs.

use crate::support;

use std::path::Path;
use std::sync::atomic::Ordering;

use luxtensor_devnet::{Devnet, DevnetConfig};
use payout_executor::{read_status, EpochStage, Journal, Stage};
use support::{executor, run, TREASURY};
use tokenomics_core::synthetic_inputs;

/// A journal as version 2 wrote it: epoch 3 minted, one of its two transfers confirmed.
fn version_2_journal(path: &Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "CREATE TABLE epochs (epoch INTEGER PRIMARY KEY, plan_hash TEXT NOT NULL,
            inputs_digest TEXT NOT NULL, minted_supply TEXT NOT NULL, treasury TEXT NOT NULL,
            from_mint TEXT NOT NULL, total TEXT NOT NULL, treasury_before TEXT,
            stage TEXT NOT NULL, baseline_block TEXT);
         CREATE TABLE transfers (epoch INTEGER NOT NULL, idx INTEGER NOT NULL,
            recipient TEXT NOT NULL, amount TEXT NOT NULL, category TEXT NOT NULL,
            tx_hash TEXT, PRIMARY KEY (epoch, idx));
         CREATE TABLE samples (epoch INTEGER NOT NULL, recipient TEXT NOT NULL,
            balance_before TEXT NOT NULL, PRIMARY KEY (epoch, recipient));
         PRAGMA user_version = 2;",
    )
    .unwrap();
    let hash = "00".repeat(32);
    conn.execute(
        "INSERT INTO epochs VALUES (3, ?1, ?1, '0', ?2, '5', '5', NULL, 'minted', NULL)",
        [hash.as_str(), TREASURY],
    )
    .unwrap();
    for (index, tx_hash) in [(0, Some("0xab")), (1, None)] {
        conn.execute(
            "INSERT INTO transfers VALUES (3, ?1, ?2, '2', 'miners', ?3)",
            rusqlite::params![index, TREASURY, tx_hash],
        )
        .unwrap();
    }
}

fn user_version(path: &Path) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap()
}

/// What `read_status` says of epoch 3 of [`version_2_journal`].
#[track_caller]
fn check_version_2_epoch(path: &Path) {
    let status = read_status(path).unwrap();
    assert_eq!(status.len(), 1);
    let epoch = &status[0];
    assert_eq!((epoch.epoch, epoch.stage), (3, EpochStage::Paying));
    assert_eq!((epoch.confirmed, epoch.pending), (1, 1));
    assert_eq!((epoch.paid.base_units(), epoch.left.base_units()), (2, 3));
    assert_eq!(
        (epoch.started_at, epoch.finished_at, epoch.runs),
        (None, None, None)
    );
}

#[test]
fn a_version_2_journal_is_read_by_status_as_it_is_without_being_changed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    version_2_journal(&path);
    check_version_2_epoch(&path);
    assert_eq!(user_version(&path), 2, "not migrated by a read");
}

#[test]
fn a_version_2_journal_is_migrated_keeping_its_epochs_with_unknown_times_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    version_2_journal(&path);
    let journal = Journal::open(&path).unwrap();
    assert_eq!(journal.epoch(3).unwrap().unwrap().stage, Stage::Minted);
    drop(journal);
    assert_eq!(user_version(&path), payout_journal::SCHEMA_VERSION);
    check_version_2_epoch(&path);
}

#[tokio::test]
async fn an_epoch_stopped_once_and_resumed_took_two_runs_and_has_its_times() {
    let devnet = Devnet::start(DevnetConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let mut stopped = executor(&devnet, Journal::open(&path).unwrap());
    stopped.stop_flag().store(true, Ordering::SeqCst);
    run(&mut stopped, synthetic_inputs(0, 20))
        .await
        .unwrap_err();
    drop(stopped);
    let first = read_status(&path).unwrap();
    assert_eq!(
        (first[0].stage, first[0].runs),
        (EpochStage::Minted, Some(1))
    );
    assert_eq!(first[0].finished_at, None);

    run(
        &mut executor(&devnet, Journal::open(&path).unwrap()),
        synthetic_inputs(0, 20),
    )
    .await
    .unwrap();
    let done = read_status(&path).unwrap();
    assert_eq!((done[0].stage, done[0].runs), (EpochStage::Done, Some(2)));
    assert_eq!(done[0].started_at, first[0].started_at);
    assert!(done[0].finished_at >= done[0].started_at && done[0].started_at.is_some());
}

/// `read_status` of `path` is refused with an error saying `reason`, and creates nothing.
#[track_caller]
fn check_unreadable(path: &Path, reason: &str) {
    let error = payout_executor::read_status(path).unwrap_err();
    assert!(error.to_string().contains(reason), "{error}");
    assert!(error.is_bad_input(), "{error}");
}

#[test]
fn a_missing_journal_is_refused_and_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    check_unreadable(&path, "no such file");
    assert!(!path.exists());
}

#[test]
fn a_folder_is_not_a_journal() {
    let dir = tempfile::tempdir().unwrap();
    check_unreadable(dir.path(), "not a file");
}

#[test]
fn a_journal_of_a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    support::newer_schema_journal(&path);
    check_unreadable(&path, "99");
}

#[test]
fn a_database_without_the_journals_tables_is_not_a_journal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE t (x INTEGER);")
        .unwrap();
    check_unreadable(&path, "not a journal");
}

#[test]
fn a_file_that_is_not_a_database_is_a_corrupt_journal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    std::fs::write(&path, vec![b'x'; 8192]).unwrap();
    check_unreadable(&path, "not a SQLite database");
}

#[test]
fn stages_are_named_as_the_spec_names_them() {
    use payout_executor::EpochStage;
    let names: Vec<_> = [
        EpochStage::Planned,
        EpochStage::Minted,
        EpochStage::Paying,
        EpochStage::Paid,
        EpochStage::Done,
    ]
    .into_iter()
    .map(EpochStage::name)
    .collect();
    assert_eq!(names, ["planned", "minted", "paying", "paid", "done"]);
}
