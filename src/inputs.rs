//! Epoch inputs files (JSON): numbers are read from their decimal text, never through `f64`.
//!
//! serde_json's `arbitrary_precision` would do this globally but breaks jsonrpsee, so
//! each decimal field is captured as a `RawValue` (the exact text of the number or
//! string) and handed to tokenomics-core's exact parser. Errors name the file and the
//! field path (`miners[3].score`).

use std::path::Path;

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use tokenomics_core::{
    Address, Amount, CoreError, Delegator, EpochInputs, Fees, Fraction, Miner, NetworkMetrics,
    Validator, Weighted,
};

use crate::config::{bad_input, read_file};
use crate::error::CliError;

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

/// Reads and checks one epoch inputs file, keeping whether `minted_supply` was given.
pub(crate) fn load_inputs_file(path: &Path) -> Result<LoadedInputs, CliError> {
    let text = read_file(path)?;
    parse_inputs(&text).map_err(|reason| bad_input(path, &reason))
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
            let inner = error.into_inner().to_string();
            if path == "." {
                inner
            } else {
                format!("{path}: {inner}")
            }
        })?;
    deserializer.end().map_err(|e| e.to_string())?;
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

/// A fraction given as a JSON number or a decimal string, read exactly.
#[derive(Debug)]
struct JsonFraction(Fraction);

/// An MDT amount given as a decimal string or a whole JSON number, read exactly.
#[derive(Debug)]
struct JsonAmount(Amount);

/// The text of a JSON number, or the contents of a JSON string.
fn decimal_text<'de, D: Deserializer<'de>>(
    deserializer: D,
    numbers: &str,
) -> Result<(String, bool), D::Error> {
    let raw = Box::<RawValue>::deserialize(deserializer)?;
    let text = raw.get();
    if text.starts_with('"') {
        let inner: String = serde_json::from_str(text).map_err(serde::de::Error::custom)?;
        Ok((inner, false))
    } else if text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        Ok((expand_exponent(text), true))
    } else {
        Err(serde::de::Error::custom(format!(
            "expected {numbers}, found {text}"
        )))
    }
}

/// Writes a JSON number with an exponent (`5e-1`, `1.5E2`) as plain decimal text
/// (`0.5`, `150`), exactly, by moving the decimal point; other text is returned as is.
fn expand_exponent(number: &str) -> String {
    let Some((mantissa, exponent)) = number.split_once(['e', 'E']) else {
        return number.to_string();
    };
    let (Ok(exponent), false) = (exponent.parse::<i64>(), mantissa.starts_with('-')) else {
        return number.to_string(); // let the decimal parser report it
    };
    if exponent.unsigned_abs() > 64 {
        return number.to_string();
    }
    let (whole, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{frac}");
    // Position of the decimal point within `digits`, after the shift.
    let point = whole.len() as i64 + exponent;
    let text = if point <= 0 {
        format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        let (int, dec) = digits.split_at(point as usize);
        format!("{int}.{dec}")
    };
    // Drop redundant zeros so "1.50e1" reads as "15" and "5e-1" as "0.5".
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    let trimmed = text.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".to_string()
    } else if trimmed.starts_with('.') {
        format!("0{trimmed}")
    } else {
        trimmed.to_string()
    }
}

impl<'de> Deserialize<'de> for JsonFraction {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (text, _) = decimal_text(deserializer, "a number or decimal string in [0, 1]")?;
        text.parse()
            .map(JsonFraction)
            .map_err(serde::de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for JsonAmount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (text, is_number) = decimal_text(deserializer, "a decimal string of MDT")?;
        if is_number && text.contains('.') {
            return Err(serde::de::Error::custom(format!(
                "amount {text} must be a decimal string (\"{text}\"); only whole numbers may be JSON numbers"
            )));
        }
        text.parse()
            .map(JsonAmount)
            .map_err(serde::de::Error::custom)
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
    weight: JsonAmount,
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
