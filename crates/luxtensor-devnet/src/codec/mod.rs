//! Wire encodings: hex quantities, addresses, idempotency keys; MDT decimals written.
//!
//! The protocol speaks Ethereum-style text ("0x3e8", "0xAbC…"); parsing lives here
//! so every method rejects bad input the same way, naming the parameter. Errors
//! show a client's value only through [`excerpt`], so a huge value never comes back
//! as a huge message.

mod show;

pub use show::{excerpt, format_mdt, BASE_UNITS_PER_MDT};

use crate::error::DevnetError;

/// Longest idempotency key accepted, in bytes.
pub const MAX_IDEMPOTENCY_KEY_LEN: usize = 256;

/// Formats a quantity as an Ethereum-style hex string ("0x0", "0x3e8").
pub fn format_quantity(value: u128) -> String {
    luxtensor_protocol::format_quantity(value)
}

/// Parses an Ethereum-style hex quantity ("0x3e8") into base units.
pub fn parse_quantity(field: &'static str, text: &str) -> Result<u128, DevnetError> {
    use luxtensor_protocol::ProtocolError;
    luxtensor_protocol::parse_quantity(text).map_err(|error| {
        let reason = match error {
            ProtocolError::NoHexPrefix { .. } => {
                format!(
                    "expected a hex quantity like \"0x3e8\", got {}",
                    excerpt(text)
                )
            }
            ProtocolError::QuantityTooLarge { .. } => {
                format!("{} does not fit in 128 bits", excerpt(text))
            }
            _ => format!("{} is not a hex quantity", excerpt(text)),
        };
        DevnetError::invalid(field, reason)
    })
}

/// Parses an address ("0x" + 40 hex digits, any case) into its lowercase form.
pub fn parse_address(field: &'static str, text: &str) -> Result<String, DevnetError> {
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .ok_or_else(|| {
            DevnetError::invalid(
                field,
                format!("expected \"0x\" + 40 hex digits, got {}", excerpt(text)),
            )
        })?;
    if digits.len() != 40 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(DevnetError::invalid(
            field,
            format!("expected \"0x\" + 40 hex digits, got {}", excerpt(text)),
        ));
    }
    Ok(format!("0x{}", digits.to_ascii_lowercase()))
}

/// Checks an idempotency key: non-empty, at most [`MAX_IDEMPOTENCY_KEY_LEN`] bytes.
pub fn parse_idempotency_key(text: &str) -> Result<String, DevnetError> {
    if text.is_empty() || text.len() > MAX_IDEMPOTENCY_KEY_LEN {
        return Err(DevnetError::invalid(
            "idempotencyKey",
            format!("must be 1 to {MAX_IDEMPOTENCY_KEY_LEN} bytes long"),
        ));
    }
    Ok(text.to_owned())
}

/// Longest memo `luxtensor_mint` takes, in bytes.
pub const MAX_MEMO_LEN: usize = 256;

/// Checks a memo: 1 to [`MAX_MEMO_LEN`] bytes of printable ASCII.
pub fn parse_memo(text: &str) -> Result<String, DevnetError> {
    if text.is_empty() || text.len() > MAX_MEMO_LEN {
        return Err(DevnetError::invalid(
            "memo",
            format!("must be 1 to {MAX_MEMO_LEN} bytes long"),
        ));
    }
    if !text.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return Err(DevnetError::invalid("memo", "must be printable ASCII"));
    }
    Ok(text.to_owned())
}
