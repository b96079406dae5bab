//! The TOML configuration file: `[emission]`, `[distribution]`, `[burn]`, `[rpc]`, `[executor]`,
//! `[evm]`.
//!
//! `[rpc]` maps straight onto `rpc_resilience::ResilienceConfig` (its extra keys too) and
//! is checked by its `validate()` when the file is loaded, like `[executor]` and `[evm]`
//! (`crate::evm_config`) here.
//!
//! Fractions must be exact, but TOML floats are `f64`; so floats of the tokenomics
//! sections are read from the text as written (toml_edit keeps it) and handed to the
//! exact decimal parser instead. Errors are one line naming the file and the key path
//! (`[rpc] timeout_ms`), or the line and column of a TOML syntax error.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use tokenomics_core::{Amount, BurnRates, DistributionParams, EmissionParams, Params};
use toml_edit::{DocumentMut, Item, Value};

use crate::echo::{hide_keys, shorten_echoes};
use crate::error::CliError;
use crate::evm_config::EvmSection;

/// Sections whose floats are exact decimals, read from their decimal text.
const EXACT_SECTIONS: [&str; 4] = ["emission", "distribution", "burn", "evm"];

/// The whole configuration file; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Config {
    pub(crate) emission: EmissionParams,
    pub(crate) distribution: DistributionParams,
    pub(crate) burn: BurnRates,
    pub(crate) rpc: rpc_resilience::ResilienceConfig,
    pub(crate) executor: tokenomics_integration::ExecutorConfig,
    pub(crate) evm: EvmSection,
}

impl Config {
    /// The defaults, or the file at `path` on top of them.
    pub(crate) fn load(path: Option<&Path>) -> Result<Config, CliError> {
        let Some(path) = path else {
            return Ok(Config::default());
        };
        let text = read_file(path)?;
        let config = parse(&text).map_err(|reason| bad_input(path, &reason))?;
        config
            .params()
            .validate()
            .map_err(|error| bad_input(path, &strip_prefix(error.to_string())))?;
        config
            .rpc
            .validate()
            .map_err(|error| bad_input(path, &format!("[rpc] {error}")))?;
        config
            .evm
            .validate()
            .map_err(|reason| bad_input(path, &format!("[evm] {reason}")))?;
        Ok(config)
    }

    /// The tokenomics parameters of this configuration.
    pub(crate) fn params(&self) -> Params {
        Params {
            emission: self.emission.clone(),
            distribution: self.distribution.clone(),
            burn: self.burn.clone(),
        }
    }
}

/// "invalid parameter distribution: ..." reads better as "distribution: ...".
fn strip_prefix(message: String) -> String {
    message
        .strip_prefix("invalid parameter ")
        .map(str::to_string)
        .unwrap_or(message)
}

fn parse(text: &str) -> Result<Config, String> {
    let mut document: DocumentMut = text
        .parse()
        .map_err(|error: toml_edit::TomlError| syntax_error(text, &error))?;
    for section in EXACT_SECTIONS {
        if let Some(item) = document.get_mut(section) {
            floats_to_text(item);
        }
    }
    let deserializer = toml_edit::de::Deserializer::from(document);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner().message().to_string();
        if path == "." {
            inner
        } else {
            format!("{}: {inner}", key_path(&path))
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

/// A TOML syntax error on one line: `TOML syntax error at line L, column C: message`.
fn syntax_error(text: &str, error: &toml_edit::TomlError) -> String {
    let message = error.message().trim().replace('\n', "; ");
    let Some(start) = error.span().map(|span| span.start.min(text.len())) else {
        return format!("TOML syntax error: {message}");
    };
    let before = text.get(..start).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    format!("TOML syntax error at line {line}, column {column}: {message}")
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

/// Reads a whole file; a missing or unreadable file is bad input naming the path.
pub(crate) fn read_file(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|error| bad_input(path, &format!("cannot read: {error}")))
}

/// `FILE: reason` as bad input (exit code 2), on one line, every echoed value in the
/// reason cut short.
pub(crate) fn bad_input(path: &Path, reason: &str) -> CliError {
    CliError::BadInput(format!(
        "{}: {}",
        hide_keys(&PathBuf::from(path).display().to_string()),
        shorten_echoes(reason)
    ))
}

/// An amount of MDT given on the command line (`--mint-cap`, `--mint-room`); refused as
/// bad input naming `flag`, the value cut short.
pub(crate) fn mdt_flag(flag: &str, text: &str) -> Result<Amount, CliError> {
    text.parse().map_err(|error: tokenomics_core::CoreError| {
        CliError::BadInput(format!("{flag}: {}", shorten_echoes(&error.to_string())))
    })
}
