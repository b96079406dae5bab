//! `tokenomics proofs --journal J [--epoch E] --out DIR [--json]`: the claims tree of a
//! claims epoch (the last one by default) from the journal's cumulative table, its root
//! checked against the one journaled for that epoch, written as `DIR/tree.json`
//! (`StandardMerkleTree.dump()`, "standard-v1") and `DIR/accounts/<2 hex>.json` shards.

use std::path::PathBuf;

use payout_journal::ClaimsLedger;

use crate::error::CliError;
use crate::run_errors::journal_error;

/// Arguments of `tokenomics proofs`.
#[derive(Debug, clap::Args)]
pub(crate) struct ProofsArgs {
    /// The run's journal (read only; a running `run` is not blocked).
    #[arg(long)]
    journal: PathBuf,
    /// The claims epoch whose tree to write (default: the last one).
    #[arg(long)]
    epoch: Option<u64>,
    /// The folder to write `tree.json` and `accounts/` into (created when missing).
    #[arg(long)]
    out: PathBuf,
    /// Print what was written as JSON.
    #[arg(long)]
    json: bool,
}

/// Writes the proof files (see the module docs).
pub(crate) fn run(args: ProofsArgs) -> Result<(), CliError> {
    let path = &args.journal;
    let ledger = ClaimsLedger::open_read_only(path).map_err(|e| journal_error(path, &e))?;
    let epochs = ledger.epochs().map_err(|e| journal_error(path, &e))?;
    let Some(last) = epochs.last() else {
        return Err(CliError::BadInput(format!(
            "--journal {}: no claims epoch journaled (run --chain evm --payout claims first)",
            path.display()
        )));
    };
    let chosen = match args.epoch {
        None => last.clone(),
        Some(epoch) => epochs
            .iter()
            .find(|e| e.epoch == epoch)
            .cloned()
            .ok_or_else(|| {
                CliError::BadInput(format!(
                    "--epoch {epoch}: not a claims epoch of {} (claims epochs: {})",
                    path.display(),
                    epochs
                        .iter()
                        .map(|e| e.epoch.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?,
    };
    let table = if chosen.epoch == last.epoch {
        ledger.table().map_err(|e| journal_error(path, &e))?
    } else {
        ledger
            .table_at(chosen.epoch)
            .map_err(|e| journal_error(path, &e))?
            .ok_or_else(|| {
                CliError::BadInput(format!(
                    "--epoch {}: an earlier claims epoch's plan is not in {} (its table was \
                     rebuilt from inputs); only the last claims epoch ({}) can be written",
                    chosen.epoch,
                    path.display(),
                    last.epoch
                ))
            })?
    };
    let tree = payout_claims::tree_of(&table)
        .map_err(|e| CliError::Failed(e.to_string()))?
        .ok_or_else(|| CliError::Failed(format!("claims epoch {}: no leaf", chosen.epoch)))?;
    let root = format!("{}", tree.root());
    if root != chosen.root {
        return Err(CliError::Failed(format!(
            "claims epoch {}: the journal's table gives root {root}, the journal recorded {}",
            chosen.epoch, chosen.root
        )));
    }
    let files = tree
        .write_proofs(&args.out)
        .map_err(|e| CliError::Failed(format!("--out {}: {e}", args.out.display())))?;
    let out = args.out.display().to_string();
    let text = if args.json {
        let json = serde_json::json!({
            "epoch": chosen.epoch,
            "root": root,
            "cumulative_total": chosen.cumulative_total.to_string(),
            "accounts": files.accounts,
            "shards": files.shards,
            "bytes": files.bytes,
            "out": out,
        });
        format!("{json:#}\n")
    } else {
        format!(
            "claims epoch {}: root {root}, cumulative total {} MDT, {} accounts in {} shards \
             + tree.json written to {out}\n",
            chosen.epoch, chosen.cumulative_total, files.accounts, files.shards
        )
    };
    std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes())
        .map_err(CliError::stdout)
}
