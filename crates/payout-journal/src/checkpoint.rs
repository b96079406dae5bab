//! Checkpoints of a journal file's WAL on a thread of its own, so the thread that writes
//! the journal (and drives the payments) does not stop for them.
//!
//! SQLite copies the WAL back into the database file (a checkpoint, with its fsyncs) when
//! a commit leaves more than `wal_autocheckpoint` pages in it, and the committing thread
//! waits meanwhile. Here a thread with a connection of its own makes a passive checkpoint
//! (one that never blocks a writer) every [`INTERVAL`]; the writing connection checkpoints
//! itself only if that thread falls far behind. Durability does not change: a commit is
//! in the WAL, which survives the process, before and after its checkpoint.

use std::path::Path;
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

/// How often the WAL is checkpointed.
const INTERVAL: Duration = Duration::from_millis(100);

/// The WAL pages above which the writing connection checkpoints by itself (64 MiB).
pub(super) const FALLBACK_PAGES: i64 = 16_384;

/// The checkpointing thread of one journal; stopped (and joined) when dropped.
#[derive(Debug)]
pub(super) struct Checkpointer {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts checkpointing the journal at `path`; `None` when it cannot (then the
    /// writing connection checkpoints by itself, as SQLite does by default).
    pub(super) fn start(path: &Path) -> Option<Checkpointer> {
        let conn = Connection::open(path).ok()?;
        let (stop, stopped) = channel::<()>();
        let thread = std::thread::Builder::new()
            .name("journal-checkpoint".into())
            .spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(INTERVAL) {
                    // Best effort: a checkpoint that fails or is cut short is done later,
                    // by this thread, the writing connection, or the last one to close.
                    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            })
            .ok()?;
        Some(Checkpointer {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
