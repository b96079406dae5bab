//! [`BatchTx`]: one SQLite transaction around every call of a JSON-RPC batch.
//!
//! While it lives it holds the ledger's gate, so no other request interleaves its
//! statements; writes inside it need no savepoints (see `Ledger::apply`). Dropped without
//! [`BatchTx::commit`] (e.g. the client went away), it rolls everything back.

use tokio::sync::OwnedMutexGuard;

use super::{reload, Ledger};
use crate::error::DevnetError;

/// An open batch transaction; commit it or drop it to roll back.
#[derive(Debug)]
pub struct BatchTx {
    ledger: Ledger,
    open: bool,
    _gate: OwnedMutexGuard<()>,
}

impl BatchTx {
    pub(super) fn begin(ledger: Ledger, gate: OwnedMutexGuard<()>) -> Result<BatchTx, DevnetError> {
        {
            let mut state = ledger.state();
            state
                .conn
                .execute_batch("BEGIN IMMEDIATE")
                .map_err(DevnetError::storage("starting a batch"))?;
            state.in_batch = true;
            state.batch_poisoned = None;
        }
        Ok(BatchTx {
            ledger,
            open: true,
            _gate: gate,
        })
    }

    /// Commits every write of the batch at once; rolls back instead if a write
    /// failed half-way inside it.
    pub fn commit(mut self) -> Result<(), DevnetError> {
        self.open = false;
        let mut state = self.ledger.state();
        state.in_batch = false;
        if let Some(reason) = state.batch_poisoned.take() {
            let _ = state.conn.execute_batch("ROLLBACK");
            reload(&mut state)?;
            return Err(DevnetError::BatchRolledBack(reason));
        }
        match super::run_cached(&state.conn, "COMMIT") {
            Ok(()) => Ok(()),
            Err(source) => {
                let _ = state.conn.execute_batch("ROLLBACK");
                reload(&mut state)?;
                Err(DevnetError::Storage {
                    context: "committing a batch",
                    source,
                })
            }
        }
    }
}

impl Drop for BatchTx {
    fn drop(&mut self) {
        if self.open {
            let mut state = self.ledger.state();
            state.in_batch = false;
            state.batch_poisoned = None;
            let _ = state.conn.execute_batch("ROLLBACK");
            if let Err(error) = reload(&mut state) {
                tracing::error!(%error, "cannot reload ledger totals after a rollback");
            }
        }
    }
}
