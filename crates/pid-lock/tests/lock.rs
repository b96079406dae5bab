//! `PidLock` on real files: one holder at a time, the holder's pid named, released on drop.

use std::path::Path;

use pid_lock::{lock_path, LockError, PidLock};

#[track_caller]
fn check<T: PartialEq + std::fmt::Debug>(got: T, want: T) {
    assert_eq!(got, want);
}

fn refusal(path: &Path) -> LockError {
    PidLock::acquire(path).expect_err("the second lock is refused")
}

#[test]
fn the_lock_file_is_the_file_name_plus_dot_lock() {
    check(
        lock_path(Path::new("/data/journal.sqlite")),
        Path::new("/data/journal.sqlite.lock").to_path_buf(),
    );
}

#[test]
fn a_second_lock_of_a_held_file_is_refused_naming_the_holders_pid() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let _held = PidLock::acquire(&path).unwrap();
    let error = refusal(&path);
    check(
        matches!(&error, LockError::InUse { pid: Some(pid), .. } if *pid == std::process::id()),
        true,
    );
    check(error.is_retryable(), true);
    check(
        error.to_string().contains(&std::process::id().to_string()),
        true,
    );
}

#[test]
fn a_dropped_lock_can_be_taken_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    drop(PidLock::acquire(&path).unwrap());
    check(PidLock::acquire(&path).is_ok(), true);
}

#[test]
fn a_lock_file_that_cannot_be_created_is_an_io_error_that_retrying_does_not_help() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing-folder").join("journal.sqlite");
    let error = PidLock::acquire(&path).expect_err("no folder, no lock file");
    check(matches!(error, LockError::Io { .. }), true);
    check(error.is_retryable(), false);
}
