//! The journal's two writes of one row per transfer: the plan's transfers (many rows per
//! `INSERT`) and their confirmations (one transaction per group).

use rusqlite::{params, Connection};
use tokenomics_core::EpochPlan;

use super::key;
use crate::error::Result;
use crate::hex::address_hex;

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
            insert.raw_bind_parameter(at + 3, address_hex(&transfer.to))?;
            insert.raw_bind_parameter(at + 4, transfer.amount.base_units().to_string())?;
            insert.raw_bind_parameter(at + 5, transfer.category.name())?;
        }
        insert.raw_execute()?;
    }
    Ok(())
}

/// Sets the transaction hash of each confirmed transfer of `epoch`, in one transaction.
pub(super) fn confirm(
    conn: &mut Connection,
    epoch: u64,
    confirmed: &[(u32, String)],
) -> Result<()> {
    let epoch = key(epoch)?;
    let tx = conn.transaction()?;
    {
        let mut update =
            tx.prepare_cached("UPDATE transfers SET tx_hash = ?3 WHERE epoch = ?1 AND idx = ?2")?;
        for (index, tx_hash) in confirmed {
            update.execute(params![epoch, i64::from(*index), tx_hash])?;
        }
    }
    tx.commit()?;
    Ok(())
}
