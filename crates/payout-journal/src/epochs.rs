//! An epoch's record in the journal: its plan and transfers, the balances read before
//! its mint, its stage and runs, and where a run without inputs carries on.

use rusqlite::{params, OptionalExtension};
use tokenomics_core::{Address, Amount, EpochPlan};

use crate::error::Result;
use crate::{key, parse, seconds, transfers, units, EpochRecord, Journal, NextEpoch, Stage};

impl Journal {
    /// The record of `epoch`, if it was ever planned.
    pub fn epoch(&self, epoch: u64) -> Result<Option<EpochRecord>> {
        let row = self
            .conn
            .query_row(
                "SELECT plan_hash, minted_supply, treasury, treasury_before, stage, baseline_block
                 FROM epochs WHERE epoch = ?1",
                params![key(epoch)?],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, Option<String>>(3)?,
                        row.get::<_, String>(4)?,
                        row.get::<_, Option<String>>(5)?,
                    ))
                },
            )
            .optional()?;
        let Some((hash, minted, treasury, before, stage, baseline)) = row else {
            return Ok(None);
        };
        Ok(Some(EpochRecord {
            epoch,
            plan_hash: parse(&hash)?,
            minted_supply: units(&minted)?,
            treasury: parse(&treasury)?,
            treasury_before: before.as_deref().map(units).transpose()?,
            baseline: baseline.as_deref().map(parse).transpose()?,
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
                                 from_mint, total, stage, runs)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)",
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
        transfers::insert_transfers(&tx, plan)?;
        tx.commit()?;
        Ok(())
    }

    /// Records the balances read before the mint (the treasury's and the sample's),
    /// and the block they were read at when they are a true starting point.
    pub fn record_balances_before(
        &mut self,
        epoch: u64,
        treasury_before: Amount,
        samples: &[(Address, Amount)],
        baseline_block: Option<u128>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE epochs SET treasury_before = ?2, baseline_block = ?3 WHERE epoch = ?1",
            params![
                key(epoch)?,
                treasury_before.base_units().to_string(),
                baseline_block.map(|b| b.to_string())
            ],
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

    /// Counts a run that starts work on the unfinished `epoch` at `now` (unix seconds);
    /// the first one sets `started_at`.
    pub fn begin_run(&mut self, epoch: u64, now: u64) -> Result<()> {
        self.conn.execute(
            "UPDATE epochs SET runs = runs + 1, started_at = COALESCE(started_at, ?2)
             WHERE epoch = ?1",
            params![key(epoch)?, seconds(now)],
        )?;
        Ok(())
    }

    /// Marks `epoch` done, finished at `now` (unix seconds).
    pub fn finish(&mut self, epoch: u64, now: u64) -> Result<()> {
        self.conn.execute(
            "UPDATE epochs SET stage = ?2, finished_at = ?3 WHERE epoch = ?1",
            params![key(epoch)?, Stage::Done.as_str(), seconds(now)],
        )?;
        Ok(())
    }

    /// Where a run without inputs carries on: the first unfinished epoch (to resume),
    /// else the one after the last (`None` when the journal is empty).
    pub fn next_epoch(&self) -> Result<NextEpoch> {
        let unfinished: Option<i64> = self.conn.query_row(
            "SELECT MIN(epoch) FROM epochs WHERE stage NOT IN ('done', 'closed')",
            [],
            |row| row.get(0),
        )?;
        let last: Option<i64> =
            self.conn
                .query_row("SELECT MAX(epoch) FROM epochs", [], |row| row.get(0))?;
        Ok(match (unfinished, last) {
            (Some(epoch), _) => NextEpoch::Unfinished(epoch.max(0) as u64),
            (None, Some(epoch)) => NextEpoch::After(epoch.max(0) as u64 + 1),
            (None, None) => NextEpoch::After(0),
        })
    }
}
