//! One process at a time per file: an exclusive advisory lock on `<file>.lock` that
//! names its holder's pid.
//!
//! A SQLite journal or ledger written by two processes at once stays a valid database
//! but not a valid record: both would cache counters, assign the same numbers or mark
//! the same rows. [`PidLock::acquire`] takes `<file>.lock` before the file is opened
//! and writes this process's pid into it, so the second process is refused with a
//! [`LockError::InUse`] that says who holds it. The operating system releases the lock
//! when the holder ends, even on SIGKILL, so a crash never leaves a stale lock. The lock
//! file itself stays behind on purpose: deleting it would let a third process lock a
//! fresh file while the second still holds the old one.
//!
//! A forked child holds a copy of every open file of its parent until it calls `exec`
//! (the lock file is close-on-exec), and with it the lock: a lock this process has just
//! dropped can still look held, by "this process", while another thread starts a program.
//! [`PidLock::acquire`] tells that case from a real holder — the pid written is its own,
//! but no [`PidLock`] of this process holds the file — and waits for it to pass (at most
//! [`FORK_WINDOW`]).
//!
//! ```
//! # fn main() -> Result<(), pid_lock::LockError> {
//! let dir = std::env::temp_dir().join(format!("pid-lock-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).ok();
//! let journal = dir.join("journal.sqlite");
//! let held = pid_lock::PidLock::acquire(&journal)?;
//! // Only this `PidLock` (and whoever holds it) may open `journal` now.
//! drop(held);
//! # Ok(())
//! # }
//! ```

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

use std::collections::BTreeSet;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a lock that only a child between `fork` and `exec` still holds is waited
/// for: a child execs within milliseconds.
pub const FORK_WINDOW: Duration = Duration::from_secs(2);

/// How often the lock is tried again meanwhile.
const RETRY_EVERY: Duration = Duration::from_millis(5);

/// The lock files a [`PidLock`] of this process holds.
static HELD: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

/// [`HELD`], also after a thread panicked holding it (a set of paths stays consistent:
/// every change is one insert or remove).
fn held() -> std::sync::MutexGuard<'static, BTreeSet<PathBuf>> {
    HELD.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Why a lock was not taken.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LockError {
    /// Another process holds the lock; retrying helps once it has ended.
    #[error("{} is in use by another process (pid {}; lock {})", path.display(), holder(*pid), lock_file.display())]
    InUse {
        /// The file the lock guards.
        path: PathBuf,
        /// The lock file (`<path>.lock`).
        lock_file: PathBuf,
        /// The holder's pid as written in the lock file, when readable.
        pid: Option<u32>,
    },
    /// The lock file could not be created, locked or written; retrying does not help.
    #[error("cannot lock {} with {}: {source}", path.display(), lock_file.display())]
    Io {
        /// The file the lock guards.
        path: PathBuf,
        /// The lock file.
        lock_file: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
}

impl LockError {
    /// Whether trying again later can succeed (the holder may end); an I/O error cannot.
    pub fn is_retryable(&self) -> bool {
        matches!(self, LockError::InUse { .. })
    }
}

fn holder(pid: Option<u32>) -> String {
    pid.map_or_else(|| "unknown".to_string(), |pid| pid.to_string())
}

/// The held lock of one file; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct PidLock {
    /// Kept open: closing it releases the lock.
    _file: File,
    /// The lock file, in [`HELD`] while this lock lives.
    lock_file: PathBuf,
}

impl Drop for PidLock {
    fn drop(&mut self) {
        held().remove(&self.lock_file);
    }
}

impl PidLock {
    /// Locks `<path>.lock` and writes this process's pid into it, or says who holds it.
    pub fn acquire(path: &Path) -> Result<PidLock, LockError> {
        let lock_file = lock_path(path);
        let io = |source| LockError::Io {
            path: path.to_path_buf(),
            lock_file: lock_file.clone(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_file)
            .map_err(io)?;
        let pid = std::process::id();
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) => {
                    let holder = read_pid(&mut file);
                    let only_a_forked_copy = holder == Some(pid) && !held().contains(&lock_file);
                    if !only_a_forked_copy || started.elapsed() >= FORK_WINDOW {
                        return Err(LockError::InUse {
                            path: path.to_path_buf(),
                            pid: holder,
                            lock_file,
                        });
                    }
                    // A blocking wait in a blocking call, bounded by FORK_WINDOW and only in
                    // this rare case: `flock` has no timeout, and a blocking `lock()` could
                    // wait forever for another process that took the lock before writing
                    // its pid (the file still shows ours); re-reading the pid sees it.
                    std::thread::sleep(RETRY_EVERY);
                }
                Err(TryLockError::Error(source)) => return Err(io(source)),
            }
        }
        file.set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| writeln!(file, "{pid}"))
            .and_then(|()| file.sync_data())
            .map_err(io)?;
        held().insert(lock_file.clone());
        Ok(PidLock {
            _file: file,
            lock_file,
        })
    }
}

/// `<path>.lock`: the file's name with ".lock" appended, in the same folder.
pub fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// The pid the holder wrote; `None` while it has not written it yet (or it is garbage).
fn read_pid(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    // Reading is allowed: the lock is advisory, and only the pid is in there.
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}
