//! Serde values to Python objects (through `pythonize`, so a plan's shape is its
//! `Serialize` impl: the one `PlanJson` the binary prints): JSON objects become dicts,
//! amounts `str`, and the exact JSON numbers of a plan (`utility_score`,
//! `quality_multiplier`, written from their decimal text) `decimal.Decimal`.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde::Serialize;
use tokenomics_config::PlanJson;
use tokenomics_core::EpochPlan;

/// How serde_json's `RawValue` (an exact JSON number) serializes: a struct of this name
/// with one field of this name holding the number's text.
const RAW_NUMBER: &str = "$serde_json::private::RawValue";

/// Any serializable value as Python objects.
pub(crate) fn to_python<'py, T: Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, value)
        .map_err(|error| PyRuntimeError::new_err(format!("cannot build the Python value: {error}")))
}

/// The plan as the dict of `tokenomics plan --json`, its exact numbers as `Decimal`.
pub(crate) fn plan_object<'py>(py: Python<'py>, plan: &EpochPlan) -> PyResult<Bound<'py, PyAny>> {
    let object = to_python(py, &PlanJson::from(plan))?;
    let dict = object.cast::<PyDict>()?;
    let decimal = py.import("decimal")?.getattr("Decimal")?;
    let keys: Vec<Bound<'py, PyAny>> = dict.keys().iter().collect();
    for key in keys {
        let Some(value) = dict.get_item(&key)? else {
            continue;
        };
        let Ok(inner) = value.cast::<PyDict>() else {
            continue;
        };
        if inner.len() != 1 {
            continue;
        }
        if let Some(text) = inner.get_item(RAW_NUMBER)? {
            dict.set_item(&key, decimal.call1((text,))?)?;
        }
    }
    Ok(object)
}
