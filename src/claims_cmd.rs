//! `run --chain evm --payout claims`: which way a run pays (`--payout` over `[evm]
//! payout`), the claims history of `--claims-history DIR` (read and planned before anything
//! starts), and the claims backend over the connected push backend and the run's journal.

use std::path::Path;

use payout_claims::{ClaimsHistory, ClaimsPayout};
use payout_evm::EvmPayout;
use payout_journal::ClaimsLedger;
use tokenomics_config::{inputs_in_dir, read_inputs, Config, Error, PayoutMode};

use crate::error::CliError;
use crate::run_args::{ChainKind, PayoutFlag, RunArgs};
use crate::run_errors::journal_error;

/// `--payout`, else `[evm] payout`; claims refuse `--dry-run` (a dry run previews push
/// payouts only), and `--claims-history` needs claims.
pub(crate) fn payout_mode(args: &RunArgs, config: &Config) -> Result<PayoutMode, CliError> {
    let mode = match args.payout {
        Some(PayoutFlag::Push) => PayoutMode::Push,
        Some(PayoutFlag::Claims) => PayoutMode::Claims,
        None => config.evm.payout,
    };
    if args.chain != ChainKind::Evm {
        return Ok(mode);
    }
    if mode == PayoutMode::Claims && args.dry_run {
        return Err(CliError::BadInput(
            "--dry-run: not with --payout claims (a dry run previews push payouts)".into(),
        ));
    }
    if mode != PayoutMode::Claims && args.claims_history.is_some() {
        return Err(CliError::BadInput(
            "--claims-history: only with --payout claims (or [evm] payout = \"claims\")".into(),
        ));
    }
    Ok(mode)
}

/// The inputs of `--claims-history DIR`, each planned once now (bad inputs stop the run
/// before anything is sent); empty without the flag.
pub(crate) fn read_history(
    args: &RunArgs,
    config: &Config,
    mode: PayoutMode,
) -> Result<ClaimsHistory, CliError> {
    let mut history = ClaimsHistory::new(config.params());
    let Some(dir) = args
        .claims_history
        .as_deref()
        .filter(|_| mode == PayoutMode::Claims)
    else {
        return Ok(history);
    };
    if !dir.is_dir() {
        return Err(CliError::BadInput(format!(
            "--claims-history {}: not a folder (the inputs files of earlier claims epochs)",
            dir.display()
        )));
    }
    for file in inputs_in_dir(dir)? {
        let loaded = read_inputs(&file)?;
        tokenomics_core::EpochPlan::build(&config.params(), &loaded.inputs)
            .map_err(|error| Error::refused_inputs(&file, &error))?;
        history.add(loaded.inputs, loaded.minted_given);
    }
    Ok(history)
}

/// The claims backend over `payout` with the cumulative table of the journal at `journal`
/// (opened by the run already: its lock is held, its tables exist).
pub(crate) fn claims_backend(
    payout: EvmPayout,
    journal: &Path,
    history: ClaimsHistory,
) -> Result<ClaimsPayout, CliError> {
    let ledger = ClaimsLedger::open(journal).map_err(|e| journal_error(journal, &e))?;
    Ok(ClaimsPayout::new(payout, ledger, history))
}
