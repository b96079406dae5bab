//! Positional parameter parsing that names the bad field in its -32602 error.
//!
//! jsonrpsee's own parsing reports serde's message; the protocol asks for the
//! parameter's name ("invalid amount: …"), so params are read one by one here.

use jsonrpsee::types::Params;
use serde_json::Value;

use crate::codec::{excerpt, parse_address, parse_idempotency_key, parse_memo, parse_quantity};
use crate::error::DevnetError;

/// The positional params of one call, checked against the method's param names.
#[derive(Debug)]
pub(crate) struct Args {
    values: Vec<Value>,
}

impl Args {
    /// Reads `params` as an array of at most `names.len()` values.
    pub(crate) fn parse(params: &Params<'_>, names: &[&'static str]) -> Result<Args, DevnetError> {
        let values = match params.as_str() {
            None => Vec::new(),
            Some(raw) => match serde_json::from_str::<Value>(raw) {
                Ok(Value::Array(values)) => values,
                Ok(Value::Null) => Vec::new(),
                Ok(_) => {
                    return Err(DevnetError::invalid(
                        "params",
                        "expected a positional array",
                    ))
                }
                Err(error) => return Err(DevnetError::invalid("params", error.to_string())),
            },
        };
        if values.len() > names.len() {
            return Err(DevnetError::invalid(
                "params",
                format!(
                    "expected at most {} ({}), got {}",
                    names.len(),
                    names.join(", "),
                    values.len()
                ),
            ));
        }
        Ok(Args { values })
    }

    fn text(&self, index: usize, field: &'static str) -> Result<Option<&str>, DevnetError> {
        match self.values.get(index) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(other) => Err(DevnetError::invalid(
                field,
                format!("expected a string, got {}", excerpt(&other.to_string())),
            )),
        }
    }

    fn required(&self, index: usize, field: &'static str) -> Result<&str, DevnetError> {
        self.text(index, field)?
            .ok_or_else(|| DevnetError::invalid(field, "missing"))
    }

    /// A required address, lowercased.
    pub(crate) fn address(&self, index: usize, field: &'static str) -> Result<String, DevnetError> {
        parse_address(field, self.required(index, field)?)
    }

    /// A required hex quantity.
    pub(crate) fn quantity(&self, index: usize, field: &'static str) -> Result<u128, DevnetError> {
        parse_quantity(field, self.required(index, field)?)
    }

    /// An optional idempotency key.
    pub(crate) fn key(&self, index: usize) -> Result<Option<String>, DevnetError> {
        self.text(index, "idempotencyKey")?
            .map(parse_idempotency_key)
            .transpose()
    }

    /// An optional memo: printable ASCII, at most [`MAX_MEMO_LEN`] bytes.
    pub(crate) fn memo(&self, index: usize) -> Result<Option<String>, DevnetError> {
        self.text(index, "memo")?.map(parse_memo).transpose()
    }

    /// A required idempotency key.
    pub(crate) fn required_key(&self, index: usize) -> Result<String, DevnetError> {
        parse_idempotency_key(self.required(index, "idempotencyKey")?)
    }

    /// An optional string param whose value is accepted as is (e.g. a block tag).
    pub(crate) fn optional_text(
        &self,
        index: usize,
        field: &'static str,
    ) -> Result<Option<&str>, DevnetError> {
        self.text(index, field)
    }
}
