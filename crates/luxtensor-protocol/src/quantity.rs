//! Hex quantities: amounts and numbers on the wire, Ethereum style (`"0x0"`, `"0x3e8"`).
//!
//! Written as the shortest lowercase form; read in either case of prefix and digits, leading
//! zeros allowed, up to `u128::MAX`. A sign, a space or an empty digit string is refused.

use crate::ProtocolError;

/// `value` as a hex quantity: `0x` and the shortest lowercase digits (`0x0` for zero).
pub fn format_quantity(value: u128) -> String {
    format!("{value:#x}")
}

/// Reads a hex quantity (`0x3e8`, `0X3E8`) into base units.
pub fn parse_quantity(text: &str) -> Result<u128, ProtocolError> {
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .ok_or_else(|| ProtocolError::NoHexPrefix { text: text.into() })?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ProtocolError::NotHex { text: text.into() });
    }
    // Only hex digits remain, so the one way to fail is overflow.
    u128::from_str_radix(digits, 16)
        .map_err(|_| ProtocolError::QuantityTooLarge { text: text.into() })
}
