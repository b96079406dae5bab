//! The SQLite journal: every plan is written here before anything is sent, and every
//! confirmed write is marked here, so a run killed at any point resumes exactly.
//!
//! Amounts are stored as decimal text of base units (SQLite integers are only 64-bit).
//! Each state change is one transaction (WAL, `synchronous=NORMAL`: a commit survives
//! the process being killed). A confirmation mark lost to a power cut only means an
//! idempotent resend: the chain, not the journal, is what makes a write exactly-once.

use std::path::Path;
use std::str::FromStr;

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use tokenomics_core::{Address, Amount, Category, EpochPlan, Hash256, Transfer};

use crate::error::{ExecutorError, Result};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS epochs (
    epoch           INTEGER PRIMARY KEY,
    plan_hash       TEXT NOT NULL,
    inputs_digest   TEXT NOT NULL,
    minted_supply   TEXT NOT NULL,
    treasury        TEXT NOT NULL,
    from_mint       TEXT NOT NULL,
    total           TEXT NOT NULL,
    treasury_before TEXT,
    stage           TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS transfers (
    epoch     INTEGER NOT NULL,
    idx       INTEGER NOT NULL,
    recipient TEXT NOT NULL,
    amount    TEXT NOT NULL,
    category  TEXT NOT NULL,
    tx_hash   TEXT,
    PRIMARY KEY (epoch, idx)
);
CREATE TABLE IF NOT EXISTS samples (
    epoch          INTEGER NOT NULL,
    recipient      TEXT NOT NULL,
    balance_before TEXT NOT NULL,
    PRIMARY KEY (epoch, recipient)
);
";

/// How far an epoch has got; each stage is committed before the next one starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The plan and its transfers are journaled; nothing is known to be sent.
    Planned,
    /// The mint is confirmed (or there was nothing to mint).
    Minted,
    /// Every transfer is confirmed.
    Paid,
    /// Balances were verified on chain: the epoch is finished.
    Done,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Stage::Planned => "planned",
            Stage::Minted => "minted",
            Stage::Paid => "paid",
            Stage::Done => "done",
        }
    }

    fn parse(text: &str) -> Result<Stage> {
        Ok(match text {
            "planned" => Stage::Planned,
            "minted" => Stage::Minted,
            "paid" => Stage::Paid,
            "done" => Stage::Done,
            other => return Err(corrupt(format!("unknown stage {other:?}"))),
        })
    }
}

/// What the journal knows about one epoch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpochRecord {
    /// The epoch.
    pub epoch: u64,
    /// The hash of the plan being paid.
    pub plan_hash: Hash256,
    /// The minted supply the plan was computed with.
    pub minted_supply: Amount,
    /// The address paying out.
    pub treasury: Address,
    /// The treasury's balance before the mint, once read.
    pub treasury_before: Option<Amount>,
    /// How far the epoch has got.
    pub stage: Stage,
}

/// A journaled transfer not yet confirmed on chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PendingTransfer {
    /// Its position in the plan (part of its idempotency key).
    pub index: u32,
    /// The payment.
    pub transfer: Transfer,
}

/// The journal database.
#[derive(Debug)]
pub struct Journal {
    conn: Connection,
}

impl Journal {
    /// Opens (or creates) the journal at `path`.
    pub fn open(path: &Path) -> Result<Journal> {
        Journal::init(Connection::open(path)?)
    }

    /// A journal that lives in memory (tests).
    pub fn in_memory() -> Result<Journal> {
        Journal::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Journal> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.execute_batch(SCHEMA)?;
        Ok(Journal { conn })
    }

