//! `EpochExecutor`: plan -> journal -> mint -> batched transfers -> verify, exactly once.
//!
//! Every step is journaled before the next starts, and every write carries an
//! idempotency key, so a run killed anywhere resumes: journaled-but-unconfirmed
//! writes are simply sent again, and the node answers a replayed key with its first
//! result. **Invariant:** a recipient is paid once per plan, whatever the faults.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::{stream, StreamExt};
use tokenomics_core::{Address, EpochInputs, EpochPlan, Params};

use crate::batch::{Batch, BatchOutcome};
use crate::chain::{mint_key, Chain};
use crate::error::{ExecutorError, Result};
use crate::journal::{EpochRecord, Journal, Stage};
use crate::report::{EpochReport, Outcome, Progress};
use crate::verify::{sample_recipients, verify};

/// How the executor pays; the defaults are DESIGN.md's.
#[derive(Debug, Clone)]
pub struct ExecutorConfig {
    /// The account that is minted into and pays out.
    pub treasury: Address,
    /// Recipients whose balances are checked after the transfers (100).
    pub verify_sample: usize,
    /// Transfers per JSON-RPC batch (50).
    pub batch_size: usize,
    /// Batches in flight at once (16); confirmations are journaled in groups of
    /// `batch_size * batches_in_flight` transfers.
    pub batches_in_flight: usize,
    /// Rounds over the still-unconfirmed transfers before giving up for this run (8).
    pub max_rounds: u32,
    /// Pause before a round that follows one with failures (1 s, doubling).
    pub round_pause: Duration,
}

impl ExecutorConfig {
    /// The defaults, paying from `treasury`.
    pub fn new(treasury: Address) -> ExecutorConfig {
        ExecutorConfig {
            treasury,
            verify_sample: 100,
            batch_size: 50,
            batches_in_flight: 16,
            max_rounds: 8,
            round_pause: Duration::from_secs(1),
        }
    }
}

/// Where an epoch's minted supply comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MintedSupply {
    /// As given in the inputs.
    Given,
    /// Read with `luxtensor_totalSupply` before planning (and journaled with the plan).
    FromChain,
}

/// Runs epochs against one chain and one journal.
#[derive(Debug)]
pub struct EpochExecutor {
    params: Params,
    config: ExecutorConfig,
    chain: Chain,
    journal: Journal,
    stop: Arc<AtomicBool>,
}

impl EpochExecutor {
    /// An executor with the journal at `journal`.
    pub fn open(
        params: Params,
        config: ExecutorConfig,
        chain: Chain,
        journal: &Path,
    ) -> Result<Self> {
        Ok(EpochExecutor::new(
            params,
            config,
            chain,
            Journal::open(journal)?,
        ))
    }

    /// An executor over an open journal.
    pub fn new(params: Params, config: ExecutorConfig, chain: Chain, journal: Journal) -> Self {
        EpochExecutor {
            params,
            config,
            chain,
            journal,
            stop: Arc::new(AtomicBool::new(false)),
        }
    }

