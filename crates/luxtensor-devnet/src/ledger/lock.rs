//! [`LedgerLock`]: one devnet per ledger file, enforced by an exclusive advisory
//! lock on `<ledger>.lock` that names its holder's pid.
//!
//! Two nodes on one SQLite file would each cache the block number and supply, so
//! the second one reports stale totals and fails every write. The lock is taken
//! before SQLite opens the file and is held while any clone of the ledger lives;
//! the OS releases it when the process dies, even by SIGKILL. The file itself is
//! left behind on purpose: deleting it would let a third node lock a fresh file
//! while the second still holds the old one.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::DevnetError;

/// The held lock on a ledger file; released when dropped.
#[derive(Debug)]
pub(super) struct LedgerLock {
    /// Kept open: closing it releases the lock.
    _file: File,
}

impl LedgerLock {
    /// Locks `<ledger>.lock` and writes this process's pid into it, or says who holds it.
    pub(super) fn acquire(ledger: &Path) -> Result<LedgerLock, DevnetError> {
        let lock_file = lock_path(ledger);
        let io_error = |source| DevnetError::LockFile {
            lock_file: lock_file.clone(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_file)
            .map_err(io_error)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(DevnetError::LedgerInUse {
                    ledger: ledger.to_path_buf(),
                    pid: read_pid(&mut file),
                    lock_file,
                })
            }
            Err(TryLockError::Error(source)) => return Err(io_error(source)),
        }
        let pid = std::process::id();
        file.set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| writeln!(file, "{pid}"))
            .and_then(|()| file.sync_data())
            .map_err(io_error)?;
        Ok(LedgerLock { _file: file })
    }
}

/// `<ledger>.lock`: the ledger's file name with ".lock" appended, in the same directory.
fn lock_path(ledger: &Path) -> PathBuf {
    let mut name = ledger.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// The pid the holder wrote; `None` while it has not written it yet (or it is garbage).
fn read_pid(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    // Reading is allowed: the lock is advisory, and only the pid is in there.
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_file_is_the_ledger_name_plus_dot_lock() {
        assert_eq!(
            lock_path(Path::new("/data/devnet.sqlite")),
            PathBuf::from("/data/devnet.sqlite.lock")
        );
    }
}
