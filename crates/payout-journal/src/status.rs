//! `read_status`: what a journal holds, per epoch, read without touching any chain.
//!
//! The journal is opened read-only: no lock is taken (a running `run` is never
//! blocked, and a status can be read while it pays), nothing is migrated or created,
//! and every figure comes from one read transaction, so they agree with each other
//! as of one moment. SQLite in WAL mode lets a reader and the one writer work at once.

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::{Connection, ErrorCode, OpenFlags};
use serde::Serialize;
use tokenomics_core::{Amount, Hash256};

use crate::error::{JournalError, Result};
use crate::migrate::has_column;
use crate::{corrupt, parse, units, Stage, SCHEMA_VERSION};

/// Where an epoch stands, as `tokenomics status` names it: the journal's [`Stage`],
/// with `minted` split in two once a transfer is confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EpochStage {
    /// The plan is journaled; the mint is not confirmed.
    Planned,
    /// The mint is confirmed; no transfer is confirmed yet.
    Minted,
    /// The mint and some transfers are confirmed; the rest are being sent.
    Paying,
    /// Every transfer is confirmed; verification on chain has not finished.
    Paid,
    /// Verified on chain: the epoch is finished.
    Done,
    /// Closed for good (`tokenomics close-epoch`): it could never complete and pays
    /// nothing more.
    Closed,
}

impl EpochStage {
    /// The name printed and serialized (`planned`, `minted`, `paying`, `paid`, `done`,
    /// `closed`).
    pub fn name(self) -> &'static str {
        match self {
            EpochStage::Planned => "planned",
            EpochStage::Minted => "minted",
            EpochStage::Paying => "paying",
            EpochStage::Paid => "paid",
            EpochStage::Done => "done",
            EpochStage::Closed => "closed",
        }
    }

    fn of(stage: Stage, confirmed: u64) -> EpochStage {
        match stage {
            Stage::Planned => EpochStage::Planned,
            Stage::Minted if confirmed == 0 => EpochStage::Minted,
            Stage::Minted => EpochStage::Paying,
            Stage::Paid => EpochStage::Paid,
            Stage::Done => EpochStage::Done,
            Stage::Closed => EpochStage::Closed,
        }
    }
}

/// What the journal holds about one epoch (`tokenomics status --json`, docs/SPEC.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EpochStatus {
    /// The epoch.
    pub epoch: u64,
    /// Where it stands.
    pub stage: EpochStage,
    /// The hash of the plan being paid.
    pub plan_hash: Hash256,
    /// Transfers in the plan.
    pub transfers: u64,
    /// Transfers confirmed.
    pub confirmed: u64,
    /// Transfers not confirmed yet (`transfers - confirmed`).
    pub pending: u64,
    /// What the epoch mints.
    pub from_mint: Amount,
    /// What the epoch pays in all.
    pub total: Amount,
    /// What the confirmed transfers paid.
    pub paid: Amount,
    /// What the pending transfers still pay (`total - paid`).
    pub left: Amount,
    /// When the first run started work on it (unix seconds); `None` when journaled by a
    /// version before schema 3.
    pub started_at: Option<u64>,
    /// When it was marked done (unix seconds).
    pub finished_at: Option<u64>,
    /// How many runs started work on it; `None` when journaled before schema 3.
    pub runs: Option<u64>,
    /// Why it was closed (stage `closed`), with the transaction that closed it.
    pub closed_reason: Option<String>,
    /// How it was paid: `push` (transfers, in chunks on EVM) or `claims` (one root,
    /// recipients claim; known once its root is journaled).
    pub payout: &'static str,
    /// For a claims epoch, the root it published (`0x` + 64 hex digits).
    pub claims_root: Option<String>,
    /// For a claims epoch, the sum of every leaf of its root.
    pub cumulative_total: Option<Amount>,
}

/// Every epoch of the journal at `path`, in epoch order, read-only (see the module).
///
/// A missing file, a journal of a newer schema, or a file that is not a journal (or a
/// damaged one) are errors; a journal of an older schema is read as it is.
pub fn read_status(path: &Path) -> Result<Vec<EpochStatus>> {
    let mut conn = read_only(path)?;
    // One read transaction: every figure as of the same moment.
    let tx = conn.transaction().map_err(sql)?;
    let mut columns = Vec::new();
    for column in [
        "started_at",
        "finished_at",
        "runs",
        "closed_reason",
        "closed_tx",
    ] {
        let present = has_column(&tx, "epochs", column).map_err(damaged)?;
        columns.push(if present { column } else { "NULL" });
    }
    let query = format!(
        "SELECT epoch, stage, plan_hash, from_mint, total, {} FROM epochs ORDER BY epoch",
        columns.join(", ")
    );
    let counts = transfer_counts(&tx)?;
    let claims = claims_roots(&tx)?;
    let mut statement = tx.prepare(&query).map_err(sql)?;
    let mut rows = statement.query([]).map_err(sql)?;
    let mut epochs = Vec::new();
    while let Some(row) = rows.next().map_err(sql)? {
        let text = |i: usize| row.get::<_, String>(i).map_err(sql);
        let number = |i: usize| -> Result<Option<u64>> {
            let value = row.get::<_, Option<i64>>(i).map_err(sql)?;
            value.map(whole).transpose()
        };
        let epoch = whole(row.get(0).map_err(sql)?)?;
        let count = counts.get(&epoch).copied().unwrap_or_default();
        let total = units(&text(4)?)?;
        epochs.push(EpochStatus {
            epoch,
            stage: EpochStage::of(Stage::parse(&text(1)?)?, count.confirmed),
            plan_hash: parse(&text(2)?)?,
            transfers: count.transfers,
            confirmed: count.confirmed,
            pending: count.transfers - count.confirmed,
            from_mint: units(&text(3)?)?,
            total,
            paid: count.paid,
            left: total
                .checked_sub(count.paid, "left to pay")
                .map_err(|_| corrupt(format!("epoch {epoch}: paid more than its total")))?,
            started_at: number(5)?,
            finished_at: number(6)?,
            runs: number(7)?,
            closed_reason: closed(row)?,
            payout: if claims.contains_key(&epoch) {
                "claims"
            } else {
                "push"
            },
            claims_root: claims.get(&epoch).map(|(root, _)| root.clone()),
            cumulative_total: claims.get(&epoch).map(|(_, total)| *total),
        });
    }
    Ok(epochs)
}

