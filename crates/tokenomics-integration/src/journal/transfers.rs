//! The journal's two writes of one row per transfer: the plan's transfers, many rows per
//! `INSERT`, and their confirmations, each row found by its rowid.
//!
//! `record_plan` inserts an epoch's transfers in index order into one transaction, so
//! their rowids are `first + index`. A confirmation updates the row at that rowid *and*
//! with its epoch and index, so a guess that misses (a journal written otherwise) changes
//! nothing and the row is then updated by its key, as before: only the speed depends on
//! the guess.

use rusqlite::{params, Connection, OptionalExtension};
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

/// Sets the transaction hash of each confirmed transfer of `epoch` (inside the caller's
/// transaction).
pub(super) fn confirm(conn: &Connection, epoch: u64, confirmed: &[(u32, String)]) -> Result<()> {
    let Some((first, _)) = confirmed.first() else {
        return Ok(());
    };
    let epoch = key(epoch)?;
    // The rowid of transfer 0, if the rows of this epoch are where `record_plan` put them.
    let base: Option<i64> = conn
        .prepare_cached("SELECT rowid - idx FROM transfers WHERE epoch = ?1 AND idx = ?2")?
        .query_row(params![epoch, i64::from(*first)], |row| row.get(0))
        .optional()?;
    let mut by_rowid = conn.prepare_cached(
        "UPDATE transfers SET tx_hash = ?3 WHERE rowid = ?4 AND epoch = ?1 AND idx = ?2",
    )?;
    let mut by_key =
        conn.prepare_cached("UPDATE transfers SET tx_hash = ?3 WHERE epoch = ?1 AND idx = ?2")?;
    for (index, tx_hash) in confirmed {
        let index = i64::from(*index);
        let updated = match base.and_then(|base| base.checked_add(index)) {
            Some(rowid) => by_rowid.execute(params![epoch, index, tx_hash, rowid])?,
            None => 0,
        };
        if updated == 0 {
            by_key.execute(params![epoch, index, tx_hash])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;
    use tokenomics_core::{EpochPlan, Params};

    use super::*;
    use crate::synthetic::synthetic_inputs;

    /// Where the rows of epoch 7 lie in the table before they are confirmed.
    #[derive(Debug, Clone, Copy)]
    enum Rows {
        /// As `record_plan` writes them.
        InOrder,
        /// After another epoch's rows.
        AfterEpoch6,
        /// In reverse index order (rowids do not follow the index).
        Reversed,
        /// Alternating with epoch 8's rows.
        InterleavedWithEpoch8,
    }

    fn plan(epoch: u64) -> EpochPlan {
        EpochPlan::build(&Params::default(), &synthetic_inputs(epoch, 20)).unwrap()
    }

    fn insert_row(conn: &Connection, epoch: u64, index: usize) {
        conn.execute(
            "INSERT INTO transfers (epoch, idx, recipient, amount, category)
             VALUES (?1, ?2, '0x00', '1', 'miners')",
            params![epoch as i64, index as i64],
        )
        .unwrap();
    }

    /// Confirms `confirmed` of epoch 7 laid out as `rows`: exactly those rows get a hash,
    /// each its own index's.
    #[track_caller]
    fn check(rows: Rows, confirmed: &[u32]) {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(super::super::SCHEMA).unwrap();
        let seven = plan(7);
        let count = seven.transfers.len();
        match rows {
            Rows::InOrder => insert_transfers(&conn, &seven).unwrap(),
            Rows::AfterEpoch6 => {
                insert_transfers(&conn, &plan(6)).unwrap();
                insert_transfers(&conn, &seven).unwrap();
            }
            Rows::Reversed => (0..count).rev().for_each(|i| insert_row(&conn, 7, i)),
            Rows::InterleavedWithEpoch8 => (0..count).for_each(|i| {
                insert_row(&conn, 8, i);
                insert_row(&conn, 7, i);
            }),
        }
        let hash = |index: i64| format!("0x{index:064x}");
        let group: Vec<(u32, String)> =
            confirmed.iter().map(|&i| (i, hash(i64::from(i)))).collect();
        confirm(&conn, 7, &group).unwrap();
        let mut query = conn
            .prepare("SELECT epoch, idx, tx_hash FROM transfers ORDER BY epoch, idx")
            .unwrap();
        let found = query
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap();
        let mut seen = 0;
        for row in found {
            let (epoch, index, tx_hash): (i64, i64, Option<String>) = row.unwrap();
            let wanted = (epoch == 7 && confirmed.contains(&(index as u32))).then(|| hash(index));
            assert_eq!(tx_hash, wanted, "{rows:?}: epoch {epoch} transfer #{index}");
            seen += usize::from(epoch == 7);
        }
        assert_eq!(seen, count, "{rows:?}: every row of epoch 7 is there once");
    }

    #[test]
    fn a_confirmation_marks_its_own_transfer_wherever_the_rows_lie() {
        for rows in [
            Rows::InOrder,
            Rows::AfterEpoch6,
            Rows::Reversed,
            Rows::InterleavedWithEpoch8,
        ] {
            check(rows, &[0, 1, 5, 19]);
            check(rows, &[19, 3]);
            check(rows, &[]);
        }
    }
}
