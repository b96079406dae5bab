//! The journal's small rules, as data: how a confirmation's payer is written and read,
//! and what each error says of itself (bad input, worth a retry, its epoch).

use std::path::PathBuf;

use payout_journal::{Journal, JournalError, PaidBy, TxHash};

/// `text` reads as `want` (or is refused), and what reads writes back as `text`.
#[track_caller]
fn check_paid_by(text: &str, want: Option<PaidBy>) {
    let got = text.parse::<PaidBy>().ok();
    assert_eq!(got, want, "{text}");
    if let Some(paid_by) = got {
        assert_eq!(paid_by.to_string(), text);
    }
}

#[test]
fn a_transaction_hash_is_0x_and_64_hex_digits_both_ways() {
    let hash = TxHash([0xab; 32]);
    check_paid_by(&format!("0x{}", "ab".repeat(32)), Some(PaidBy::Tx(hash)));
}

#[test]
fn another_runs_payment_is_journaled_in_words_and_read_back() {
    check_paid_by("paid by another run", Some(PaidBy::AnotherRun));
}

#[test]
fn text_that_is_no_transaction_hash_is_refused() {
    for text in [
        "",
        "0x",
        "0x12",
        &"ab".repeat(32),
        &format!("0x{}", "zz".repeat(32)),
        &format!("0x{}", "ab".repeat(33)),
    ] {
        check_paid_by(text, None);
    }
}

/// What `error` says of itself: bad input, retry helps, its epoch.
#[track_caller]
fn check_error(error: JournalError, bad_input: bool, retryable: bool, epoch: Option<u64>) {
    assert_eq!(
        (error.is_bad_input(), error.is_retryable(), error.epoch()),
        (bad_input, retryable, epoch),
        "{error}"
    );
}

#[test]
fn a_journal_from_a_newer_version_is_bad_input() {
    check_error(
        JournalError::Version {
            found: 9,
            supported: 5,
        },
        true,
        false,
        None,
    );
}

#[test]
fn a_missing_or_corrupt_journal_is_bad_input() {
    let missing = JournalError::Missing {
        path: PathBuf::from("j.sqlite"),
        reason: "no such file",
    };
    check_error(missing, true, false, None);
    let corrupt = JournalError::Corrupt {
        reason: "cannot read \"x\"".to_string(),
    };
    check_error(corrupt, true, false, None);
}

#[test]
fn an_epoch_too_large_for_sqlite_is_bad_input_naming_the_epoch() {
    check_error(
        JournalError::EpochTooLarge { epoch: u64::MAX },
        true,
        false,
        Some(u64::MAX),
    );
}

#[test]
fn a_journal_held_by_another_run_is_worth_a_retry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let _held = Journal::open(&path).unwrap();
    let error = Journal::open(&path).unwrap_err();
    assert!(matches!(error, JournalError::InUse { .. }), "{error}");
    check_error(error, false, true, None);
}

#[test]
fn a_database_or_writer_failure_is_neither_bad_input_nor_worth_a_retry() {
    let writer = JournalError::Writer {
        reason: "stopped".to_string(),
    };
    check_error(writer, false, false, None);
    let database = JournalError::Database(rusqlite::Error::InvalidQuery);
    check_error(database, false, false, None);
}

#[test]
fn sums_that_overflow_are_a_corrupt_journal() {
    let overflow = tokenomics_core::Amount::from_base_units(u128::MAX)
        .checked_add(tokenomics_core::Amount::from_base_units(1), "owed")
        .unwrap_err();
    let error = JournalError::from(overflow);
    assert!(matches!(error, JournalError::Corrupt { .. }), "{error}");
}
