//! Python values to the exact JSON text tokenomics-config reads: `int` and a whole
//! `Decimal` as JSON numbers, a fractional `Decimal` as a decimal string, a `float` as
//! the JSON number Python's `json` writes (its `repr`, always with a decimal point, so an
//! amount given as a `float` meets the CLI's refusal of a JSON number with a point). Nothing goes through `f64` arithmetic; `NaN` and infinities are refused,
//! naming the field.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

/// Why a value cannot become JSON, and where (the path, innermost segment first).
#[derive(Debug)]
pub(crate) struct Refusal {
    /// Path segments from the value outwards: `score`, `[3]`, `miners`.
    path: Vec<String>,
    /// A wrong Python type (TypeError) or a wrong value (ValueError).
    pub(crate) wrong_type: bool,
    /// Why, for people.
    pub(crate) reason: String,
}

impl Refusal {
    fn value(reason: String) -> Refusal {
        Refusal {
            path: Vec::new(),
            wrong_type: false,
            reason,
        }
    }

    /// The field's path as the inputs' errors write it: `miners[3].score`.
    pub(crate) fn field(&self) -> String {
        let mut field = String::new();
        for segment in self.path.iter().rev() {
            if !field.is_empty() && !segment.starts_with('[') {
                field.push('.');
            }
            field.push_str(segment);
        }
        if field.is_empty() {
            field.push('.');
        }
        field
    }

    fn within(mut self, segment: String) -> Refusal {
        self.path.push(segment);
        self
    }
}

/// Writes JSON for Python values; holds `decimal.Decimal` for the type checks.
#[derive(Debug)]
pub(crate) struct JsonWriter<'py> {
    decimal: Bound<'py, PyAny>,
}

impl<'py> JsonWriter<'py> {
    /// A writer for this interpreter (imports `decimal`).
    pub(crate) fn new(py: Python<'py>) -> PyResult<JsonWriter<'py>> {
        Ok(JsonWriter {
            decimal: py.import("decimal")?.getattr("Decimal")?,
        })
    }

    /// Appends `value` as JSON text to `out`.
    pub(crate) fn write(&self, value: &Bound<'py, PyAny>, out: &mut String) -> Result<(), Refusal> {
        if let Ok(text) = value.cast::<PyString>() {
            let text = text.to_cow().map_err(python_error)?;
            push_json_string(&text, out);
        } else if let Ok(dict) = value.cast::<PyDict>() {
            out.push('{');
            for (index, (key, item)) in dict.iter().enumerate() {
                let Ok(key) = key.cast::<PyString>() else {
                    return Err(Refusal {
                        path: Vec::new(),
                        wrong_type: true,
                        reason: format!("keys must be strings, not {}", type_name(&key)),
                    });
                };
                let key = key.to_cow().map_err(python_error)?;
                if index > 0 {
                    out.push(',');
                }
                push_json_string(&key, out);
                out.push(':');
                self.write(&item, out)
                    .map_err(|refusal| refusal.within(key.to_string()))?;
            }
            out.push('}');
        } else if let Ok(list) = value.cast::<PyList>() {
            self.write_items(list.iter(), out)?;
        } else if let Ok(tuple) = value.cast::<PyTuple>() {
            self.write_items(tuple.iter(), out)?;
        } else if let Ok(flag) = value.cast::<PyBool>() {
            out.push_str(if flag.is_true() { "true" } else { "false" });
        } else if value.cast::<PyInt>().is_ok() {
            out.push_str(
                &value
                    .str()
                    .map_err(python_error)?
                    .to_cow()
                    .map_err(python_error)?,
            );
        } else if let Ok(float) = value.cast::<PyFloat>() {
            out.push_str(&float_text(float)?);
        } else if value.is_none() {
            out.push_str("null");
        } else if value.is_instance(&self.decimal).map_err(python_error)? {
            self.write_decimal(value, out)?;
        } else {
            return Err(Refusal {
                path: Vec::new(),
                wrong_type: true,
                reason: format!(
                    "{} is not a JSON value (give str, int, Decimal, float for fractions, dict, list, None)",
                    type_name(value)
                ),
            });
        }
        Ok(())
    }

    fn write_items(
        &self,
        items: impl Iterator<Item = Bound<'py, PyAny>>,
        out: &mut String,
    ) -> Result<(), Refusal> {
        out.push('[');
        for (index, item) in items.enumerate() {
            if index > 0 {
                out.push(',');
            }
            self.write(&item, out)
                .map_err(|refusal| refusal.within(format!("[{index}]")))?;
        }
        out.push(']');
        Ok(())
    }

    /// A whole `Decimal` as a JSON number (amounts, epochs and counts take it), any
    /// other as a decimal string (amounts and fractions take it), written out without
    /// an exponent.
    fn write_decimal(&self, value: &Bound<'py, PyAny>, out: &mut String) -> Result<(), Refusal> {
        let finite = value
            .call_method0("is_finite")
            .and_then(|f| f.is_truthy())
            .map_err(python_error)?;
        if !finite {
            return Err(Refusal::value(format!(
                "Decimal {} is not a finite number",
                repr(value)
            )));
        }
        let text = value
            .call_method1("__format__", ("f",))
            .and_then(|t| t.str())
            .map_err(python_error)?;
        let text = text.to_cow().map_err(python_error)?;
        if text.contains('.') {
            push_json_string(&text, out);
        } else {
            out.push_str(&text);
        }
        Ok(())
    }
}

/// A `float` as the JSON number `json.dumps` writes for it (its `repr`, the shortest text
/// that reads back as the same `float`: `0.1`, `5.0`), with a decimal point always: a
/// `repr` without one (`1e+20`, `1e-05`) gets `.0` in its mantissa (`1.0e+20`). So an
/// amount given as a `float` meets the reader's refusal of a JSON number with a point.
fn float_text(float: &Bound<'_, PyFloat>) -> Result<String, Refusal> {
    if !float.value().is_finite() {
        return Err(Refusal::value(format!(
            "float {} is not a finite number",
            repr(float.as_any())
        )));
    }
    let text = repr(float.as_any());
    Ok(match text.split_once(['e', 'E']) {
        Some((mantissa, exponent)) if !mantissa.contains('.') => {
            format!("{mantissa}.0e{exponent}")
        }
        _ => text,
    })
}

fn push_json_string(text: &str, out: &mut String) {
    // proof: serializing a str to JSON cannot fail.
    out.push_str(&serde_json::to_string(text).unwrap_or_default());
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|name| name.to_string())
        .unwrap_or_else(|_| "this value".to_string())
}

fn repr(value: &Bound<'_, PyAny>) -> String {
    value
        .repr()
        .map(|text| text.to_string())
        .unwrap_or_default()
}

fn python_error(error: PyErr) -> Refusal {
    Refusal::value(error.to_string())
}
