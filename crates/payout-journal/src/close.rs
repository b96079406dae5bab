//! An epoch closed for good (`tokenomics close-epoch`): the journaled plan it is judged
//! by (its transfers and total), and the closing recorded with its reason, transaction
//! and time (stage `closed`; a run treats it as finished and never pays it).

use rusqlite::{params, OptionalExtension};
use tokenomics_core::{Amount, Category, Transfer};

use crate::error::Result;
use crate::{corrupt, key, parse, seconds, units, Journal, Stage};

/// How an epoch was closed, as journaled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closing {
    /// Why it could never complete.
    pub reason: String,
    /// The `closeEpoch` transaction.
    pub tx_hash: String,
    /// When (unix seconds).
    pub closed_at: Option<u64>,
}

impl Journal {
    /// The journaled plan's transfers of `epoch`, in plan order.
    pub fn transfers(&self, epoch: u64) -> Result<Vec<Transfer>> {
        let mut query = self.conn.prepare(
            "SELECT recipient, amount, category FROM transfers WHERE epoch = ?1 ORDER BY idx",
        )?;
        let rows = query.query_map(params![key(epoch)?], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?;
        let mut transfers = Vec::new();
        for row in rows {
            let (to, amount, category) = row?;
            let category = Category::ALL
                .into_iter()
                .find(|c| c.name() == category)
                .ok_or_else(|| corrupt(format!("unknown category {category:?}")))?;
            transfers.push(Transfer {
                to: parse(&to)?,
                amount: units(&amount)?,
                category,
            });
        }
        Ok(transfers)
    }

    /// What `epoch`'s journaled plan pays in all.
    pub fn plan_total(&self, epoch: u64) -> Result<Option<Amount>> {
        let total: Option<String> = self
            .conn
            .query_row(
                "SELECT total FROM epochs WHERE epoch = ?1",
                params![key(epoch)?],
                |row| row.get(0),
            )
            .optional()?;
        total.as_deref().map(units).transpose()
    }

    /// Marks `epoch` closed at `now` (unix seconds): why, and the transaction that closed
    /// it on chain.
    pub fn close(&mut self, epoch: u64, reason: &str, tx_hash: &str, now: u64) -> Result<()> {
        self.conn.execute(
            "UPDATE epochs SET stage = ?2, closed_reason = ?3, closed_tx = ?4, finished_at = ?5
             WHERE epoch = ?1",
            params![
                key(epoch)?,
                Stage::Closed.as_str(),
                reason,
                tx_hash,
                seconds(now)
            ],
        )?;
        Ok(())
    }

    /// How `epoch` was closed, `None` when it was not.
    pub fn closing(&self, epoch: u64) -> Result<Option<Closing>> {
        let row = self
            .conn
            .query_row(
                "SELECT closed_reason, closed_tx, finished_at FROM epochs
                 WHERE epoch = ?1 AND stage = 'closed'",
                params![key(epoch)?],
                |row| {
                    Ok((
                        row.get::<_, Option<String>>(0)?,
                        row.get::<_, Option<String>>(1)?,
                        row.get::<_, Option<i64>>(2)?,
                    ))
                },
            )
            .optional()?;
        Ok(row.map(|(reason, tx_hash, at)| Closing {
            reason: reason.unwrap_or_default(),
            tx_hash: tx_hash.unwrap_or_default(),
            closed_at: at.and_then(|at| u64::try_from(at).ok()),
        }))
    }
}
