//! [`BatchTx`]: one SQLite transaction around every call of a JSON-RPC batch.
//!
//! While it lives it holds the ledger's gate, so no other request interleaves its
//! statements; writes inside it run as savepoints. Dropped without
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
        }
        Ok(BatchTx {
            ledger,
            open: true,
            _gate: gate,
        })
    }

    /// Commits every write of the batch at once.
    pub fn commit(mut self) -> Result<(), DevnetError> {
        self.open = false;
        let mut state = self.ledger.state();
        state.in_batch = false;
        match state.conn.execute_batch("COMMIT") {
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
            let _ = state.conn.execute_batch("ROLLBACK");
            if let Err(error) = reload(&mut state) {
                tracing::error!(%error, "cannot reload ledger totals after a rollback");
            }
        }
    }
}
