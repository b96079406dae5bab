//! The epochs a run pays, in order: one per inputs file (each planned once before anything
//! starts, so bad inputs stop the run first), or, without inputs, `--epochs` synthetic
//! epochs from where the journal or the chain stopped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use payout_executor::{EpochExecutor, MintedSupply, PayoutPreview};
use tokenomics_config::{read_inputs, Config, Error};
use tokenomics_core::{synthetic_inputs, EpochInputs};

use crate::error::{refused_field, CliError};
use crate::run_args::RunArgs;
use crate::run_errors::describe_failure;

/// One epoch to pay and where its minted supply comes from.
#[derive(Debug)]
pub(crate) struct Job {
    pub(crate) inputs: EpochInputs,
    pub(crate) minted: MintedSupply,
}

/// A job per inputs file, in order; refused (nothing sent) when one cannot be planned, its
/// epoch cannot be journaled, or two files hold the same epoch.
pub(crate) fn read_jobs(files: &[PathBuf], config: &Config) -> Result<Vec<Job>, CliError> {
    let mut jobs = Vec::with_capacity(files.len());
    let mut seen: BTreeMap<u64, &Path> = BTreeMap::new();
    for file in files {
        let loaded = read_inputs(file)?;
        // Plan once now so that bad inputs stop the run before anything is sent.
        tokenomics_core::EpochPlan::build(&config.params(), &loaded.inputs)
            .map_err(|error| Error::refused_inputs(file, &error))?;
        let epoch = loaded.inputs.epoch;
        if i64::try_from(epoch).is_err() {
            let reason = "must be at most 9223372036854775807 to be journaled";
            return Err(refused_field(file, "epoch", reason.into()));
        }
        if let Some(first) = seen.insert(epoch, file) {
            let reason = format!("{epoch} is also the epoch of {}", first.display());
            return Err(refused_field(file, "epoch", reason));
        }
        let minted = if loaded.minted_given {
            MintedSupply::Given
        } else {
            MintedSupply::FromChain
        };
        jobs.push(Job {
            inputs: loaded.inputs,
            minted,
        });
    }
    Ok(jobs)
}

/// `--epochs` synthetic epochs of `--synthetic` recipients, from the epoch after the last
/// one the journal or the chain knows.
pub(crate) async fn synthetic_jobs<C: PayoutPreview>(
    executor: &EpochExecutor<C>,
    args: &RunArgs,
) -> Result<Vec<Job>, CliError> {
    let start = executor
        .next_epoch()
        .await
        .map_err(|e| describe_failure(None, &e))?;
    Ok((start..start.saturating_add(args.epochs))
        .map(|epoch| Job {
            inputs: synthetic_inputs(epoch, args.synthetic),
            minted: MintedSupply::FromChain,
        })
        .collect())
}
