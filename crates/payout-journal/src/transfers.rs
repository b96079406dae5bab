//! The journal's rows of one per transfer: written for the plan (many rows per `INSERT`),
//! marked confirmed (one transaction per group, or by a `ConfirmWriter`), and the reads
//! over them (confirmed indices, what unfinished epochs owe, what an epoch mints, progress).

use rusqlite::{params, Connection, OptionalExtension};
use tokenomics_core::{Amount, EpochPlan};

use crate::error::Result;
use crate::{corrupt, key, units, Journal, PaidBy, Stage};

impl Journal {
    /// The plan indices of `epoch`'s confirmed transfers.
    pub fn confirmed_indices(&self, epoch: u64) -> Result<Vec<u32>> {
        let mut query = self
            .conn
            .prepare_cached("SELECT idx FROM confirmations WHERE epoch = ?1 ORDER BY idx")?;
        let rows = query.query_map(params![key(epoch)?], |row| row.get::<_, i64>(0))?;
        rows.map(|index| {
            let index = index?;
            u32::try_from(index).map_err(|_| corrupt(format!("transfer index {index}")))
        })
        .collect()
    }

    /// What the treasury still owes other epochs that were minted but not finished:
    /// the sum of their unconfirmed transfers.
    pub fn owed_by_unfinished(&self, except: u64) -> Result<Amount> {
        // Epochs first (CROSS JOIN keeps that order), then their rows by the key's index:
        // the journal's other epochs' rows are never scanned.
        let mut query = self.conn.prepare(
            "SELECT t.amount FROM epochs e CROSS JOIN transfers t ON t.epoch = e.epoch
             WHERE e.stage IN ('minted', 'paid') AND e.epoch != ?1
               AND NOT EXISTS
                   (SELECT 1 FROM confirmations c WHERE c.epoch = t.epoch AND c.idx = t.idx)",
        )?;
        let rows = query.query_map(params![key(except)?], |row| row.get::<_, String>(0))?;
        let mut owed = Amount::ZERO;
        for amount in rows {
            owed = owed.checked_add(units(&amount?)?, "owed by unfinished epochs")?;
        }
        Ok(owed)
    }

    /// What the journaled plan of `epoch` mints (also the mint room it was planned
    /// within: see [`EpochPlan::build_within`](tokenomics_core::EpochPlan::build_within)),
    /// if the epoch was ever planned.
    pub fn from_mint(&self, epoch: u64) -> Result<Option<Amount>> {
        let text = self
            .conn
            .query_row(
                "SELECT from_mint FROM epochs WHERE epoch = ?1",
                params![key(epoch)?],
                |row| row.get::<_, String>(0),
            )
            .optional()?;
        text.as_deref().map(units).transpose()
    }

    /// Marks transfers confirmed with their transaction hashes, in one transaction.
    pub fn confirm(&mut self, epoch: u64, confirmed: &[(u32, PaidBy)]) -> Result<()> {
        confirm(&mut self.conn, epoch, confirmed)
    }

    /// Takes back what the journal claimed and the chain does not show, in one
    /// transaction: `epoch` goes back to `stage` (its finish time cleared) and the `gone`
    /// transfers' confirmations are removed.
    pub fn take_back(&mut self, epoch: u64, stage: Stage, gone: &[u32]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut delete =
                tx.prepare_cached("DELETE FROM confirmations WHERE epoch = ?1 AND idx = ?2")?;
            for &index in gone {
                delete.execute(params![key(epoch)?, i64::from(index)])?;
            }
        }
        tx.execute(
            "UPDATE epochs SET stage = ?2, finished_at = NULL WHERE epoch = ?1",
            params![key(epoch)?, stage.as_str()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// (confirmed, total) transfers of `epoch`.
    pub fn progress(&self, epoch: u64) -> Result<(u64, u64)> {
        let (confirmed, total): (i64, i64) = self.conn.query_row(
            "SELECT (SELECT COUNT(*) FROM confirmations WHERE epoch = ?1),
                    (SELECT COUNT(*) FROM transfers WHERE epoch = ?1)",
            params![key(epoch)?],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        Ok((confirmed.max(0) as u64, total.max(0) as u64))
    }
}

/// Rows per `INSERT` of the plan's transfers (5 parameters each).
const ROWS_PER_INSERT: usize = 50;

fn insert_sql(rows: usize) -> String {
    let mut sql =
        String::from("INSERT INTO transfers (epoch, idx, recipient, amount, category) VALUES ");
    for row in 0..rows {
        sql.push_str(if row == 0 {
            "(?,?,?,?,?)"
        } else {
            ",(?,?,?,?,?)"
        });
    }
    sql
}

/// Inserts every transfer of `plan`, in index order (inside the caller's transaction).
pub(super) fn insert_transfers(conn: &Connection, plan: &EpochPlan) -> Result<()> {
    let epoch = key(plan.epoch)?;
    for (chunk_index, chunk) in plan.transfers.chunks(ROWS_PER_INSERT).enumerate() {
        let mut insert = conn.prepare_cached(&insert_sql(chunk.len()))?;
        for (offset, transfer) in chunk.iter().enumerate() {
            let (at, index) = (offset * 5, chunk_index * ROWS_PER_INSERT + offset);
            insert.raw_bind_parameter(at + 1, epoch)?;
            insert.raw_bind_parameter(at + 2, index as i64)?;
            insert.raw_bind_parameter(at + 3, transfer.to.to_string())?;
            insert.raw_bind_parameter(at + 4, transfer.amount.base_units().to_string())?;
            insert.raw_bind_parameter(at + 5, transfer.category.name())?;
        }
        insert.raw_execute()?;
    }
    Ok(())
}

/// Journals each confirmed transfer of `epoch` with its transaction hash, in one
/// transaction: rows appended to `confirmations` in index order (a transfer confirmed
/// again keeps its latest hash). The indices are the plan's (the callers' come from it).
pub(super) fn confirm(
    conn: &mut Connection,
    epoch: u64,
    confirmed: &[(u32, PaidBy)],
) -> Result<()> {
    let epoch = key(epoch)?;
    let mut in_order: Vec<&(u32, PaidBy)> = confirmed.iter().collect();
    in_order.sort_unstable_by_key(|(index, _)| *index);
    let tx = conn.transaction()?;
    {
        let mut insert = tx.prepare_cached(
            "INSERT OR REPLACE INTO confirmations (epoch, idx, tx_hash) VALUES (?1, ?2, ?3)",
        )?;
        for (index, paid_by) in in_order {
            insert.execute(params![epoch, i64::from(*index), paid_by.to_string()])?;
        }
    }
    tx.commit()?;
    Ok(())
}
