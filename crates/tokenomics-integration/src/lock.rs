//! `JournalLock`: one run at a time per journal, through an advisory lock file.
//!
//! Two runs on one journal would both insert the same epoch and step on each other's
//! marks; the second is refused with the first one's pid instead. The lock is
//! `<journal>.lock`, held (and the pid in it kept) for as long as the journal is open;
//! the operating system releases it when the process ends, even on SIGKILL.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::{ExecutorError, Result};

/// The held lock of one journal; released on drop.
#[derive(Debug)]
pub(crate) struct JournalLock {
    _file: File,
}

impl JournalLock {
    /// Takes the lock of the journal at `journal`, or says which process holds it.
    pub(crate) fn acquire(journal: &Path) -> Result<JournalLock> {
        let path = lock_path(journal);
        let io = |source: std::io::Error| ExecutorError::JournalLock {
            path: path.clone(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                // The pid is informative only: an unreadable one is reported as unknown.
                let _ = file.read_to_string(&mut holder);
                return Err(ExecutorError::JournalInUse {
                    path: journal.to_path_buf(),
                    pid: holder.trim().parse().ok(),
                });
            }
            Err(TryLockError::Error(source)) => return Err(io(source)),
        }
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        write!(file, "{}", std::process::id()).map_err(io)?;
        file.flush().map_err(io)?;
        Ok(JournalLock { _file: file })
    }
}

fn lock_path(journal: &Path) -> PathBuf {
    let mut name = journal.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}
