//! `moderntensor_tokenomics`: the exact ModernTensor planner for Python (PyO3, abi3).
//!
//! Python users (the ModernTensor SDK, subnet and validator scripts) get the same plan,
//! to the base unit and the `plan_hash`, as `tokenomics plan --json`: inputs are read by
//! tokenomics-config's exact parser (never through `f64`) and the result is the same
//! `PlanJson` the binary prints, built as Python objects. Every refusal is a Python
//! exception carrying the CLI's one-line message (`FILE: field: reason`, the file being
//! `<inputs>`, `<emission>` or `<config>`); no panic crosses into Python (library code
//! has none, and PyO3 turns any into an exception).
//!
//! - `to_json.rs`: Python values to the exact JSON text the parser reads.
//! - `to_python.rs`: serde values (the plan, eras) to Python objects.
//! - `claims.rs`: claims trees (`claims-tree`) of a plan or of cumulative amounts.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod claims;
mod to_json;
mod to_python;

use std::path::Path;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use tokenomics_config::{parse_inputs, Config, Error};
use tokenomics_core::{schedule as eras, EpochPlan};

use crate::to_json::{JsonWriter, Refusal};
use crate::to_python::{plan_object, to_python};

/// How errors name inputs given to `plan()`.
const INPUTS: &str = "<inputs>";
/// How errors name the arguments of `emission()`.
const EMISSION: &str = "<emission>";
/// How errors name the configuration text.
const CONFIG: &str = "<config>";

/// The keys of a plan that `emission()` returns.
const EMISSION_KEYS: [&str; 7] = [
    "epoch",
    "halvings",
    "utility_score",
    "quality_multiplier",
    "emission",
    "unmet_burned",
    "from_mint",
];

/// Any nonzero addresses: `emission()` plans with no recipients, so they receive nothing
/// that is returned.
const PLACEHOLDER_COMMUNITY: &str = "0x0000000000000000000000000000000000000001";
const PLACEHOLDER_DAO: &str = "0x0000000000000000000000000000000000000002";

/// A refused input or configuration as Python sees it: `ValueError` with the CLI's line.
fn value_error(error: Error) -> PyErr {
    PyValueError::new_err(error.to_string())
}

/// The configuration from TOML text, the defaults without it.
fn load_config(config: Option<&str>) -> PyResult<Config> {
    config.map_or_else(
        || Ok(Config::default()),
        |text| Config::parse(text, Path::new(CONFIG)).map_err(value_error),
    )
}

/// Epoch inputs as JSON text: `str` as given, a `dict` written as exact JSON.
#[derive(Debug)]
struct InputsText {
    text: String,
    /// Written from a dict: a line and column in it mean nothing to the caller.
    written: bool,
}

fn inputs_text(inputs: &Bound<'_, PyAny>, name: &str) -> PyResult<InputsText> {
    if let Ok(text) = inputs.cast::<PyString>() {
        return Ok(InputsText {
            text: text.to_cow()?.into_owned(),
            written: false,
        });
    }
    if inputs.cast::<PyDict>().is_err() {
        return Err(PyTypeError::new_err(format!(
            "{name}: inputs must be a dict or JSON text (str), not {}",
            inputs.get_type().name()?
        )));
    }
    let mut text = String::new();
    JsonWriter::new(inputs.py())?
        .write(inputs, &mut text)
        .map_err(|refusal| refused(name, &refusal))?;
    Ok(InputsText {
        text,
        written: true,
    })
}

/// A value that cannot become JSON, worded as the CLI words a refused field.
fn refused(name: &str, refusal: &Refusal) -> PyErr {
    let line = Error::Field {
        file: name.into(),
        field: refusal.field(),
        reason: refusal.reason.clone(),
    }
    .to_string();
    if refusal.wrong_type {
        PyTypeError::new_err(line)
    } else {
        PyValueError::new_err(line)
    }
}

/// Reads inputs and plans them, without holding the GIL.
fn build_plan(
    py: Python<'_>,
    inputs: InputsText,
    name: &str,
    config: &Config,
) -> PyResult<EpochPlan> {
    py.detach(|| {
        let loaded = parse_inputs(&inputs.text, Path::new(name))?;
        config.plan(&loaded.inputs, Path::new(name), None)
    })
    .map_err(|error| {
        value_error(if inputs.written {
            error.without_position()
        } else {
            error
        })
    })
}

