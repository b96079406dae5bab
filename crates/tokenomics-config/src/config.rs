//! The TOML configuration file: `[emission]`, `[distribution]`, `[burn]`, `[rpc]`, `[executor]`,
//! `[evm]`.
//!
//! `[rpc]` maps straight onto `rpc_resilience::ResilienceConfig` (its extra keys too) and
//! is checked by its `validate()` when the file is loaded, like `[executor]` and `[evm]`
//! (`crate::evm_section`) here.
//!
//! Fractions must be exact, but TOML floats are `f64`; so floats of the tokenomics
//! sections are read from the text as written (toml_edit keeps it) and handed to the
//! exact decimal parser instead. Errors are one line naming the file and the key path
//! (`[rpc] timeout_ms`), or the line and column of a TOML syntax error.

use std::path::Path;

use serde::Deserialize;
use tokenomics_core::{Amount, BurnRates, CoreError, DistributionParams, EmissionParams, Params};
use toml_edit::{DocumentMut, Item, Value};

use crate::error::{Error, Format, Position};
use crate::evm_section::EvmSection;
use crate::file::read_file;

/// Sections whose floats are exact decimals, read from their decimal text.
const EXACT_SECTIONS: [&str; 4] = ["emission", "distribution", "burn", "evm"];

/// The whole configuration file; every key is optional.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Config {
    /// `[emission]`: supply, base reward, halvings, utility.
    pub emission: EmissionParams,
    /// `[distribution]`: category shares and lock bonuses.
    pub distribution: DistributionParams,
    /// `[burn]`: the burned share of each fee kind.
    pub burn: BurnRates,
    /// `[rpc]`: retries, timeouts, breaker, health of the RPC client.
    pub rpc: rpc_resilience::ResilienceConfig,
    /// `[executor]`: what every payout backend shares.
    pub executor: ExecutorSection,
    /// `[evm]`: the EVM payout backend.
    pub evm: EvmSection,
}

impl Config {
    /// The defaults, or the file at `path` on top of them, checked.
    pub fn load(path: Option<&Path>) -> Result<Config, Error> {
        match path {
            None => Ok(Config::default()),
            Some(path) => Config::parse(&read_file(path)?, path),
        }
    }

    /// Reads TOML `text` on top of the defaults and checks every section; errors name the
    /// file as `file`.
    pub fn parse(text: &str, file: &Path) -> Result<Config, Error> {
        let config = parse(text, file)?;
        config
            .params()
            .validate()
            .map_err(|error| params_error(file, error))?;
        config.rpc.validate().map_err(|error| Error::Field {
            file: file.to_path_buf(),
            field: format!("[rpc] {}", error.key),
            reason: error.reason,
        })?;
        config.evm.validate().map_err(|error| error.in_file(file))?;
        Ok(config)
    }

    /// The tokenomics parameters of this configuration.
    pub fn params(&self) -> Params {
        Params {
            emission: self.emission.clone(),
            distribution: self.distribution.clone(),
            burn: self.burn.clone(),
        }
    }
}

/// A parameter refused by tokenomics-core: `distribution: ...` (its
/// "invalid parameter " prefix dropped).
fn params_error(file: &Path, error: CoreError) -> Error {
    let file = file.to_path_buf();
    match error {
        CoreError::InvalidParameter { field, reason } => Error::Field {
            file,
            field: field.to_string(),
            reason,
        },
        other => Error::Invalid {
            file,
            reason: other.to_string(),
        },
    }
}

fn parse(text: &str, file: &Path) -> Result<Config, Error> {
    let mut document: DocumentMut = text
        .parse()
        .map_err(|error: toml_edit::TomlError| syntax_error(file, text, &error))?;
    for section in EXACT_SECTIONS {
        if let Some(item) = document.get_mut(section) {
            floats_to_text(item);
        }
    }
    let deserializer = toml_edit::de::Deserializer::from(document);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let reason = error.into_inner().message().to_string();
        let file = file.to_path_buf();
        if path == "." {
            Error::Invalid { file, reason }
        } else {
            Error::Field {
                file,
                field: key_path(&path),
                reason,
            }
        }
    })
}

