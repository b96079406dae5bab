//! `JournalReader`: one epoch's stage, plan, payer and transfers as the journal holds
//! them, read without a lock and in one read transaction per epoch (what
//! `status --check-chain` compares with the chain).

use std::path::Path;

use rusqlite::{params, Connection};
use tokenomics_core::{Address, Amount, Hash256};

use crate::migrate::has_column;
use crate::status::{damaged, read_only, sql};
use crate::{corrupt, parse, units, Result, Stage};

/// What the journal holds of one epoch, as the chain is checked against it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournaledEpoch {
    /// The epoch.
    pub epoch: u64,
    /// The journal's stage.
    pub stage: Stage,
    /// The plan's hash.
    pub plan_hash: Hash256,
    /// The account paying out (the treasury on the Luxtensor protocol).
    pub treasury: Address,
    /// Every transfer of the plan, in plan order: recipient, amount, confirmed in the journal.
    pub transfers: Vec<(Address, Amount, bool)>,
}

impl JournaledEpoch {
    /// How many transfers the journal marks confirmed.
    pub fn confirmed(&self) -> u64 {
        self.transfers
            .iter()
            .filter(|(_, _, confirmed)| *confirmed)
            .count() as u64
    }
}

/// A journal opened read-only (no lock, no migration, nothing created), read epoch by epoch.
#[derive(Debug)]
pub struct JournalReader {
    conn: Connection,
}

impl JournalReader {
    /// Opens the journal at `path` for reading, as [`read_status`](crate::read_status) does.
    pub fn open(path: &Path) -> Result<JournalReader> {
        Ok(JournalReader {
            conn: read_only(path)?,
        })
    }

    /// The journal's stage, plan, treasury and transfers of `epoch`, in one read
    /// transaction.
    pub fn epoch(&mut self, epoch: u64) -> Result<JournaledEpoch> {
        let key = i64::try_from(epoch).map_err(|_| corrupt(format!("epoch {epoch}")))?;
        let tx = self.conn.transaction().map_err(sql)?;
        let (stage, plan_hash, treasury): (String, String, String) = tx
            .query_row(
                "SELECT stage, plan_hash, treasury FROM epochs WHERE epoch = ?1",
                params![key],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .map_err(sql)?;
        // Before version 4 a confirmation was the transfer's own `tx_hash`.
        let query = if has_column(&tx, "transfers", "tx_hash").map_err(damaged)? {
            "SELECT recipient, amount, tx_hash IS NOT NULL FROM transfers WHERE epoch = ?1 ORDER BY idx"
        } else {
            "SELECT t.recipient, t.amount, c.idx IS NOT NULL FROM transfers t
             LEFT JOIN confirmations c ON c.epoch = t.epoch AND c.idx = t.idx
             WHERE t.epoch = ?1 ORDER BY t.idx"
        };
        let mut transfers = Vec::new();
        {
            let mut statement = tx.prepare(query).map_err(sql)?;
            let mut rows = statement.query(params![key]).map_err(sql)?;
            while let Some(row) = rows.next().map_err(sql)? {
                let to: String = row.get(0).map_err(sql)?;
                let amount: String = row.get(1).map_err(sql)?;
                let confirmed: bool = row.get(2).map_err(sql)?;
                transfers.push((parse(&to)?, units(&amount)?, confirmed));
            }
        }
        Ok(JournaledEpoch {
            epoch,
            stage: Stage::parse(&stage)?,
            plan_hash: parse(&plan_hash)?,
            treasury: parse(&treasury)?,
            transfers,
        })
    }
}