/// Every journaled claims epoch's root and cumulative total (none before schema 6).
fn claims_roots(conn: &Connection) -> Result<BTreeMap<u64, (String, Amount)>> {
    let mut roots = BTreeMap::new();
    let present: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'claims_epochs'",
            [],
            |row| row.get(0),
        )
        .map_err(sql)?;
    if present == 0 {
        return Ok(roots);
    }
    let mut statement = conn
        .prepare("SELECT epoch, root, cumulative_total FROM claims_epochs")
        .map_err(sql)?;
    let mut rows = statement.query([]).map_err(sql)?;
    while let Some(row) = rows.next().map_err(sql)? {
        let epoch = whole(row.get(0).map_err(sql)?)?;
        let root: String = row.get(1).map_err(sql)?;
        let total = units(&row.get::<_, String>(2).map_err(sql)?)?;
        roots.insert(epoch, (root, total));
    }
    Ok(roots)
}

/// Columns 8 and 9 (`closed_reason`, `closed_tx`) as one text: the reason, then the
/// transaction.
fn closed(row: &rusqlite::Row<'_>) -> Result<Option<String>> {
    let reason = row.get::<_, Option<String>>(8).map_err(sql)?;
    let tx = row.get::<_, Option<String>>(9).map_err(sql)?;
    Ok(reason.map(|reason| match tx {
        Some(tx) => format!("{reason} (closed by transaction {tx})"),
        None => reason,
    }))
}

/// Transfers of one epoch: how many, how many confirmed, what those paid.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    transfers: u64,
    confirmed: u64,
    paid: Amount,
}

/// The [`Counts`] of every epoch (amounts are summed here: they are text in base units).
fn transfer_counts(conn: &Connection) -> Result<BTreeMap<u64, Counts>> {
    // Before version 4 a confirmation was the transfer's own `tx_hash`.
    let query = if has_column(conn, "transfers", "tx_hash").map_err(damaged)? {
        "SELECT epoch, amount, tx_hash IS NOT NULL FROM transfers"
    } else {
        "SELECT t.epoch, t.amount, c.idx IS NOT NULL FROM transfers t
         LEFT JOIN confirmations c ON c.epoch = t.epoch AND c.idx = t.idx"
    };
    let mut statement = conn.prepare(query).map_err(sql)?;
    let mut rows = statement.query([]).map_err(sql)?;
    let mut counts: BTreeMap<u64, Counts> = BTreeMap::new();
    while let Some(row) = rows.next().map_err(sql)? {
        let count = counts.entry(whole(row.get(0).map_err(sql)?)?).or_default();
        count.transfers += 1;
        if row.get::<_, bool>(2).map_err(sql)? {
            count.confirmed += 1;
            let amount = units(&row.get::<_, String>(1).map_err(sql)?)?;
            count.paid = count.paid.checked_add(amount, "paid")?;
        }
    }
    Ok(counts)
}

fn whole(value: i64) -> Result<u64> {
    u64::try_from(value).map_err(|_| corrupt(format!("negative number {value}")))
}

/// Opens the journal at `path` read-only, checking it is a journal this version reads.
pub(crate) fn read_only(path: &Path) -> Result<Connection> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => {}
        Ok(_) => {
            return Err(JournalError::Missing {
                path: path.to_path_buf(),
                reason: "not a file",
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(JournalError::Missing {
                path: path.to_path_buf(),
                reason: "no such file",
            })
        }
        Err(_) => {}
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(sql)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(sql)?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(sql)?;
    if version > SCHEMA_VERSION {
        return Err(JournalError::Version {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    check_journal_tables(&conn, false)?;
    Ok(conn)
}

/// Checks that the database of `conn` is a journal of this tool: it has the `epochs` and
/// `transfers` tables; when `opening` (to write), also a database with no table at all (a
/// new journal) or one with `epochs` only (the first version's). Anything else, another
/// program's database, is refused untouched.
pub(crate) fn check_journal_tables(conn: &Connection, opening: bool) -> Result<()> {
    let (tables, epochs, transfers): (i64, i64, i64) = conn
        .query_row(
            "SELECT COUNT(*), COUNT(CASE WHEN name = 'epochs' THEN 1 END),
                    COUNT(CASE WHEN name = 'transfers' THEN 1 END)
             FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .map_err(sql)?;
    match (tables, epochs, transfers) {
        (_, 1, 1) => Ok(()),
        (0, _, _) | (_, 1, _) if opening => Ok(()),
        _ => Err(corrupt(
            "not a journal of this tool (no epochs and transfers tables)".into(),
        )),
    }
}

/// A SQLite error while reading: a file that is not a database, or a damaged one, is
/// a corrupt journal; anything else (a disk error) stays what it is.
pub(crate) fn sql(error: rusqlite::Error) -> JournalError {
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
            corrupt(format!("not a SQLite database, or a damaged one ({error})"))
        }
        _ => JournalError::Database(error),
    }
}

/// [`sql`] for errors already turned into the crate's.
pub(crate) fn damaged(error: JournalError) -> JournalError {
    match error {
        JournalError::Database(error) => sql(error),
        other => other,
    }
}
