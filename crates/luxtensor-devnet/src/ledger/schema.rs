//! Opening the SQLite database: pragmas, tables, and the totals rebuilt from them.
//!
//! WAL with `synchronous=NORMAL`: a committed write survives the process being
//! killed (only a power cut may lose the last commits), at a fraction of the cost of
//! an fsync per commit.

use rusqlite::Connection;

use crate::config::LedgerPath;
use crate::error::DevnetError;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS balances (
    address TEXT PRIMARY KEY NOT NULL,
    amount  TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS txs (
    block_number    INTEGER PRIMARY KEY,
    idempotency_key TEXT UNIQUE,
    kind            TEXT NOT NULL,
    from_addr       TEXT,
    to_addr         TEXT NOT NULL,
    amount          TEXT NOT NULL,
    tx_hash         TEXT NOT NULL,
    memo            TEXT
);
";

/// Opens the database, sets the pragmas and creates missing tables.
pub(super) fn open(path: &LedgerPath) -> Result<Connection, DevnetError> {
    let conn = match path {
        LedgerPath::Memory => Connection::open_in_memory(),
        LedgerPath::File(file) => Connection::open(file),
    }
    .map_err(DevnetError::storage("opening the ledger"))?;
    let setup = || -> rusqlite::Result<()> {
        let _mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |row| row.get(0))?;
        conn.execute_batch("PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;")?;
        conn.execute_batch(SCHEMA)?;
        add_memo_column(&conn)?;
        conn.set_prepared_statement_cache_capacity(32);
        Ok(())
    };
    setup().map_err(DevnetError::storage("setting up the ledger"))?;
    Ok(conn)
}

/// Ledgers written before `luxtensor_mint` took a memo lack its column: add it.
fn add_memo_column(conn: &Connection) -> rusqlite::Result<()> {
    let has_memo: bool = conn.query_row(
        "SELECT COUNT(*) FROM pragma_table_info('txs') WHERE name = 'memo'",
        [],
        |row| row.get::<_, i64>(0).map(|n| n > 0),
    )?;
    if !has_memo {
        conn.execute_batch("ALTER TABLE txs ADD COLUMN memo TEXT")?;
    }
    Ok(())
}

/// Decodes an amount stored as decimal TEXT.
pub(super) fn decode_amount(text: &str) -> Result<u128, DevnetError> {
    text.parse()
        .map_err(|_| DevnetError::CorruptLedger(format!("amount {text:?} is not a u128")))
}

/// The block number (last applied write) and the total supply (sum of mints).
pub(super) fn load_totals(conn: &Connection) -> Result<(u64, u128), DevnetError> {
    let context = DevnetError::storage("loading ledger totals");
    let block: i64 = conn
        .query_row(
            "SELECT COALESCE(MAX(block_number), 0) FROM txs",
            [],
            |row| row.get(0),
        )
        .map_err(context)?;
    let block = u64::try_from(block)
        .map_err(|_| DevnetError::CorruptLedger(format!("negative block number {block}")))?;
    let mut stmt = conn
        .prepare("SELECT amount FROM txs WHERE kind = 'mint'")
        .map_err(DevnetError::storage("loading ledger totals"))?;
    let rows = stmt
        .query_map([], |row| row.get::<_, String>(0))
        .map_err(DevnetError::storage("loading ledger totals"))?;
    let mut supply: u128 = 0;
    for amount in rows {
        let amount =
            decode_amount(&amount.map_err(DevnetError::storage("loading ledger totals"))?)?;
        supply = supply
            .checked_add(amount)
            .ok_or_else(|| DevnetError::CorruptLedger("total supply overflows u128".into()))?;
    }
    Ok((block, supply))
}
