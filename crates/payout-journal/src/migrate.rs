//! Bringing a journal of an older schema (or a new file) to today's `SCHEMA_VERSION`.

use rusqlite::Connection;

use crate::error::Result;
use crate::{corrupt, SCHEMA, SCHEMA_VERSION};

/// Columns added to `epochs` after version 1 (`baseline_block` in 2, `started_at`,
/// `finished_at` and `runs` in 3, `closed_reason` and `closed_tx` in 5).
const ADDED_COLUMNS: [(&str, &str); 6] = [
    ("baseline_block", "TEXT"),
    ("started_at", "INTEGER"),
    ("finished_at", "INTEGER"),
    ("runs", "INTEGER"),
    ("closed_reason", "TEXT"),
    ("closed_tx", "TEXT"),
];

/// Brings a journal of an older schema (or a new file) to [`SCHEMA_VERSION`]. Epochs
/// journaled before version 3 keep `started_at`, `finished_at` and `runs` unknown (NULL).
/// Version 6's claims tables are created empty (`SCHEMA` creates what is missing).
pub(super) fn migrate(conn: &Connection) -> Result<()> {
    let had_epochs: bool = conn.query_row(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'epochs'",
        [],
        |row| row.get::<_, i64>(0).map(|n| n > 0),
    )?;
    conn.execute_batch(SCHEMA)?;
    if had_epochs {
        if !has_column(conn, "epochs", "baseline_block")? {
            // Version 1 keyed every write by its plan hash: an unfinished epoch of it
            // resumed with today's keys could pay twice, so it is refused.
            let unfinished: Option<i64> = conn.query_row(
                "SELECT MIN(epoch) FROM epochs WHERE stage != 'done'",
                [],
                |row| row.get(0),
            )?;
            if let Some(epoch) = unfinished {
                return Err(corrupt(format!(
                    "epoch {epoch} was started by an older version with other idempotency keys; \
                     finish it with that version or pay it from a new journal"
                )));
            }
        }
        for (column, kind) in ADDED_COLUMNS {
            if !has_column(conn, "epochs", column)? {
                conn.execute_batch(&format!("ALTER TABLE epochs ADD COLUMN {column} {kind}"))?;
            }
        }
        if has_column(conn, "transfers", "tx_hash")? {
            // Version 4: the same rows, kept in their primary key's order (`WITHOUT
            // ROWID`), each confirmation moved to `confirmations`; in one transaction,
            // into the tables `SCHEMA` creates.
            conn.execute_batch(&format!(
                "BEGIN;
                 ALTER TABLE transfers RENAME TO transfers_v3;
                 {SCHEMA}
                 INSERT INTO transfers (epoch, idx, recipient, amount, category)
                     SELECT epoch, idx, recipient, amount, category FROM transfers_v3;
                 INSERT INTO confirmations (epoch, idx, tx_hash)
                     SELECT epoch, idx, tx_hash FROM transfers_v3 WHERE tx_hash IS NOT NULL;
                 DROP TABLE transfers_v3;
                 COMMIT;"
            ))?;
        }
    }
    conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    Ok(())
}

/// Whether `table` has `column`.
pub(crate) fn has_column(conn: &Connection, table: &str, column: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM pragma_table_info(?1) WHERE name = ?2",
        [table, column],
        |row| row.get::<_, i64>(0).map(|n| n > 0),
    )?)
}
