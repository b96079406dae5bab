//! `EpochExecutor::run_epoch`: one epoch, stage by stage, each committed to the journal
//! before the next starts (plan -> open -> pay -> verify -> done).

use tokenomics_core::{Amount, EpochInputs, EpochPlan, Hash256};

use crate::confirmed::Confirmed;
use crate::error::Result;
use crate::executor::{disappeared, EpochExecutor, MintedSupply};
use crate::metrics;
use crate::prepare::Prepared;
use crate::report::{EpochReport, Outcome, Progress};
use crate::seam::{Baseline, Opening, PayoutChain};
use payout_journal::{EpochRecord, Stage};

impl<C: PayoutChain> EpochExecutor<C> {
    /// Pays `inputs.epoch` exactly once, resuming whatever the chain and journal say is left.
    pub async fn run_epoch(
        &mut self,
        mut inputs: EpochInputs,
        minted: MintedSupply,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<EpochReport> {
        let started = tokio::time::Instant::now();
        let metrics_before = self.chain.metrics();
        let epoch = inputs.epoch;
        if let Some(plan_hash) = self.closed_plan(epoch).await? {
            let metrics = self.chain.metrics();
            return Ok(EpochReport::closed(epoch, plan_hash, metrics));
        }
        metrics::epoch_started(epoch);
        let progress = &mut |step: Progress| {
            metrics::progress(&step);
            progress(step)
        };
        let Prepared {
            plan,
            memo,
            capped_by_chain,
            journaled,
        } = self.prepare(&mut inputs, minted, Amount::ZERO).await?;
        let payer = self.payer();
        let fresh = journaled.is_none();
        let record = match journaled {
            Some(record) => record,
            None => {
                self.journal
                    .record_plan(&plan, inputs.minted_supply, payer)?;
                self.journal
                    .epoch(epoch)?
                    .ok_or_else(|| disappeared(epoch))?
            }
        };
        let record = if fresh {
            record
        } else {
            self.recheck(&plan, record).await?
        };
        metrics::stage(record.stage);
        if record.stage == Stage::Done {
            let metrics = self.chain.metrics();
            let mut report = EpochReport::new(&plan, Outcome::AlreadyDone, metrics);
            report.mint_capped_by_chain = capped_by_chain;
            report.paid_way(self.chain.paid_way(epoch).await?);
            return Ok(report);
        }
        self.journal.begin_run(epoch, unix_now())?;
        // A plan journaled just now has no confirmation yet: no need to read them.
        let journaled_confirmed = if fresh {
            Vec::new()
        } else {
            self.journal.confirmed_indices(epoch)?
        };
        let mut confirmed = Confirmed::new(plan.transfers.len(), &journaled_confirmed);
        progress(Progress::Planned {
            epoch,
            transfers: plan.transfers.len() as u64,
            confirmed: confirmed.count,
        });
        let mut found_on_chain = 0;
        let mut opened_before = false;
        if record.stage < Stage::Minted {
            opened_before = self.open_on_chain(&plan, &record, &memo).await?;
            if opened_before {
                found_on_chain = self.scan(&plan, &mut confirmed).await?;
            }
            self.journal.set_stage(epoch, Stage::Minted)?;
            metrics::stage(Stage::Minted);
            progress(Progress::Minted {
                epoch,
                amount: plan.from_mint,
                earlier: opened_before,
                capped_by_chain,
            });
        }
        let confirmed_now = if record.stage < Stage::Paid {
            let sent = self.send(&plan, &mut confirmed, progress).await?;
            self.journal.set_stage(epoch, Stage::Paid)?;
            metrics::stage(Stage::Paid);
            sent
        } else {
            0
        };
        let record = self
            .journal
            .epoch(epoch)?
            .ok_or_else(|| disappeared(epoch))?;
        let baseline = match record.treasury_before {
            Some(payer) => Some(Baseline {
                payer,
                samples: self.journal.samples(epoch)?,
                mark: record.baseline,
            }),
            None => None,
        };
        let sample = self.config.verify_sample.get();
        let verified = self
            .chain
            .verify(&plan, &memo, baseline.as_ref(), sample)
            .await
            .inspect_err(metrics::verification_failed)?;
        self.journal.finish(epoch, unix_now())?;
        metrics::stage(Stage::Done);
        progress(Progress::Verified { epoch });

        let after = self.chain.metrics();
        let outcome = if opened_before && confirmed_now == 0 {
            Outcome::AlreadyPaidOnChain
        } else {
            Outcome::Paid
        };
        let mut report = EpochReport::new(&plan, outcome, after.clone());
        report.confirmed_now = confirmed_now;
        report.paid_way(self.chain.paid_way(plan.epoch).await?);
        report.mint_capped_by_chain = capped_by_chain;
        report.found_on_chain = found_on_chain;
        report.verified_records = verified.records;
        report.verified_recipients = verified.balances;
        report.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        report.retries = after.retries.saturating_sub(metrics_before.retries);
        report.breaker_trips = after.trips.saturating_sub(metrics_before.trips);
        metrics::epoch_done(&report, started.elapsed());
        Ok(report)
    }

    /// The plan hash of `epoch` when it was closed for good (the journal says so, or,
    /// without a journal record, the chain), `None` when it was not.
    async fn closed_plan(&self, epoch: u64) -> Result<Option<Hash256>> {
        match self.journal.epoch(epoch)? {
            Some(record) if record.stage == Stage::Closed => Ok(Some(record.plan_hash)),
            Some(_) => Ok(None),
            None if self.chain.closed(epoch).await? => Ok(Some(
                self.chain
                    .opening(epoch)
                    .await?
                    .map(|memo| memo.plan_hash)
                    .unwrap_or_default(),
            )),
            None => Ok(None),
        }
    }

    /// Journals the starting balances (once, before the opening), then opens the epoch
    /// unless the chain has it open with this plan; returns whether it was open before.
    async fn open_on_chain(
        &mut self,
        plan: &EpochPlan,
        record: &EpochRecord,
        memo: &Opening,
    ) -> Result<bool> {
        if record.treasury_before.is_none() {
            let sample = self.config.verify_sample.get();
            let baseline = self.chain.baseline(plan, sample).await?;
            self.journal.record_balances_before(
                plan.epoch,
                baseline.payer,
                &baseline.samples,
                baseline.mark,
            )?;
        }
        let owed = self.journal.owed_by_unfinished(plan.epoch)?;
        self.chain.open(plan, memo, owed).await
    }
}

/// Now in unix seconds, for the journal's `started_at` and `finished_at` (0 before 1970).
fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}
