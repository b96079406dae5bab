//! Epoch inputs files (JSON): numbers are read from their decimal text, never through `f64`
//! (see `json_decimal.rs`). Errors name the file and the field path (`miners[3].score`),
//! and for a JSON syntax error also its line and column (see `json_error.rs`).

use std::path::{Path, PathBuf};

use serde::Deserialize;
use tokenomics_core::{
    Address, Amount, CoreError, Delegator, EpochInputs, Fees, Fraction, Miner, NetworkMetrics,
    Validator, Weighted,
};

use crate::error::Error;
use crate::file::read_file;
use crate::json_decimal::{JsonAmount, JsonFraction, JsonWeight};
use crate::json_error::json_error;

/// Epoch inputs as read from a file, and whether it gave `minted_supply`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LoadedInputs {
    /// The inputs (`minted_supply` 0 when not given).
    pub inputs: EpochInputs,
    /// Whether the file gave `minted_supply` (else a payout reads it from the chain).
    pub minted_given: bool,
}

/// The path that means standard input.
const STDIN: &str = "-";

/// Reads and checks one epoch inputs file (`-`: standard input, named `<stdin>` in
/// errors), keeping whether `minted_supply` was given.
pub fn read_inputs(path: &Path) -> Result<LoadedInputs, Error> {
    let name = inputs_name(path);
    let text = if path == Path::new(STDIN) {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut text).map_err(
            |source| Error::Unreadable {
                file: name.to_path_buf(),
                source,
            },
        )?;
        text
    } else {
        read_file(path)?
    };
    parse_inputs(&text, name)
}

/// How errors name the inputs at `path`: `<stdin>` for `-`, else the path.
pub fn inputs_name(path: &Path) -> &Path {
    if path == Path::new(STDIN) {
        Path::new("<stdin>")
    } else {
        path
    }
}

/// Every `*.json` file of `dir`, in name order; none is an error.
pub fn inputs_in_dir(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let unreadable = |source| Error::Unreadable {
        file: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        if path.extension().is_some_and(|ext| ext == "json") {
            files.push(path);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(Error::NoInputsFiles {
            dir: dir.to_path_buf(),
        });
    }
    Ok(files)
}

/// Reads epoch inputs from JSON `text`; errors name the file as `file`.
pub fn parse_inputs(text: &str, file: &Path) -> Result<LoadedInputs, Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let parsed: InputsFile =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            let path = error.path().to_string();
            json_error(file, text, &path, error.inner())
        })?;
    deserializer
        .end()
        .map_err(|error| json_error(file, text, ".", &error))?;
    let minted_given = parsed.minted_supply.is_some();
    Ok(LoadedInputs {
        inputs: parsed.into_inputs(),
        minted_given,
    })
}

impl Error {
    /// The error for inputs at `path` that tokenomics-core refuses (a plan's rules:
    /// scores, duplicate addresses, recipients a chain refuses), naming the field; `-` is
    /// named `<stdin>` as [`read_inputs`] names it.
    pub fn refused_inputs(path: &Path, error: &CoreError) -> Error {
        let file = inputs_name(path).to_path_buf();
        match error {
            CoreError::InvalidInput { field, reason } => Error::Field {
                file,
                field: (*field).to_string(),
                reason: reason.clone(),
            },
            CoreError::DuplicateAddress { category, address } => Error::Field {
                file,
                field: (*category).to_string(),
                reason: format!("duplicate address {address}"),
            },
            other => Error::Invalid {
                file,
                reason: other.to_string(),
            },
        }
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
