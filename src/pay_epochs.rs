//! The epochs of one `tokenomics run`, paid in order on either backend: progress bars,
//! Ctrl-C, the reports as a table or JSON, and the metrics linger.
//!
//! Everything here is the same for the Luxtensor protocol and an EVM chain; it sees the
//! chain only through `PayoutChain`.

use std::io::{IsTerminal, Write};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokenomics_core::Amount;
use tokenomics_integration::{
    synthetic_inputs, EpochExecutor, EpochReport, MintedSupply, PayoutChain,
};

use crate::error::CliError;
use crate::metrics_server::MetricsServer;
use crate::progress::ProgressView;
use crate::run_cmd::{describe_failure, Job, RunArgs};

/// Pays `jobs` (or, without inputs, `--epochs` synthetic epochs from where the journal
/// or the chain stopped) in order; stops at the first error, after printing the reports
/// of the epochs before it.
pub(crate) async fn pay_epochs<C: PayoutChain>(
    mut executor: EpochExecutor<C>,
    args: &RunArgs,
    mut jobs: Vec<Job>,
    metrics_server: Option<MetricsServer>,
) -> Result<(), CliError> {
    if args.inputs.is_none() {
        let start = executor
            .next_epoch()
            .await
            .map_err(|e| describe_failure(None, &e))?;
        jobs = (start..start.saturating_add(args.epochs))
            .map(|epoch| Job {
                inputs: synthetic_inputs(epoch, args.synthetic),
                minted: MintedSupply::FromChain,
            })
            .collect();
    }
    let stop = executor.stop_flag();
    let stop_on_signal = Arc::clone(&stop);
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("stopping after the writes in flight (Ctrl-C again to abort)...");
            stop_on_signal.store(true, Ordering::SeqCst);
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(130);
            }
        }
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
                failure = Some(describe_failure(Some(epoch), &error));
                break;
            }
        }
    }
    let supply = executor.chain().minted_supply().await.ok();
    print_results(&reports, supply, args.json)?;
    if let Some(server) = metrics_server {
        server
            .linger(Duration::from_secs(args.metrics_linger), &stop)
            .await;
    }
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
