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

use std::path::{Path, PathBuf};
use std::str::FromStr;

use rusqlite::{params, Connection, OptionalExtension};
use tokenomics_core::{Address, Amount, EpochPlan};

use crate::error::{ExecutorError, Result};
use crate::status::read_only;

mod checkpoint;
mod confirm_writer;
pub(crate) mod migrate;
mod record;
mod transfers;
use checkpoint::Checkpointer;
pub(crate) use confirm_writer::ConfirmWriter;
use migrate::migrate;
pub use record::{EpochRecord, NextEpoch, Stage};

/// The schema this version writes (`PRAGMA user_version`). Version 1 (never set, 0 on
/// disk) keyed writes by plan hash; its finished epochs are kept, unfinished ones are
/// refused because their keys differ from today's. Version 3 added `started_at`,
/// `finished_at` and `runs` (unknown, NULL, for epochs journaled before). Version 4 keeps
/// `transfers` in its primary key's order (`WITHOUT ROWID`) and each confirmation as a row
/// of its own in `confirmations` (a transfer's `tx_hash` column before): confirming
/// appends rows instead of rewriting the plan's.
pub(crate) const SCHEMA_VERSION: i64 = 4;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS epochs (
    epoch           INTEGER PRIMARY KEY,
    plan_hash       TEXT NOT NULL,
    inputs_digest   TEXT NOT NULL,
    minted_supply   TEXT NOT NULL,
    treasury        TEXT NOT NULL,
    from_mint       TEXT NOT NULL,
    total           TEXT NOT NULL,
    treasury_before TEXT,
    stage           TEXT NOT NULL,
    baseline_block  TEXT,
    started_at      INTEGER,
    finished_at     INTEGER,
    runs            INTEGER
);
CREATE TABLE IF NOT EXISTS transfers (
    epoch     INTEGER NOT NULL,
    idx       INTEGER NOT NULL,
    recipient TEXT NOT NULL,
    amount    TEXT NOT NULL,
    category  TEXT NOT NULL,
    PRIMARY KEY (epoch, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS confirmations (
    epoch   INTEGER NOT NULL,
    idx     INTEGER NOT NULL,
    tx_hash TEXT NOT NULL,
    PRIMARY KEY (epoch, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS samples (
    epoch          INTEGER NOT NULL,
    recipient      TEXT NOT NULL,
    balance_before TEXT NOT NULL,
    PRIMARY KEY (epoch, recipient)
);
";

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
        let lock = pid_lock::PidLock::acquire(path).map_err(ExecutorError::from)?;
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
            return Err(ExecutorError::JournalVersion {
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
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

    /// The record of `epoch`, if it was ever planned.
    pub fn epoch(&self, epoch: u64) -> Result<Option<EpochRecord>> {
        let row = self
            .conn
            .query_row(
                "SELECT plan_hash, minted_supply, treasury, treasury_before, stage, baseline_block
                 FROM epochs WHERE epoch = ?1",
                params![key(epoch)?],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, Option<String>>(3)?,
                        row.get::<_, String>(4)?,
                        row.get::<_, Option<String>>(5)?,
                    ))
                },
            )
            .optional()?;
        let Some((hash, minted, treasury, before, stage, baseline)) = row else {
            return Ok(None);
        };
        Ok(Some(EpochRecord {
            epoch,
            plan_hash: parse(&hash)?,
            minted_supply: units(&minted)?,
            treasury: parse(&treasury)?,
            treasury_before: before.as_deref().map(units).transpose()?,
            baseline: baseline.as_deref().map(parse).transpose()?,
            stage: Stage::parse(&stage)?,
        }))
    }

    /// Writes the plan and every transfer, in one transaction, before anything is sent.
    pub fn record_plan(
        &mut self,
        plan: &EpochPlan,
        minted_supply: Amount,
        treasury: Address,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO epochs (epoch, plan_hash, inputs_digest, minted_supply, treasury,
                                 from_mint, total, stage, runs)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)",
            params![
                key(plan.epoch)?,
                plan.plan_hash.to_string(),
                plan.inputs_digest.to_string(),
                minted_supply.base_units().to_string(),
                treasury.to_string(),
                plan.from_mint.base_units().to_string(),
                plan.total.base_units().to_string(),
                Stage::Planned.as_str(),
            ],
        )?;
        transfers::insert_transfers(&tx, plan)?;
        tx.commit()?;
        Ok(())
    }

    /// Records the balances read before the mint (the treasury's and the sample's),
    /// and the block they were read at when they are a true starting point.
    pub fn record_balances_before(
        &mut self,
        epoch: u64,
        treasury_before: Amount,
        samples: &[(Address, Amount)],
        baseline_block: Option<u128>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE epochs SET treasury_before = ?2, baseline_block = ?3 WHERE epoch = ?1",
            params![
                key(epoch)?,
                treasury_before.base_units().to_string(),
                baseline_block.map(|b| b.to_string())
            ],
        )?;
        tx.execute("DELETE FROM samples WHERE epoch = ?1", params![key(epoch)?])?;
        for (address, balance) in samples {
            tx.execute(
                "INSERT INTO samples (epoch, recipient, balance_before) VALUES (?1, ?2, ?3)",
                params![
                    key(epoch)?,
                    address.to_string(),
                    balance.base_units().to_string()
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The sampled recipients and their balances before the epoch's writes.
    pub fn samples(&self, epoch: u64) -> Result<Vec<(Address, Amount)>> {
        let mut query = self.conn.prepare(
            "SELECT recipient, balance_before FROM samples WHERE epoch = ?1 ORDER BY recipient",
        )?;
        let rows = query.query_map(params![key(epoch)?], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        let mut samples = Vec::new();
        for row in rows {
            let (address, balance) = row?;
            samples.push((parse(&address)?, units(&balance)?));
        }
        Ok(samples)
    }

    /// Moves `epoch` to `stage`.
    pub fn set_stage(&mut self, epoch: u64, stage: Stage) -> Result<()> {
        self.conn.execute(
            "UPDATE epochs SET stage = ?2 WHERE epoch = ?1",
            params![key(epoch)?, stage.as_str()],
        )?;
        Ok(())
    }

    /// Counts a run that starts work on the unfinished `epoch` at `now` (unix seconds);
    /// the first one sets `started_at`.
    pub fn begin_run(&mut self, epoch: u64, now: u64) -> Result<()> {
        self.conn.execute(
            "UPDATE epochs SET runs = runs + 1, started_at = COALESCE(started_at, ?2)
             WHERE epoch = ?1",
            params![key(epoch)?, seconds(now)],
        )?;
        Ok(())
    }

    /// Marks `epoch` done, finished at `now` (unix seconds).
    pub fn finish(&mut self, epoch: u64, now: u64) -> Result<()> {
        self.conn.execute(
            "UPDATE epochs SET stage = ?2, finished_at = ?3 WHERE epoch = ?1",
            params![key(epoch)?, Stage::Done.as_str(), seconds(now)],
        )?;
        Ok(())
    }

    /// Where a run without inputs carries on: the first unfinished epoch (to resume),
    /// else the one after the last (`None` when the journal is empty).
    pub fn next_epoch(&self) -> Result<NextEpoch> {
        let unfinished: Option<i64> = self.conn.query_row(
            "SELECT MIN(epoch) FROM epochs WHERE stage != 'done'",
            [],
            |row| row.get(0),
        )?;
        let last: Option<i64> =
            self.conn
                .query_row("SELECT MAX(epoch) FROM epochs", [], |row| row.get(0))?;
        Ok(match (unfinished, last) {
            (Some(epoch), _) => NextEpoch::Unfinished(epoch.max(0) as u64),
            (None, Some(epoch)) => NextEpoch::After(epoch.max(0) as u64 + 1),
            (None, None) => NextEpoch::After(0),
        })
    }
}

fn key(epoch: u64) -> Result<i64> {
    i64::try_from(epoch).map_err(|_| ExecutorError::EpochTooLarge { epoch })
}

/// Unix seconds as a SQLite integer (saturating: far beyond any real clock).
fn seconds(unix: u64) -> i64 {
    i64::try_from(unix).unwrap_or(i64::MAX)
}

pub(crate) fn corrupt(reason: String) -> ExecutorError {
    ExecutorError::JournalCorrupt { reason }
}

pub(crate) fn parse<T: FromStr>(text: &str) -> Result<T> {
    text.parse()
        .map_err(|_| corrupt(format!("cannot read {text:?}")))
}

pub(crate) fn units(text: &str) -> Result<Amount> {
    parse::<u128>(text).map(Amount::from_base_units)
}