/// The plan of one epoch, exactly as `tokenomics plan --json` prints it.
///
/// `inputs` is the epoch inputs file's content: a `dict` or JSON text. Amounts are
/// decimal strings, `int` or `decimal.Decimal`; a `float` in an amount is refused
/// (`ValueError` naming the field). Fractions take `float` too (its shortest text, as
/// JSON has it). `config` is the TOML configuration text (defaults when omitted).
///
/// Returns a dict with the JSON's keys: amounts as MDT decimal strings,
/// `utility_score` and `quality_multiplier` as exact `decimal.Decimal`, `categories`,
/// `transfers` (`to`, `amount`, `category`), `inputs_digest` and `plan_hash`.
/// Raises `ValueError` with the CLI's message for refused inputs or configuration,
/// `TypeError` for a value that is no JSON value.
#[pyfunction]
#[pyo3(signature = (inputs, config=None))]
fn plan<'py>(
    py: Python<'py>,
    inputs: &Bound<'py, PyAny>,
    config: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let config = load_config(config)?;
    let text = inputs_text(inputs, INPUTS)?;
    let plan = build_plan(py, text, INPUTS, &config)?;
    plan_object(py, &plan)
}

/// The emission schedule era by era at U = 1 and Q = 1, as `tokenomics schedule`
/// tabulates it.
///
/// `epochs` stops the schedule after that many epochs (default: until max supply or
/// zero emission); `config` is TOML text (`[emission]` matters). Returns a list of
/// dicts: `index`, `start_epoch`, `end_epoch`, `emission_per_epoch`, `minted`,
/// `supply_at_end` (MDT decimal strings) and `capped_at_epoch` (`None` unless max
/// supply is reached in that era).
#[pyfunction]
#[pyo3(signature = (epochs=None, config=None))]
fn schedule<'py>(
    py: Python<'py>,
    epochs: Option<u64>,
    config: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let config = load_config(config)?;
    let list = eras(&config.emission, epochs)
        .map_err(|error| value_error(Error::refused_config(Path::new(CONFIG), &error)))?;
    to_python(py, &list)
}

/// The emission of one epoch: what `plan()` reports for it before the split.
///
/// `utility` and `quality` are fractions in [0, 1] (`str`, `Decimal`, `int` or
/// `float`), `minted_supply` the MDT minted before the epoch (an amount: no `float`).
/// Returns a dict: `epoch`, `halvings`, `utility_score`, `quality_multiplier`
/// (`Decimal`), `emission`, `unmet_burned` and `from_mint` (MDT decimal strings;
/// `from_mint` is the rewards, capped by what max supply leaves). Errors name the
/// inputs field (`utility_score`, `quality_score`, `minted_supply`) as the CLI does.
#[pyfunction]
#[pyo3(signature = (epoch, utility, quality, minted_supply, config=None))]
fn emission<'py>(
    py: Python<'py>,
    epoch: &Bound<'py, PyAny>,
    utility: &Bound<'py, PyAny>,
    quality: &Bound<'py, PyAny>,
    minted_supply: &Bound<'py, PyAny>,
    config: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let config = load_config(config)?;
    let inputs = PyDict::new(py);
    inputs.set_item("epoch", epoch)?;
    inputs.set_item("utility_score", utility)?;
    inputs.set_item("quality_score", quality)?;
    inputs.set_item("minted_supply", minted_supply)?;
    inputs.set_item("community_address", PLACEHOLDER_COMMUNITY)?;
    inputs.set_item("dao_address", PLACEHOLDER_DAO)?;
    let text = inputs_text(inputs.as_any(), EMISSION)?;
    let plan = build_plan(py, text, EMISSION, &config)?;
    let whole = plan_object(py, &plan)?;
    let whole = whole.cast::<PyDict>()?;
    let figures = PyDict::new(py);
    for key in EMISSION_KEYS {
        if let Some(value) = whole.get_item(key)? {
            figures.set_item(key, value)?;
        }
    }
    Ok(figures.into_any())
}

/// Exact ModernTensor emission and reward split: `plan`, `schedule`, `emission`, and
/// claims trees: `tree`, `verify`.
///
/// The same math, to the base unit, as the `tokenomics` binary: amounts are MDT decimal
/// strings, never floats. Errors are `ValueError` (or `TypeError`) with the binary's
/// one-line messages.
#[pymodule]
fn moderntensor_tokenomics(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(plan, module)?)?;
    module.add_function(wrap_pyfunction!(schedule, module)?)?;
    module.add_function(wrap_pyfunction!(emission, module)?)?;
    module.add_function(wrap_pyfunction!(claims::tree, module)?)?;
    module.add_function(wrap_pyfunction!(claims::verify, module)?)?;
    module.add_class::<claims::PyClaimsTree>()?;
    Ok(())
}