    /// The record of `epoch`, if it was ever planned.
    pub fn epoch(&self, epoch: u64) -> Result<Option<EpochRecord>> {
        let row = self
            .conn
            .query_row(
                "SELECT plan_hash, minted_supply, treasury, treasury_before, stage
                 FROM epochs WHERE epoch = ?1",
                params![key(epoch)?],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, Option<String>>(3)?,
                        row.get::<_, String>(4)?,
                    ))
                },
            )
            .optional()?;
        let Some((hash, minted, treasury, before, stage)) = row else {
            return Ok(None);
        };
        Ok(Some(EpochRecord {
            epoch,
            plan_hash: parse(&hash)?,
            minted_supply: units(&minted)?,
            treasury: parse(&treasury)?,
            treasury_before: before.as_deref().map(units).transpose()?,
            stage: Stage::parse(&stage)?,
        }))
    }

    /// Writes the plan and every transfer, in one transaction, before anything is sent.
    pub fn record_plan(
        &mut self,
        plan: &EpochPlan,
        minted_supply: Amount,
        treasury: Address,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO epochs (epoch, plan_hash, inputs_digest, minted_supply, treasury,
                                 from_mint, total, stage)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                key(plan.epoch)?,
                plan.plan_hash.to_string(),
                plan.inputs_digest.to_string(),
                minted_supply.base_units().to_string(),
                treasury.to_string(),
                plan.from_mint.base_units().to_string(),
                plan.total.base_units().to_string(),
                Stage::Planned.as_str(),
            ],
        )?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO transfers (epoch, idx, recipient, amount, category)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (index, transfer) in plan.transfers.iter().enumerate() {
                insert.execute(params![
                    key(plan.epoch)?,
                    index as i64,
                    transfer.to.to_string(),
                    transfer.amount.base_units().to_string(),
                    transfer.category.name(),
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Records the balances read before the mint: the treasury's and the sample's.
    pub fn record_balances_before(
        &mut self,
        epoch: u64,
        treasury_before: Amount,
        samples: &[(Address, Amount)],
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE epochs SET treasury_before = ?2 WHERE epoch = ?1",
            params![key(epoch)?, treasury_before.base_units().to_string()],
        )?;
        tx.execute("DELETE FROM samples WHERE epoch = ?1", params![key(epoch)?])?;
        for (address, balance) in samples {
            tx.execute(
                "INSERT INTO samples (epoch, recipient, balance_before) VALUES (?1, ?2, ?3)",
                params![
                    key(epoch)?,
                    address.to_string(),
                    balance.base_units().to_string()
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The sampled recipients and their balances before the epoch's writes.
    pub fn samples(&self, epoch: u64) -> Result<Vec<(Address, Amount)>> {
        let mut query = self.conn.prepare(
            "SELECT recipient, balance_before FROM samples WHERE epoch = ?1 ORDER BY recipient",
        )?;
        let rows = query.query_map(params![key(epoch)?], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        let mut samples = Vec::new();
        for row in rows {
            let (address, balance) = row?;
            samples.push((parse(&address)?, units(&balance)?));
        }
        Ok(samples)
    }

    /// Moves `epoch` to `stage`.
    pub fn set_stage(&mut self, epoch: u64, stage: Stage) -> Result<()> {
        self.conn.execute(
            "UPDATE epochs SET stage = ?2 WHERE epoch = ?1",
            params![key(epoch)?, stage.as_str()],
        )?;
        Ok(())
    }

    /// Every transfer of `epoch` not yet confirmed, in plan order.
    pub fn pending(&self, epoch: u64) -> Result<Vec<PendingTransfer>> {
        self.transfers(epoch, "AND tx_hash IS NULL")
    }

    /// Every transfer of `epoch`, in plan order.
    pub fn all_transfers(&self, epoch: u64) -> Result<Vec<PendingTransfer>> {
        self.transfers(epoch, "")
    }

    fn transfers(&self, epoch: u64, filter: &str) -> Result<Vec<PendingTransfer>> {
        let mut query = self.conn.prepare(&format!(
            "SELECT idx, recipient, amount, category FROM transfers
             WHERE epoch = ?1 {filter} ORDER BY idx"
        ))?;
        let rows = query.query_map(params![key(epoch)?], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (index, to, amount, category) = row?;
            out.push(PendingTransfer {
                index: u32::try_from(index)
                    .map_err(|_| corrupt(format!("transfer index {index}")))?,
                transfer: Transfer {
                    to: parse(&to)?,
                    amount: units(&amount)?,
                    category: category_named(&category)?,
                },
            });
        }
        Ok(out)
    }

    /// Marks transfers confirmed with their transaction hashes, in one transaction.
    pub fn confirm(&mut self, epoch: u64, confirmed: &[(u32, String)]) -> Result<()> {
        let tx: Transaction<'_> = self.conn.transaction()?;
        {
            let mut update =
                tx.prepare("UPDATE transfers SET tx_hash = ?3 WHERE epoch = ?1 AND idx = ?2")?;
            for (index, tx_hash) in confirmed {
                update.execute(params![key(epoch)?, i64::from(*index), tx_hash])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Where a run without inputs carries on: the first unfinished epoch, else the
    /// one after the last, else 0.
    pub fn next_epoch(&self) -> Result<u64> {
        let unfinished: Option<i64> = self.conn.query_row(
            "SELECT MIN(epoch) FROM epochs WHERE stage != 'done'",
            [],
            |row| row.get(0),
        )?;
        let last: Option<i64> =
            self.conn
                .query_row("SELECT MAX(epoch) FROM epochs", [], |row| row.get(0))?;
        Ok(match (unfinished, last) {
            (Some(epoch), _) => epoch.max(0) as u64,
            (None, Some(epoch)) => epoch.max(0) as u64 + 1,
            (None, None) => 0,
        })
    }

    /// (confirmed, total) transfers of `epoch`.
    pub fn progress(&self, epoch: u64) -> Result<(u64, u64)> {
        let (confirmed, total): (i64, i64) = self.conn.query_row(
            "SELECT COUNT(tx_hash), COUNT(*) FROM transfers WHERE epoch = ?1",
            params![key(epoch)?],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        Ok((confirmed.max(0) as u64, total.max(0) as u64))
    }
}

fn key(epoch: u64) -> Result<i64> {
    i64::try_from(epoch).map_err(|_| ExecutorError::EpochTooLarge { epoch })
}

fn corrupt(reason: String) -> ExecutorError {
    ExecutorError::JournalCorrupt { reason }
}

fn parse<T: FromStr>(text: &str) -> Result<T> {
    text.parse()
        .map_err(|_| corrupt(format!("cannot read {text:?}")))
}

fn units(text: &str) -> Result<Amount> {
    parse::<u128>(text).map(Amount::from_base_units)
}

fn category_named(name: &str) -> Result<Category> {
    Category::ALL
        .into_iter()
        .find(|c| c.name() == name)
        .ok_or_else(|| corrupt(format!("unknown category {name:?}")))
}
