//! `tokenomics run --dry-run`: what `run` would mint and send, nothing sent or written.
//!
//! The journal is read if it exists (read-only, its lock not taken, so a running `run`
//! is not disturbed) and never created; each epoch goes through
//! `EpochExecutor::dry_run`, the run's own reads and refusals, on either backend. Without
//! `--rpc-url` the embedded devnet serves a snapshot of its ledger ([`ledger_snapshot`]),
//! so a dry run takes no lock (a `run` or `devnet` may hold the ledger meanwhile) and
//! writes nothing. With `--chain evm` ([`dry_run_evm`]) it reads through the payout
//! contract's read-only views: no key is read and the nonce journal is not opened.

use std::io::Write;
use std::path::{Path, PathBuf};

use rpc_resilience::RequestBudget;
use rusqlite::{Connection, OpenFlags};
use tempfile::TempDir;

use payout_executor::{
    DryRunAhead, DryRunReport, EpochExecutor, Journal, JournalError, PayoutPreview,
};
use tokenomics_config::{Config, Error};

use crate::error::CliError;
use crate::jobs::{synthetic_jobs, Job};
use crate::journal_path::node_journal;
use crate::run_args::RunArgs;
use crate::run_errors::{describe_failure, journal_error};
use crate::status_check::payout_reader;

/// A consistent copy of the embedded devnet's `ledger` (`VACUUM INTO`, read through a
/// read-only connection: no lock taken, nothing written to it) in a new temporary folder,
/// removed when the returned `TempDir` drops; `None` when there is no ledger yet.
pub(crate) fn ledger_snapshot(ledger: &Path) -> Result<Option<(TempDir, PathBuf)>, CliError> {
    if !ledger.exists() {
        return Ok(None);
    }
    let failed = |e: &dyn std::fmt::Display| {
        CliError::Failed(format!("{}: cannot read the ledger: {e}", ledger.display()))
    };
    let dir = tempfile::Builder::new()
        .prefix("tokenomics-dry-run-")
        .tempdir()
        .map_err(|e| CliError::Failed(format!("cannot create a temporary folder: {e}")))?;
    let copy = dir.path().join("devnet.sqlite");
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(ledger, flags).map_err(|e| failed(&e))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(|e| failed(&e))?;
    conn.execute("VACUUM INTO ?1", [copy.to_string_lossy()])
        .map_err(|e| failed(&e))?;
    Ok(Some((dir, copy)))
}

/// `run --dry-run --chain evm` (with `--rpc-url`): the payout contract's read-only views
/// (contracts and chain id checked as `status --check-chain` checks them), inputs paying
/// the token or the payout contract refused naming the file (`files[i]` holds `jobs[i]`),
/// the run's journal read if it exists (the default path named as `run` names it, not
/// created); then [`dry_run`].
pub(crate) async fn dry_run_evm(
    args: &RunArgs,
    config: &Config,
    budget: &RequestBudget,
    jobs: Vec<Job>,
    files: &[PathBuf],
) -> Result<(), CliError> {
    let (reader, chain_id) = payout_reader(&args.evm, &args.rpc_url, config, budget).await?;
    let refused = reader.refused_recipients();
    for (job, file) in jobs.iter().zip(files) {
        tokenomics_core::check_recipients(&job.inputs, &refused)
            .map_err(|error| Error::refused_inputs(file, &error))?;
    }
    let journal = match &args.journal {
        Some(path) => path.clone(),
        None => node_journal("evm", chain_id, &args.rpc_url, false)?,
    };
    eprintln!("journal: {}", journal.display());
    let jobs = args.inputs.is_some().then_some(jobs);
    dry_run(args, config, reader, &journal, jobs).await
}

/// Dry-runs `jobs` (or, when `None`, the epochs a run without inputs would pay).
pub(crate) async fn dry_run<C: PayoutPreview>(
    args: &RunArgs,
    config: &Config,
    chain: C,
    journal_path: &Path,
    jobs: Option<Vec<Job>>,
) -> Result<(), CliError> {
    let journal = match Journal::open_read_only(journal_path) {
        Ok(journal) => journal,
        Err(JournalError::Missing { .. }) => {
            Journal::in_memory().map_err(|e| journal_error(journal_path, &e))?
        }
        Err(error) => return Err(journal_error(journal_path, &error)),
    };
    let executor = EpochExecutor::new(config.params(), config.executor.executor(), chain, journal);
    let jobs = match jobs {
        Some(jobs) => jobs,
        None => synthetic_jobs(&executor, args).await?,
    };
    let mut ahead = DryRunAhead::default();
    let mut reports = Vec::with_capacity(jobs.len());
    for job in jobs {
        let epoch = job.inputs.epoch;
        let report = executor
            .dry_run(job.inputs, job.minted, &mut ahead)
            .await
            .map_err(|e| describe_failure(Some(epoch), &e))?;
        reports.push(report);
    }
    eprintln!("dry run: nothing was sent and no journal was written");
    let mut out = std::io::stdout().lock();
    if args.json {
        let text = serde_json::to_string_pretty(&reports)
            .map_err(|e| CliError::Failed(format!("cannot encode the dry run: {e}")))?;
        return writeln!(out, "{text}").map_err(CliError::stdout);
    }
    write_table(&mut out, &reports).map_err(CliError::stdout)
}

fn write_table(out: &mut impl Write, reports: &[DryRunReport]) -> std::io::Result<()> {
    writeln!(
        out,
        "{:>8}  {:>22}  {:>22}  {:>22}  {:>9}  {:>7}  {:<8}  {:>22}  {:>22}",
        "epoch",
        "mint (MDT)",
        "from pool (MDT)",
        "total (MDT)",
        "transfers",
        "to send",
        "on chain",
        "treasury (MDT)",
        "needed (MDT)",
    )?;
    for r in reports {
        let mint = if r.would_mint {
            r.from_mint.to_string()
        } else {
            format!("({})", r.from_mint)
        };
        writeln!(
            out,
            "{:>8}  {:>22}  {:>22}  {:>22}  {:>9}  {:>7}  {:<8}  {:>22}  {:>22}",
            r.epoch,
            mint,
            r.from_pool.to_string(),
            r.total.to_string(),
            r.transfers,
            r.to_send,
            r.on_chain.describe(),
            r.treasury_balance.to_string(),
            r.treasury_needed
                .map_or_else(|| "-".to_string(), |needed| needed.to_string()),
        )?;
    }
    writeln!(
        out,
        "would send {} transfers in all; a mint in parentheses is already on chain",
        reports.iter().map(|r| r.to_send).sum::<u64>()
    )?;
    out.flush()
}
