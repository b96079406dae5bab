//! The claims backend's cumulative table (`ClaimsLedger`): per account, every base unit
//! ever given to it by claims epochs (`claims_accounts`), and per claims epoch the root and
//! cumulative total published (`claims_epochs`). Folding an epoch in is one transaction:
//! a kill leaves the table before or after the epoch, never half-way.
//!
//! The ledger is a second connection to the journal's file, opened by the process that
//! holds the journal's lock (the executor's `Journal`): the backend keeps the table while
//! the executor keeps the epochs. Read-only, it serves `tokenomics proofs`.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension};
use tokenomics_core::{Address, Amount};

use crate::error::{JournalError, Result};
use crate::{corrupt, key, parse, units};

/// A claims epoch as the ledger recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimsEpoch {
    /// The epoch.
    pub epoch: u64,
    /// The root published (`0x` and 64 hex digits).
    pub root: String,
    /// The sum of every leaf.
    pub cumulative_total: Amount,
    /// How many accounts the tree holds.
    pub accounts: u64,
}

/// The cumulative table of the claims backend (see the module docs).
#[derive(Debug)]
pub struct ClaimsLedger {
    conn: Connection,
    writable: bool,
}

impl ClaimsLedger {
    /// The ledger of the journal at `path`, for the process that holds its lock (opened
    /// once through `Journal::open`, so its tables exist).
    pub fn open(path: &Path) -> Result<ClaimsLedger> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(30))?;
        Ok(ClaimsLedger {
            conn,
            writable: true,
        })
    }

    /// The ledger of the journal at `path`, read only (no lock; a journal of a version
    /// before the claims tables reads as empty).
    pub fn open_read_only(path: &Path) -> Result<ClaimsLedger> {
        Ok(ClaimsLedger {
            conn: crate::status::read_only(path)?,
            writable: false,
        })
    }

    fn has_tables(&self) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'claims_epochs'",
            [],
            |row| row.get::<_, i64>(0).map(|n| n > 0),
        )?)
    }

    /// Every claims epoch folded in, in epoch order.
    pub fn epochs(&self) -> Result<Vec<ClaimsEpoch>> {
        if !self.has_tables()? {
            return Ok(Vec::new());
        }
        let mut query = self.conn.prepare(
            "SELECT epoch, root, cumulative_total, accounts FROM claims_epochs ORDER BY epoch",
        )?;
        let rows = query.query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, i64>(3)?,
            ))
        })?;
        let mut epochs = Vec::new();
        for row in rows {
            let (epoch, root, total, accounts) = row?;
            epochs.push(ClaimsEpoch {
                epoch: u64::try_from(epoch).map_err(|_| corrupt(format!("epoch {epoch}")))?,
                root,
                cumulative_total: units(&total)?,
                accounts: u64::try_from(accounts)
                    .map_err(|_| corrupt(format!("accounts {accounts}")))?,
            });
        }
        Ok(epochs)
    }

    /// The last claims epoch folded in, if any.
    pub fn last(&self) -> Result<Option<ClaimsEpoch>> {
        Ok(self.epochs()?.pop())
    }

    /// The cumulative table after the last claims epoch, by account.
    pub fn table(&self) -> Result<BTreeMap<Address, Amount>> {
        let mut table = BTreeMap::new();
        if !self.has_tables()? {
            return Ok(table);
        }
        let mut query = self
            .conn
            .prepare("SELECT account, cumulative FROM claims_accounts")?;
        let rows = query.query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (account, cumulative) = row?;
            table.insert(parse::<Address>(&account)?, units(&cumulative)?);
        }
        Ok(table)
    }

    /// The cumulative table as of claims epoch `epoch`, summed from the journaled plans of
    /// every claims epoch up to it; `None` when one of them has no journaled plan (its
    /// table was rebuilt from inputs by a run that lost the journal).
    pub fn table_at(&self, epoch: u64) -> Result<Option<BTreeMap<Address, Amount>>> {
        let mut table: BTreeMap<Address, u128> = BTreeMap::new();
        for claims in self.epochs()?.into_iter().filter(|e| e.epoch <= epoch) {
            let mut query = self
                .conn
                .prepare("SELECT recipient, amount FROM transfers WHERE epoch = ?1")?;
            let rows = query.query_map(params![key(claims.epoch)?], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })?;
            let mut any = false;
            for row in rows {
                let (to, amount) = row?;
                let entry = table.entry(parse::<Address>(&to)?).or_default();
                *entry = entry
                    .checked_add(units(&amount)?.base_units())
                    .ok_or_else(|| corrupt(format!("{to}: cumulative amount past u128")))?;
                any = true;
            }
            if !any {
                return Ok(None);
            }
        }
        Ok(Some(
            table
                .into_iter()
                .map(|(a, m)| (a, Amount::from_base_units(m)))
                .collect(),
        ))
    }

    /// Folds claims epoch `epoch` in, in one transaction: every `(account, amount)` added
    /// to its cumulative amount, and the epoch recorded with `root` and `cumulative_total`.
    /// Refused (nothing written): an epoch not later than the last one, or a total that is
    /// not the table's sum afterwards.
    pub fn fold(
        &mut self,
        epoch: u64,
        root: &str,
        cumulative_total: Amount,
        given: &[(Address, Amount)],
    ) -> Result<()> {
        if !self.writable {
            return Err(corrupt("the claims ledger was opened read-only".into()));
        }
        if let Some(last) = self.last()? {
            if epoch <= last.epoch {
                return Err(corrupt(format!(
                    "claims epoch {epoch} folded after claims epoch {}",
                    last.epoch
                )));
            }
        }
        let tx = self.conn.transaction()?;
        for (account, amount) in given {
            let text = account.to_string();
            let before: Option<String> = tx
                .query_row(
                    "SELECT cumulative FROM claims_accounts WHERE account = ?1",
                    params![text],
                    |row| row.get(0),
                )
                .optional()?;
            let before = before.as_deref().map(units).transpose()?;
            let before = before.map_or(0, Amount::base_units);
            let after = before
                .checked_add(amount.base_units())
                .ok_or_else(|| corrupt(format!("{account}: cumulative amount past u128")))?;
            tx.execute(
                "INSERT INTO claims_accounts (account, cumulative) VALUES (?1, ?2)
                 ON CONFLICT(account) DO UPDATE SET cumulative = excluded.cumulative",
                params![text, after.to_string()],
            )?;
        }
        let mut sum = 0u128;
        let mut accounts = 0i64;
        {
            let mut query = tx.prepare("SELECT cumulative FROM claims_accounts")?;
            let rows = query.query_map([], |row| row.get::<_, String>(0))?;
            for row in rows {
                sum = sum
                    .checked_add(units(&row?)?.base_units())
                    .ok_or_else(|| corrupt("cumulative total past u128".into()))?;
                accounts += 1;
            }
        }
        let sum = sum.to_string();
        if sum != cumulative_total.base_units().to_string() {
            return Err(JournalError::Corrupt {
                reason: format!(
                    "claims epoch {epoch}: the table sums to {sum}, the root's total is {}",
                    cumulative_total.base_units()
                ),
            });
        }
        tx.execute(
            "INSERT INTO claims_epochs (epoch, root, cumulative_total, accounts) VALUES (?1, ?2, ?3, ?4)",
            params![key(epoch)?, root, sum, accounts],
        )?;
        tx.commit()?;
        Ok(())
    }
}
