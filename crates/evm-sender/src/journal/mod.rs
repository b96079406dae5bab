//! The SQLite nonce journal: which operation owns which nonce, and every signed attempt's raw
//! bytes and hash, committed (WAL, `synchronous = FULL`) before anything is sent.
//!
//! Tables: `meta` (chain id, sender, block 0's hash when the node has one), `ops` (one row per operation, nonce unique, state),
//! `attempts` (one row per signed transaction of an operation: same nonce, rising price).
//! The schema carries its version (`schema::SCHEMA_VERSION`, `PRAGMA user_version`): a file that
//! is not a nonce journal (another program's database, a damaged file) or one of a newer
//! version is refused before anything is written to it ([`Error::JournalUnusable`]).

mod meta;
mod rows;
mod schema;

use std::path::Path;

use alloy_primitives::{Bytes, B256};
use rusqlite::{params, Connection, OptionalExtension};

use rows::{conversion, parse_col, parse_int, read_op, to_i64, to_u64, SELECT_OP};
use schema::{check_schema, unusable, SCHEMA, SCHEMA_VERSION};

use crate::{Confirmation, Result, SignedTx, TxRequest};

/// Where an operation stands in the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OpState {
    Pending,
    Confirmed(Confirmation),
    Reverted(Confirmation),
}

/// One signed transaction of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Attempt {
    pub(crate) signed: SignedTx,
    pub(crate) gas_price: u128,
    pub(crate) gas_limit: u64,
    pub(crate) created_ms: u64,
}

/// The wall clock as attempts record it ([`Attempt::created_ms`]): milliseconds since the
/// Unix epoch, 0 before it.
pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// One operation with its attempts (oldest first; never empty once inserted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OpRecord {
    pub(crate) op_id: String,
    pub(crate) nonce: u64,
    pub(crate) request: TxRequest,
    pub(crate) state: OpState,
    pub(crate) attempts: Vec<Attempt>,
}

impl OpRecord {
    pub(crate) fn latest(&self) -> Option<&Attempt> {
        self.attempts.last()
    }
}

/// The journal (one SQLite connection), held by this sender alone.
#[derive(Debug)]
pub(crate) struct Journal {
    conn: Connection,
    /// `<journal>.lock`: one sender per journal, so a nonce is handed out once.
    _lock: pid_lock::PidLock,
}

