//! The SQLite journal: every plan is written here before anything is sent, and every
//! confirmed write is marked here, so a run killed at any point resumes exactly.
//!
//! Amounts are stored as decimal text of base units (SQLite integers are only 64-bit).
//! Each state change is one transaction (WAL, `synchronous=NORMAL`: a commit survives
//! the process being killed). A confirmation mark lost to a power cut only means an
//! idempotent resend: the chain, not the journal, is what makes a write exactly-once;
//! the journal only spares a run the reads that find where an epoch stands.
//! One run at a time holds a journal (`<journal>.lock`, through `pid-lock`); the schema carries its version
//! (`PRAGMA user_version`) and a journal from a newer version is refused.
//!
//! [`Journal`] is the run's handle (locked, migrated, written); [`read_status`] and
//! [`JournalReader`] read a journal without a lock or a write (what `tokenomics status`
//! shows); [`PaidBy`] is what a confirmation records; [`JournalError`] says what failed
//! and whether the file given is the problem.
//!
//! # Example
//!
//! ```
//! use payout_journal::{Journal, PaidBy, Stage, TxHash};
//! use tokenomics_core::{synthetic_inputs, Amount, EpochPlan, Params};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let plan = EpochPlan::build(&Params::default(), &synthetic_inputs(7, 10))?;
//! let treasury = "0x7472656173757279000000000000000000000000".parse()?;
//! let mut journal = Journal::in_memory()?;
//! journal.record_plan(&plan, Amount::ZERO, treasury)?;
//! journal.confirm(7, &[(0, PaidBy::Tx(TxHash([1; 32]))), (1, PaidBy::AnotherRun)])?;
//! assert_eq!(journal.confirmed_indices(7)?, vec![0, 1]);
//! assert_eq!(journal.epoch(7)?.map(|record| record.stage), Some(Stage::Planned));
//! # Ok(())
//! # }
//! ```

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

use std::path::{Path, PathBuf};
use std::str::FromStr;

use rusqlite::Connection;
use tokenomics_core::Amount;

use crate::status::read_only;

mod checkpoint;
mod claims;
mod close;
mod confirm_writer;
mod epochs;
mod error;
mod journaled;
mod migrate;
mod paid_by;
mod path;
mod record;
mod schema;
mod status;
mod transfers;
use checkpoint::Checkpointer;
pub use claims::{ClaimsEpoch, ClaimsLedger};
pub use close::Closing;
pub use confirm_writer::ConfirmWriter;
pub use error::{JournalError, Result};
pub use journaled::{JournalReader, JournaledEpoch};
use migrate::migrate;
pub use paid_by::{NotATxHash, PaidBy, TxHash};
pub use path::{journals_folder, node_journal_path};
pub use record::{EpochRecord, NextEpoch, Stage};
use schema::SCHEMA;
pub use schema::SCHEMA_VERSION;
pub use status::{read_status, EpochStage, EpochStatus};

/// The journal database, held by this run alone.
#[derive(Debug)]
pub struct Journal {
    // Dropped in this order: the checkpoint thread stops before the connection closes
    // (which checkpoints what is left), and the lock goes last.
    _checkpointer: Option<Checkpointer>,
    conn: Connection,
    /// The file, for the threads that open connections of their own (none in memory).
    path: Option<PathBuf>,
    _lock: Option<pid_lock::PidLock>,
}

impl Journal {
    /// Opens (or creates) the journal at `path`; refused while another run holds it.
    pub fn open(path: &Path) -> Result<Journal> {
        let lock = pid_lock::PidLock::acquire(path).map_err(JournalError::from)?;
        Journal::init(Connection::open(path)?, Some(path), Some(lock))
    }

    /// The journal at `path` for reading only: no lock, no migration, nothing created
    /// (see [`crate::read_status`]); writing to it fails.
    pub fn open_read_only(path: &Path) -> Result<Journal> {
        Ok(Journal {
            _checkpointer: None,
            conn: read_only(path)?,
            path: None,
            _lock: None,
        })
    }

    /// A journal that lives in memory (tests).
    pub fn in_memory() -> Result<Journal> {
        Journal::init(Connection::open_in_memory()?, None, None)
    }

    fn init(
        conn: Connection,
        path: Option<&Path>,
        lock: Option<pid_lock::PidLock>,
    ) -> Result<Journal> {
        // A file that is not a database fails here: a corrupt journal, not a disk error.
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(crate::status::sql)?;
        if version > SCHEMA_VERSION {
            return Err(JournalError::Version {
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        // Before anything is written (WAL mode, tables, version): another program's
        // database is refused untouched.
        crate::status::check_journal_tables(&conn, true)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Speed only: 64 MiB of page cache (2 MiB by default), so confirmations do not
        // reread an epoch's transfer rows from disk; checkpoints by a thread of their own.
        conn.pragma_update(None, "cache_size", -65_536)?;
        conn.pragma_update(None, "wal_autocheckpoint", checkpoint::FALLBACK_PAGES)?;
        if version < SCHEMA_VERSION {
            migrate(&conn)?;
        }
        Ok(Journal {
            _checkpointer: path.and_then(Checkpointer::start),
            conn,
            path: path.map(Path::to_path_buf),
            _lock: lock,
        })
    }
}

fn key(epoch: u64) -> Result<i64> {
    i64::try_from(epoch).map_err(|_| JournalError::EpochTooLarge { epoch })
}

/// Unix seconds as a SQLite integer (saturating: far beyond any real clock).
fn seconds(unix: u64) -> i64 {
    i64::try_from(unix).unwrap_or(i64::MAX)
}

pub(crate) fn corrupt(reason: String) -> JournalError {
    JournalError::Corrupt { reason }
}

pub(crate) fn parse<T: FromStr>(text: &str) -> Result<T> {
    text.parse()
        .map_err(|_| corrupt(format!("cannot read {text:?}")))
}

pub(crate) fn units(text: &str) -> Result<Amount> {
    parse::<u128>(text).map(Amount::from_base_units)
}