/// `rpc.timeout_ms` as `[rpc] timeout_ms`, the way the file is written.
fn key_path(path: &str) -> String {
    match path.split_once('.') {
        Some((section, key)) => format!("[{section}] {key}"),
        None => format!("[{path}]"),
    }
}

/// A TOML syntax error, at its line and column (in characters) when the parser says.
fn syntax_error(file: &Path, text: &str, error: &toml_edit::TomlError) -> Error {
    let position = error.span().map(|span| {
        let before = text.get(..span.start.min(text.len())).unwrap_or(text);
        Position {
            line: before.matches('\n').count() + 1,
            column: before.rsplit('\n').next().unwrap_or("").chars().count() + 1,
        }
    });
    Error::Syntax {
        file: file.to_path_buf(),
        format: Format::Toml,
        position,
        field: None,
        message: error.message().trim().replace('\n', "; "),
    }
}

/// Replaces every float under `item` by its decimal text as written in the file.
fn floats_to_text(item: &mut Item) {
    match item {
        Item::Value(value) => value_floats_to_text(value),
        Item::Table(table) => table.iter_mut().for_each(|(_, item)| floats_to_text(item)),
        Item::ArrayOfTables(tables) => tables
            .iter_mut()
            .for_each(|t| t.iter_mut().for_each(|(_, item)| floats_to_text(item))),
        Item::None => {}
    }
}

fn value_floats_to_text(value: &mut Value) {
    match value {
        Value::Float(float) => {
            let text = float.display_repr().trim().replace('_', "");
            *value = Value::from(text);
        }
        Value::Array(array) => array.iter_mut().for_each(value_floats_to_text),
        Value::InlineTable(table) => table
            .iter_mut()
            .for_each(|(_, value)| value_floats_to_text(value)),
        _ => {}
    }
}

/// An amount of MDT given as a flag (`--mint-cap`) or other value outside a file, read
/// exactly; refused naming `name`.
pub fn parse_amount(name: &str, text: &str) -> Result<Amount, Error> {
    text.parse().map_err(|error: CoreError| Error::Setting {
        name: name.to_string(),
        reason: error.to_string(),
    })
}

/// `[executor]`: the payer on chains that let the operator choose one, and what every
/// backend shares.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct ExecutorSection {
    /// The account that is minted into and pays out on the Luxtensor protocol (on EVM
    /// the payout contract pays).
    pub treasury: tokenomics_core::Address,
    /// Transfers whose records (and balances, where they tell) are checked (100).
    #[serde(deserialize_with = "at_least_one")]
    pub verify_sample: std::num::NonZeroUsize,
}

impl Default for ExecutorSection {
    fn default() -> ExecutorSection {
        ExecutorSection {
            treasury: payout_luxtensor::DEFAULT_TREASURY,
            verify_sample: payout_executor::ExecutorConfig::default().verify_sample,
        }
    }
}

impl ExecutorSection {
    /// The executor's part.
    pub fn executor(&self) -> payout_executor::ExecutorConfig {
        payout_executor::ExecutorConfig::new(self.verify_sample)
    }

    /// The Luxtensor backend's part: the treasury, the built-in batch settings.
    pub fn luxtensor(&self) -> payout_luxtensor::LuxtensorConfig {
        payout_luxtensor::LuxtensorConfig::new(self.treasury)
    }
}

/// A count from the configuration: 0 would silently skip what it counts.
fn at_least_one<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<std::num::NonZeroUsize, D::Error> {
    let count = <usize as Deserialize>::deserialize(deserializer)?;
    std::num::NonZeroUsize::new(count).ok_or_else(|| serde::de::Error::custom("must be at least 1"))
}