impl Journal {
    /// Opens (or creates) the nonce journal at `path`: locked first, then checked to be a
    /// nonce journal of a version this one reads (or an empty database) before anything is
    /// written to it.
    pub(crate) fn open(path: &Path) -> Result<Self> {
        let lock = pid_lock::PidLock::acquire(path)?;
        let conn = Connection::open(path).map_err(|e| unusable(path, e))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        check_schema(&conn, path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.execute_batch(SCHEMA)?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        Ok(Self { conn, _lock: lock })
    }

    /// Operations the journal holds as mined (confirmed or reverted) at `nonce` or above,
    /// by nonce.
    pub(crate) fn mined_from(&self, nonce: u64) -> Result<Vec<OpRecord>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT_OP} WHERE state != 'pending' AND nonce >= ?1 ORDER BY nonce"
        ))?;
        let ops = stmt
            .query_map([to_i64(nonce)?], read_op)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        ops.into_iter().map(|op| self.with_attempts(op)).collect()
    }

    /// Pending operations at `nonce` or above (sent and not mined, as far as the account's
    /// nonce shows): how many, and the sum of their newest attempts' gas limits.
    pub(crate) fn in_flight(&self, nonce: u64) -> Result<(u64, u64)> {
        let (count, gas): (i64, i64) = self.conn.query_row(
            "SELECT COUNT(*), COALESCE(SUM(a.gas_limit), 0) FROM ops o JOIN attempts a
             ON a.op_id = o.op_id
             AND a.attempt = (SELECT MAX(attempt) FROM attempts WHERE op_id = o.op_id)
             WHERE o.state = 'pending' AND o.nonce >= ?1",
            [to_i64(nonce)?],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((to_u64(count)?, to_u64(gas)?))
    }

    /// The pending operation with the lowest nonce at `nonce` or above, if any.
    pub(crate) fn first_pending_from(&self, nonce: u64) -> Result<Option<OpRecord>> {
        let op = self
            .conn
            .query_row(
                &format!(
                    "{SELECT_OP} WHERE state = 'pending' AND nonce >= ?1 ORDER BY nonce LIMIT 1"
                ),
                [to_i64(nonce)?],
                read_op,
            )
            .optional()?;
        op.map(|op| self.with_attempts(op)).transpose()
    }

    /// The pending operation holding `nonce`, if any.
    pub(crate) fn pending_at(&self, nonce: u64) -> Result<Option<OpRecord>> {
        let op = self
            .conn
            .query_row(
                &format!("{SELECT_OP} WHERE nonce = ?1 AND state = 'pending'"),
                [to_i64(nonce)?],
                read_op,
            )
            .optional()?;
        op.map(|op| self.with_attempts(op)).transpose()
    }

    /// The lowest and the next nonce the journal holds (`None` when empty).
    pub(crate) fn nonce_range(&self) -> Result<Option<(u64, u64)>> {
        let (low, high): (Option<i64>, Option<i64>) =
            self.conn
                .query_row("SELECT MIN(nonce), MAX(nonce) FROM ops", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
        Ok(match (low, high) {
            (Some(low), Some(high)) => Some((to_u64(low)?, to_u64(high)?.saturating_add(1))),
            _ => None,
        })
    }

    /// Journals a new operation at the next nonce, or at `base` (the account's nonce) when
    /// that is higher (an empty journal, or nonces used outside it), with the attempt `sign`
    /// makes for that nonce, in one transaction.
    pub(crate) fn insert(
        &mut self,
        op_id: &str,
        request: &TxRequest,
        base: u64,
        sign: impl FnOnce(u64) -> Result<Attempt>,
    ) -> Result<OpRecord> {
        let tx = self.conn.transaction()?;
        let high: Option<i64> = tx.query_row("SELECT MAX(nonce) FROM ops", [], |r| r.get(0))?;
        let nonce = match high {
            Some(high) => to_u64(high)?.saturating_add(1).max(base),
            None => base,
        };
        let attempt = sign(nonce)?;
        tx.execute(
            "INSERT INTO ops (op_id, nonce, to_addr, data, value, fixed_gas_limit)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                op_id,
                to_i64(nonce)?,
                request.to.map(|a| a.to_string()),
                request.data.as_ref(),
                request.value.to_string(),
                request.gas_limit.map(to_i64).transpose()?,
            ],
        )?;
        insert_attempt(&tx, op_id, 0, &attempt)?;
        tx.commit()?;
        Ok(OpRecord {
            op_id: op_id.into(),
            nonce,
            request: request.clone(),
            state: OpState::Pending,
            attempts: vec![attempt],
        })
    }

    /// Journals one more attempt (a fee bump) of a pending operation.
    pub(crate) fn add_attempt(&mut self, op: &OpRecord, attempt: &Attempt) -> Result<()> {
        let tx = self.conn.transaction()?;
        insert_attempt(&tx, &op.op_id, op.attempts.len(), attempt)?;
        tx.commit()?;
        Ok(())
    }

    pub(crate) fn find(&self, op_id: &str) -> Result<Option<OpRecord>> {
        let op = self
            .conn
            .query_row(&format!("{SELECT_OP} WHERE op_id = ?1"), [op_id], read_op)
            .optional()?;
        op.map(|op| self.with_attempts(op)).transpose()
    }

    /// Operations not confirmed, and confirmed ones at or above `from_block`, by nonce.
    pub(crate) fn to_check(&self, from_block: u64) -> Result<Vec<OpRecord>> {
        let mut stmt = self.conn.prepare(&format!(
            "{SELECT_OP} WHERE state = 'pending' OR block_number >= ?1 ORDER BY nonce"
        ))?;
        let ops = stmt
            .query_map([to_i64(from_block)?], read_op)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        ops.into_iter().map(|op| self.with_attempts(op)).collect()
    }

    pub(crate) fn set_state(&self, op_id: &str, state: &OpState) -> Result<()> {
        let (name, c) = match state {
            OpState::Pending => ("pending", None),
            OpState::Confirmed(c) => ("confirmed", Some(c)),
            OpState::Reverted(c) => ("reverted", Some(c)),
        };
        self.conn.execute(
            "UPDATE ops SET state = ?2, tx_hash = ?3, block_number = ?4, block_hash = ?5,
             gas_used = ?6, contract_address = ?7 WHERE op_id = ?1",
            params![
                op_id,
                name,
                c.map(|c| c.tx_hash.to_vec()),
                c.map(|c| to_i64(c.block_number)).transpose()?,
                c.map(|c| c.block_hash.to_vec()),
                c.map(|c| to_i64(c.gas_used)).transpose()?,
                c.and_then(|c| c.contract_address).map(|a| a.to_string()),
            ],
        )?;
        Ok(())
    }

    fn with_attempts(&self, mut op: OpRecord) -> Result<OpRecord> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT tx_hash, raw, gas_price, gas_limit, created_ms FROM attempts
             WHERE op_id = ?1 ORDER BY attempt",
        )?;
        op.attempts = stmt
            .query_map([&op.op_id], |r| {
                Ok(Attempt {
                    signed: SignedTx {
                        hash: B256::try_from(r.get::<_, Vec<u8>>(0)?.as_slice())
                            .map_err(|e| conversion(0, e))?,
                        raw: Bytes::from(r.get::<_, Vec<u8>>(1)?),
                    },
                    gas_price: parse_col(r, 2)?,
                    gas_limit: parse_int(r, 3)?,
                    created_ms: parse_int(r, 4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(op)
    }
}

fn insert_attempt(
    tx: &rusqlite::Transaction<'_>,
    op_id: &str,
    index: usize,
    attempt: &Attempt,
) -> Result<()> {
    tx.execute(
        "INSERT INTO attempts (op_id, attempt, tx_hash, raw, gas_price, gas_limit, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            op_id,
            to_i64(u64::try_from(index).unwrap_or(u64::MAX))?,
            attempt.signed.hash.as_slice(),
            attempt.signed.raw.as_ref(),
            attempt.gas_price.to_string(),
            to_i64(attempt.gas_limit)?,
            to_i64(attempt.created_ms)?,
        ],
    )?;
    Ok(())
}
