//! Epoch inputs files (JSON): numbers are read from their decimal text, never through `f64`
//! (see `json_decimal.rs`). Errors name the file and the field path (`miners[3].score`),
//! and for a JSON syntax error also its line and column (see `json_error.rs`).

use std::path::Path;

use serde::Deserialize;
use tokenomics_core::{
    Address, Amount, CoreError, Delegator, EpochInputs, Fees, Fraction, Miner, NetworkMetrics,
    Validator, Weighted,
};

use crate::config::{bad_input, read_file};
use crate::error::CliError;
use crate::json_decimal::{JsonAmount, JsonFraction, JsonWeight};
use crate::json_error::describe_json_error;

/// Reads and checks one epoch inputs file.
pub(crate) fn load_inputs(path: &Path) -> Result<EpochInputs, CliError> {
    load_inputs_file(path).map(|loaded| loaded.inputs)
}

/// Epoch inputs as read from a file, and whether it gave `minted_supply`.
#[derive(Debug)]
pub(crate) struct LoadedInputs {
    /// The inputs (`minted_supply` 0 when not given).
    pub(crate) inputs: EpochInputs,
    /// Whether the file gave `minted_supply` (else it is read from the chain).
    pub(crate) minted_given: bool,
}

/// The `--inputs` value that means standard input.
const STDIN: &str = "-";

/// Reads and checks one epoch inputs file (`-`: standard input, named `<stdin>` in
/// errors), keeping whether `minted_supply` was given.
pub(crate) fn load_inputs_file(path: &Path) -> Result<LoadedInputs, CliError> {
    let name = inputs_name(path);
    let text = if path == Path::new(STDIN) {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut text)
            .map_err(|error| bad_input(name, &format!("cannot read: {error}")))?;
        text
    } else {
        read_file(path)?
    };
    parse_inputs(&text).map_err(|reason| bad_input(name, &reason))
}

/// How errors name the inputs at `path`: `<stdin>` for `-`, else the path.
pub(crate) fn inputs_name(path: &Path) -> &Path {
    if path == Path::new(STDIN) {
        Path::new("<stdin>")
    } else {
        path
    }
}

/// Every `*.json` file of `dir`, in name order.
pub(crate) fn inputs_in_dir(dir: &Path) -> Result<Vec<std::path::PathBuf>, CliError> {
    let unreadable = |e: std::io::Error| bad_input(dir, &format!("cannot read: {e}"));
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        if path.extension().is_some_and(|ext| ext == "json") {
            files.push(path);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(bad_input(dir, "no .json epoch inputs files in this folder"));
    }
    Ok(files)
}

/// Parses inputs text; the error is `field.path: reason`.
pub(crate) fn parse_inputs(text: &str) -> Result<LoadedInputs, String> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let file: InputsFile =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            let path = error.path().to_string();
            describe_json_error(text, &path, error.inner())
        })?;
    deserializer
        .end()
        .map_err(|error| describe_json_error(text, ".", &error))?;
    let minted_given = file.minted_supply.is_some();
    Ok(LoadedInputs {
        inputs: file.into_inputs(),
        minted_given,
    })
}

/// Describes a core error about inputs as `field: reason`.
pub(crate) fn describe(error: &CoreError) -> String {
    match error {
        CoreError::InvalidInput { field, reason } => format!("{field}: {reason}"),
        CoreError::DuplicateAddress { category, address } => {
            format!("{category}: duplicate address {address}")
        }
        other => other.to_string(),
    }
}

fn amount(value: Option<JsonAmount>) -> Amount {
    value.map_or(Amount::ZERO, |a| a.0)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InputsFile {
    epoch: u64,
    minted_supply: Option<JsonAmount>,
    recycling_pool: Option<JsonAmount>,
    utility_score: Option<JsonFraction>,
    network: Option<NetworkFile>,
    quality_score: Option<JsonFraction>,
    fees: Option<FeesFile>,
    #[serde(default)]
    miners: Vec<MinerFile>,
    #[serde(default)]
    validators: Vec<StakeFile>,
    #[serde(default)]
    delegators: Vec<DelegatorFile>,
    #[serde(default)]
    subnet_owners: Vec<WeightFile>,
    #[serde(default)]
    infrastructure: Vec<WeightFile>,
    community_address: Address,
    dao_address: Address,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NetworkFile {
    task_volume: u64,
    avg_task_difficulty: JsonFraction,
    validator_participation: JsonFraction,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FeesFile {
    transaction_fees: Option<JsonAmount>,
    slashing: Option<JsonAmount>,
    registration: Option<JsonAmount>,
    task_fees: Option<JsonAmount>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MinerFile {
    address: Address,
    score: JsonFraction,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StakeFile {
    address: Address,
    stake: JsonAmount,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DelegatorFile {
    address: Address,
    stake: JsonAmount,
    #[serde(default)]
    lock_days: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WeightFile {
    address: Address,
    weight: JsonWeight,
}

impl InputsFile {
    fn into_inputs(self) -> EpochInputs {
        let fees = self.fees.map_or_else(Fees::default, |f| Fees {
            transaction_fees: amount(f.transaction_fees),
            slashing: amount(f.slashing),
            registration: amount(f.registration),
            task_fees: amount(f.task_fees),
        });
        let weighted = |list: Vec<WeightFile>| {
            list.into_iter()
                .map(|w| Weighted {
                    address: w.address,
                    weight: w.weight.0,
                })
                .collect()
        };
        EpochInputs {
            epoch: self.epoch,
            minted_supply: amount(self.minted_supply),
            recycling_pool: amount(self.recycling_pool),
            utility_score: self.utility_score.map(|u| u.0),
            network: self.network.map(|n| NetworkMetrics {
                task_volume: n.task_volume,
                avg_task_difficulty: n.avg_task_difficulty.0,
                validator_participation: n.validator_participation.0,
            }),
            quality_score: self.quality_score.map_or(Fraction::HALF, |q| q.0),
            fees,
            miners: self
                .miners
                .into_iter()
                .map(|m| Miner {
                    address: m.address,
                    score: m.score.0,
                })
                .collect(),
            validators: self
                .validators
                .into_iter()
                .map(|v| Validator {
                    address: v.address,
                    stake: v.stake.0,
                })
                .collect(),
            delegators: self
                .delegators
                .into_iter()
                .map(|d| Delegator {
                    address: d.address,
                    stake: d.stake.0,
                    lock_days: d.lock_days,
                })
                .collect(),
            subnet_owners: weighted(self.subnet_owners),
            infrastructure: weighted(self.infrastructure),
            community_address: self.community_address,
            dao_address: self.dao_address,
        }
    }
}