    /// A flag that, once set, stops the executor after the batches in flight.
    pub fn stop_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.stop)
    }

    /// The journal (to inspect what is recorded).
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Pays `inputs.epoch` exactly once, resuming whatever the journal says is left.
    pub async fn run_epoch(
        &mut self,
        mut inputs: EpochInputs,
        minted: MintedSupply,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<EpochReport> {
        let started = tokio::time::Instant::now();
        let metrics_before = self.chain.client().metrics();
        let epoch = inputs.epoch;
        let record = self.journal.epoch(epoch)?;
        match (&record, minted) {
            (Some(record), MintedSupply::FromChain) => inputs.minted_supply = record.minted_supply,
            (None, MintedSupply::FromChain) => {
                inputs.minted_supply = self.chain.total_supply().await?
            }
            (_, MintedSupply::Given) => {}
        }
        let plan = EpochPlan::build(&self.params, &inputs)?;
        let record = match record {
            Some(record) if record.plan_hash != plan.plan_hash => {
                return Err(ExecutorError::Conflict {
                    epoch,
                    journaled: record.plan_hash,
                    new: plan.plan_hash,
                });
            }
            Some(record) => record,
            None => {
                self.journal
                    .record_plan(&plan, inputs.minted_supply, self.config.treasury)?;
                self.journal
                    .epoch(epoch)?
                    .ok_or_else(|| ExecutorError::JournalCorrupt {
                        reason: format!("epoch {epoch} missing right after it was recorded"),
                    })?
            }
        };
        let metrics = || self.chain.client().metrics();
        if record.stage == Stage::Done {
            return Ok(EpochReport::new(&plan, Outcome::AlreadyDone, metrics()));
        }
        let (confirmed, total) = self.journal.progress(epoch)?;
        progress(Progress::Planned {
            epoch,
            transfers: total,
            confirmed,
        });

        if record.stage < Stage::Minted {
            self.mint(&plan, &record).await?;
            progress(Progress::Minted {
                epoch,
                amount: plan.from_mint,
            });
        }
        let confirmed_now = if record.stage < Stage::Paid {
            let sent = self.send_transfers(&plan, progress).await?;
            self.journal.set_stage(epoch, Stage::Paid)?;
            sent
        } else {
            0
        };
        let verified = verify(&self.chain, &self.journal, self.config.treasury, &plan).await?;
        self.journal.set_stage(epoch, Stage::Done)?;
        progress(Progress::Verified { epoch });

        let after = self.chain.client().metrics();
        let mut report = EpochReport::new(&plan, Outcome::Paid, after.clone());
        report.confirmed_now = confirmed_now;
        report.verified_recipients = verified;
        report.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        report.retries = after.retries.saturating_sub(metrics_before.retries);
        report.breaker_trips = after.trips.saturating_sub(metrics_before.trips);
        Ok(report)
    }

    /// Reads the balances verification starts from, then mints `from_mint` (keyed).
    async fn mint(&mut self, plan: &EpochPlan, record: &EpochRecord) -> Result<()> {
        if record.treasury_before.is_none() {
            let treasury_before = self.chain.balance(self.config.treasury).await?;
            let sample = sample_recipients(plan, self.config.treasury, self.config.verify_sample);
            let balances = self.chain.balances(&sample).await?;
            let samples: Vec<_> = sample.into_iter().zip(balances).collect();
            self.journal
                .record_balances_before(plan.epoch, treasury_before, &samples)?;
        }
        if !plan.from_mint.is_zero() {
            let key = mint_key(plan.epoch, &plan.plan_hash);
            self.chain
                .mint(self.config.treasury, plan.from_mint, &key)
                .await?;
        }
        self.journal.set_stage(plan.epoch, Stage::Minted)
    }

    /// Sends every unconfirmed transfer, `batches_in_flight` batches at a time, and
    /// journals each batch's confirmations as it completes; rounds over what is left.
    async fn send_transfers(
        &mut self,
        plan: &EpochPlan,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<u64> {
        let epoch = plan.epoch;
        let (chain, stop, treasury) = (
            self.chain.clone(),
            Arc::clone(&self.stop),
            self.config.treasury,
        );
        let (confirmed_before, total) = self.journal.progress(epoch)?;
        let mut confirmed_now = 0u64;
        let mut pause = self.config.round_pause;
        let journal_group = self.config.batch_size.max(1) * self.config.batches_in_flight.max(1);
        for round in 1..=self.config.max_rounds {
            let pending = self.journal.pending(epoch)?;
            if pending.is_empty() {
                return Ok(confirmed_now);
            }
            if round > 1 {
                tokio::time::sleep(pause).await;
                pause = pause.saturating_mul(2).min(MAX_ROUND_PAUSE);
            }
            let batches: Vec<Batch> = pending
                .chunks(self.config.batch_size.max(1))
                .map(|chunk| Batch::new(plan, chunk))
                .collect();
            // Once a stop is asked for, no new batch starts; those in flight finish.
            let mut answers = stream::iter(&batches)
                .take_while(|_| std::future::ready(!stop.load(Ordering::SeqCst)))
                .map(|batch| {
                    let chain = &chain;
                    async move { (batch, chain.transfers(treasury, &batch.calls).await) }
                })
                .buffer_unordered(self.config.batches_in_flight.max(1));
            // Confirmations are journaled in groups: a mark lost to a kill only means an
            // idempotent resend, and one commit per group keeps the journal off the hot path.
            let mut unjournaled: Vec<(u32, String)> = Vec::new();
            while let Some((batch, answer)) = answers.next().await {
                let BatchOutcome { confirmed, refused } = batch.outcome(answer)?;
                unjournaled.extend(confirmed);
                let last = refused.is_some() || unjournaled.len() >= journal_group;
                if last {
                    confirmed_now += unjournaled.len() as u64;
                    // Journal what was confirmed before anything else, refusal or not.
                    self.journal
                        .confirm(epoch, &std::mem::take(&mut unjournaled))?;
                    if let Some(refused) = refused {
                        return Err(refused);
                    }
                    progress(Progress::Confirmed {
                        epoch,
                        confirmed: confirmed_before + confirmed_now,
                        transfers: total,
                    });
                }
            }
            confirmed_now += unjournaled.len() as u64;
            self.journal.confirm(epoch, &unjournaled)?;
            progress(Progress::Confirmed {
                epoch,
                confirmed: confirmed_before + confirmed_now,
                transfers: total,
            });
            if stop.load(Ordering::SeqCst) {
                let pending = self.journal.pending(epoch)?.len();
                return Err(ExecutorError::Interrupted { epoch, pending });
            }
        }
        let pending = self.journal.pending(epoch)?.len();
        if pending == 0 {
            return Ok(confirmed_now);
        }
        Err(ExecutorError::Incomplete {
            epoch,
            pending,
            rounds: self.config.max_rounds,
        })
    }
}

/// The longest pause between two rounds over unconfirmed transfers.
const MAX_ROUND_PAUSE: Duration = Duration::from_secs(5);
