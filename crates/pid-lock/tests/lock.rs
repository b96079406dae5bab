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

/// Starts, from another thread, a child that stays between `fork` and `exec` for 300 ms
/// (a `pre_exec` that sleeps: a slow exec), holding a copy of every open file of this
/// process (the lock file is close-on-exec); returns once the child has forked, and the
/// thread that gives the child when it has exec'd.
#[cfg(target_os = "linux")]
fn fork_a_child_that_execs_late() -> std::thread::JoinHandle<std::process::Child> {
    use std::io::{Read, Write};
    use std::os::unix::process::CommandExt;
    let (mut forked, signal) = std::io::pipe().unwrap();
    let starter = std::thread::spawn(move || {
        let mut command = std::process::Command::new("true");
        // SAFETY: the closure only writes to a pipe and sleeps (write and nanosleep are
        // async-signal-safe).
        unsafe {
            command.pre_exec(move || {
                (&signal).write_all(b"f")?;
                std::thread::sleep(std::time::Duration::from_millis(300));
                Ok(())
            });
        }
        command.spawn().unwrap()
    });
    forked.read_exact(&mut [0u8]).unwrap();
    starter
}

#[cfg(target_os = "linux")]
#[test]
fn a_lock_dropped_while_a_child_has_not_yet_exec_ed_is_taken_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let held = PidLock::acquire(&path).unwrap();
    let child = fork_a_child_that_execs_late();
    drop(held);
    check(
        PidLock::acquire(&path)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Ok(()),
    );
    child.join().unwrap().wait().unwrap();
}

#[cfg(target_os = "linux")]
#[test]
fn a_lock_this_process_holds_is_still_refused_while_a_child_execs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let _held = PidLock::acquire(&path).unwrap();
    let child = fork_a_child_that_execs_late();
    check(matches!(refusal(&path), LockError::InUse { .. }), true);
    child.join().unwrap().wait().unwrap();
}
