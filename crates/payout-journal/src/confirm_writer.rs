//! Confirmations journaled on a thread of their own, so the task that drives the payments
//! keeps batches in flight while SQLite commits.
//!
//! Why this is safe: a confirmation handed over but not yet committed when the process
//! dies is one the next run does not know about; that run sends the transfer again under
//! its same key, and the chain answers with its first result. The journal never holds a
//! confirmation the chain does not. Groups commit in the order they were handed over, one
//! transaction each, on a connection of the writer's own (WAL: the run's connection reads
//! them once [`ConfirmWriter::finish`] returns).

use std::path::Path;
use std::sync::mpsc::{sync_channel, SyncSender};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

use crate::error::{JournalError, Result};
use crate::transfers;
use crate::{Journal, PaidBy};

/// Groups that may wait for the writer: the sender slows down rather than queue an
/// epoch's worth of confirmations in memory.
const QUEUED_GROUPS: usize = 4;

/// How long the writer waits for another connection's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// One confirmation group: (plan index, transaction hash) pairs.
type Group = Vec<(u32, PaidBy)>;

/// The thread journaling one epoch's confirmations; [`finish`](Self::finish) waits for
/// every group handed over (dropping it waits too, but drops the error).
#[derive(Debug)]
pub struct ConfirmWriter {
    groups: Option<SyncSender<Group>>,
    thread: Option<JoinHandle<Result<()>>>,
}

impl Journal {
    /// A thread that journals `epoch`'s confirmations behind the caller (see
    /// [`ConfirmWriter`]); `None` for a journal in memory, which has no file to share.
    pub fn confirm_writer(&self, epoch: u64) -> Result<Option<ConfirmWriter>> {
        self.path
            .as_deref()
            .map(|path| ConfirmWriter::start(path, epoch))
            .transpose()
    }
}

impl ConfirmWriter {
    /// Starts the writer of `epoch`'s confirmations into the journal at `path`.
    pub(super) fn start(path: &Path, epoch: u64) -> Result<ConfirmWriter> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Per connection, as the run's own: a commit survives the process being killed.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        let (groups, handed) = sync_channel::<Group>(QUEUED_GROUPS);
        let thread = std::thread::Builder::new()
            .name("journal-confirm".into())
            .spawn(move || {
                // Stops at the first failure: the sender sees the channel closed.
                for group in handed {
                    transfers::confirm(&mut conn, epoch, &group)?;
                }
                Ok(())
            })
            .map_err(|e| writer_failed(format!("cannot start: {e}")))?;
        Ok(ConfirmWriter {
            groups: Some(groups),
            thread: Some(thread),
        })
    }

    /// Hands `group` to the writer; fails with the writer's error if it has stopped.
    pub fn write(&mut self, group: Group) -> Result<()> {
        let sent = self.groups.as_ref().map(|groups| groups.send(group));
        match sent {
            Some(Ok(())) => Ok(()),
            // The writer stopped: its own error says why.
            _ => self
                .finish()
                .and(Err(writer_failed("stopped early".into()))),
        }
    }

    /// Waits until every group handed over is committed; the first failure, if any.
    pub fn finish(&mut self) -> Result<()> {
        drop(self.groups.take());
        match self.thread.take().map(JoinHandle::join) {
            None => Ok(()),
            Some(Ok(written)) => written,
            Some(Err(_)) => Err(writer_failed("panicked".into())),
        }
    }
}

impl Drop for ConfirmWriter {
    fn drop(&mut self) {
        // Commits what was handed over; the error, if any, was the caller's to take.
        let _ = self.finish();
    }
}

fn writer_failed(reason: String) -> JournalError {
    JournalError::Writer { reason }
}

#[cfg(test)]
mod tests {
    use tokenomics_core::{Amount, EpochPlan, Params};

    use crate::Journal;
    use tokenomics_core::synthetic_inputs;

    const TREASURY: &str = "0x7472656173757279000000000000000000000000";

    /// What hands `groups` of epoch 5's confirmations to a writer, then breaks the journal
    /// after `break_after` of them (if any), finds: the indices the journal shows
    /// confirmed, and whether the writer reported a failure.
    #[track_caller]
    fn check(groups: &[&[u32]], break_after: Option<usize>, confirmed: &[u32], failed: bool) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite");
        let mut journal = Journal::open(&path).unwrap();
        let plan = EpochPlan::build(&Params::default(), &synthetic_inputs(5, 10)).unwrap();
        let treasury = TREASURY.parse().unwrap();
        journal.record_plan(&plan, Amount::ZERO, treasury).unwrap();
        let mut writer = journal.confirm_writer(5).unwrap().unwrap();
        let mut outcome = Ok(());
        for (n, group) in groups.iter().enumerate() {
            if break_after == Some(n) {
                // Another connection takes the table away: the writer's next group fails.
                writer.finish().unwrap();
                journal
                    .conn
                    .execute_batch("DROP TABLE confirmations")
                    .unwrap();
                writer = journal.confirm_writer(5).unwrap().unwrap();
            }
            let group = group
                .iter()
                .map(|&i| (i, crate::PaidBy::Tx(crate::TxHash([i as u8; 32]))))
                .collect();
            outcome = outcome.and(writer.write(group));
        }
        outcome = outcome.and(writer.finish());
        assert_eq!(outcome.is_err(), failed, "{outcome:?}");
        if break_after.is_none() {
            assert_eq!(journal.confirmed_indices(5).unwrap(), confirmed);
        }
    }

    #[test]
    fn every_group_handed_over_is_committed_once_finish_returns() {
        check(
            &[&[0, 1, 2], &[7], &[3, 9]],
            None,
            &[0, 1, 2, 3, 7, 9],
            false,
        );
        check(&[], None, &[], false);
    }

    #[test]
    fn a_write_that_fails_on_the_writers_thread_is_reported_to_the_caller() {
        check(&[&[0], &[1], &[2]], Some(1), &[], true);
    }
}
