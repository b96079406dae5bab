//! The epochs of one `tokenomics run`, paid in order on either backend: progress bars,
//! Ctrl-C and SIGTERM, the reports as a table or JSON, and the metrics linger.
//!
//! Everything here is the same for the Luxtensor protocol and an EVM chain; it sees the
//! chain only through `PayoutChain`. The reports go to stdout only when every epoch was
//! paid: a run that fails prints nothing there (each finished epoch was reported on
//! stderr as it finished), so a reader of stdout never takes part of a run for all of it.

use std::io::{IsTerminal, Write};
use std::sync::atomic::Ordering;
use std::time::Duration;

use payout_executor::{EpochExecutor, EpochReport, ExecutorError, PayoutChain};
use tokenomics_core::Amount;

use crate::error::CliError;
use crate::jobs::{synthetic_jobs, Job};
use crate::metrics_server::MetricsServer;
use crate::progress::ProgressView;
use crate::run_args::RunArgs;
use crate::run_errors::describe_failure;
use crate::signals::StopSignal;

/// What to tell the operator after an error, besides the error (the command that resolves
/// it, when there is one).
pub(crate) type Advice<'a> = &'a dyn Fn(&ExecutorError) -> Option<String>;

/// Pays `jobs` (or, without inputs, `--epochs` synthetic epochs from where the journal
/// or the chain stopped) in order; stops at the first error (with `advice` appended), or
/// after the writes in flight once `stop` is set; prints the reports when all were paid.
pub(crate) async fn pay_epochs<C: PayoutChain>(
    mut executor: EpochExecutor<C>,
    args: &RunArgs,
    mut jobs: Vec<Job>,
    metrics_server: Option<MetricsServer>,
    stop: StopSignal,
    advice: Advice<'_>,
) -> Result<(), CliError> {
    if args.inputs.is_none() {
        jobs = synthetic_jobs(&executor, args).await?;
    }
    let stop_flag = executor.stop_flag();
    let flag = std::sync::Arc::clone(&stop_flag);
    let watcher = tokio::spawn(async move {
        stop.stopped().await;
        flag.store(true, Ordering::SeqCst);
    });

    let view = ProgressView::new(std::io::stderr().is_terminal());
    let mut reports = Vec::with_capacity(jobs.len());
    let mut failure = None;
    for job in jobs {
        let epoch = job.inputs.epoch;
        let mut on_progress = view.for_epoch(epoch);
        match executor
            .run_epoch(job.inputs, job.minted, &mut on_progress)
            .await
        {
            Ok(report) => {
                view.finish(epoch, &report);
                reports.push(report);
            }
            Err(error) => {
                view.abandon(epoch);
                failure = Some(describe_failure(Some(epoch), &error).with_advice(advice(&error)));
                break;
            }
        }
    }
    if failure.is_none() {
        let supply = executor.chain().minted_supply().await.ok();
        print_results(&reports, supply, args.json)?;
    }
    if let Some(server) = metrics_server {
        server
            .linger(Duration::from_secs(args.metrics_linger), &stop_flag)
            .await;
    }
    watcher.abort();
    failure.map_or(Ok(()), Err)
}

fn print_results(
    reports: &[EpochReport],
    supply: Option<Amount>,
    json: bool,
) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    if json {
        let text = serde_json::to_string_pretty(reports)
            .map_err(|e| CliError::Failed(format!("cannot encode the reports: {e}")))?;
        return writeln!(out, "{text}").map_err(CliError::stdout);
    }
    write_table(&mut out, reports, supply).map_err(CliError::stdout)
}

fn write_table(
    out: &mut impl Write,
    reports: &[EpochReport],
    supply: Option<Amount>,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{:>8}  {:>22}  {:>22}  {:>22}  {:>10}  {:>7}  {:>9}  outcome",
        "epoch", "emission (MDT)", "minted (MDT)", "paid (MDT)", "recipients", "retries", "time",
    )?;
    for r in reports {
        let outcome = r.outcome.describe();
        writeln!(
            out,
            "{:>8}  {:>22}  {:>22}  {:>22}  {:>10}  {:>7}  {:>7.1} s  {outcome}",
            r.epoch,
            r.emission.to_string(),
            r.minted.to_string(),
            r.paid.to_string(),
            r.recipients,
            r.retries,
            r.elapsed_ms as f64 / 1000.0,
        )?;
    }
    let capped: Vec<u64> = reports
        .iter()
        .filter(|r| r.mint_capped_by_chain)
        .map(|r| r.epoch)
        .collect();
    if let (Some(first), Some(last)) = (capped.first(), capped.last()) {
        writeln!(
            out,
            "mint capped by the chain's own cap (the token's emission category) in {} epoch(s), {first} to {last}",
            capped.len()
        )?;
    }
    if let Some(supply) = supply {
        writeln!(out, "total supply after: {supply} MDT")?;
    }
    out.flush()
}
