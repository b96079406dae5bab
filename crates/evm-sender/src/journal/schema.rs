//! The nonce journal's schema: its tables, its version (`PRAGMA user_version`), and the check
//! that a file is a nonce journal this version reads before anything is written to it.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::{Error, Result};

/// The schema this version writes (`PRAGMA user_version`). 0 on disk is a new file, or a
/// nonce journal written before the version was recorded (the same tables).
pub(super) const SCHEMA_VERSION: i64 = 1;

/// The columns each table of the schema must have: a file with these tables missing one is
/// not a nonce journal this version reads.
const COLUMNS: [(&str, &[&str]); 3] = [
    ("meta", &["key", "value"]),
    (
        "ops",
        &[
            "op_id",
            "nonce",
            "to_addr",
            "data",
            "value",
            "fixed_gas_limit",
            "state",
            "tx_hash",
            "block_number",
            "block_hash",
            "gas_used",
            "contract_address",
        ],
    ),
    (
        "attempts",
        &[
            "op_id",
            "attempt",
            "tx_hash",
            "raw",
            "gas_price",
            "gas_limit",
            "created_ms",
        ],
    ),
];

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ops (
    op_id TEXT PRIMARY KEY,
    nonce INTEGER NOT NULL UNIQUE,
    to_addr TEXT,
    data BLOB NOT NULL,
    value TEXT NOT NULL,
    fixed_gas_limit INTEGER,
    state TEXT NOT NULL DEFAULT 'pending',
    tx_hash BLOB, block_number INTEGER, block_hash BLOB, gas_used INTEGER,
    contract_address TEXT
);
CREATE TABLE IF NOT EXISTS attempts (
    op_id TEXT NOT NULL REFERENCES ops(op_id),
    attempt INTEGER NOT NULL,
    tx_hash BLOB NOT NULL UNIQUE,
    raw BLOB NOT NULL,
    gas_price TEXT NOT NULL,
    gas_limit INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (op_id, attempt)
);";

/// Refuses a database that is not a nonce journal this version reads: a newer version, or
/// tables other than the schema's (an empty database is a new journal).
pub(super) fn check_schema(conn: &Connection, path: &Path) -> Result<()> {
    let refuse = |reason: String| Error::JournalUnusable {
        path: PathBuf::from(path),
        reason,
    };
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| unusable(path, e))?;
    if version > SCHEMA_VERSION {
        return Err(refuse(format!(
            "schema version {version} is newer than this version reads ({SCHEMA_VERSION})"
        )));
    }
    let tables: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )
        .map_err(|e| unusable(path, e))?;
    if tables == 0 {
        return Ok(());
    }
    for (table, columns) in COLUMNS {
        let mut stmt = conn.prepare("SELECT name FROM pragma_table_info(?1)")?;
        let present = stmt
            .query_map([table], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if let Some(missing) = columns.iter().find(|c| !present.iter().any(|p| p == *c)) {
            return Err(refuse(format!(
                "not a nonce journal: table {table} {}",
                if present.is_empty() {
                    "is missing".to_string()
                } else {
                    format!("has no column {missing}")
                }
            )));
        }
    }
    Ok(())
}

/// A SQLite error opening `path`: a file that is not a database, or a damaged one, is
/// [`Error::JournalUnusable`]; anything else (a disk error) stays what it is.
pub(super) fn unusable(path: &Path, error: rusqlite::Error) -> Error {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
            Error::JournalUnusable {
                path: PathBuf::from(path),
                reason: format!("not a SQLite database, or a damaged one ({error})"),
            }
        }
        _ => Error::Journal(error),
    }
}
