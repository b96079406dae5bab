//! Decimal text <-> fixed-point integers with 18 decimals, exactly (no `f64` anywhere).
//!
//! Amounts (MDT with 18 decimals) and fractions (scale 10^18) share this reader and
//! writer, so "0.1" is exactly 10^17 parts and printing gives back the shortest text.

use crate::error::{CoreError, Result};

/// Decimal places of every fixed-point value in this crate.
pub const DECIMALS: u32 = 18;
/// `10^DECIMALS`: one whole unit (1 MDT in base units, 1.0 as a fraction).
pub const SCALE: u128 = 1_000_000_000_000_000_000;

/// Reads `digits[.digits]` (at most 18 decimals) into an integer scaled by 10^18.
///
/// Refuses signs, exponents, blanks, empty parts and anything but ASCII digits, so a
/// value can only mean one thing.
pub(crate) fn parse_scaled(text: &str) -> Result<u128> {
    let invalid = |reason| CoreError::InvalidDecimal {
        text: text.to_string(),
        reason,
    };
    let (whole, frac) = match text.split_once('.') {
        Some((whole, frac)) => (whole, Some(frac)),
        None => (text, None),
    };
    if text.starts_with('-') {
        return Err(invalid("negative values are not allowed"));
    }
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid("expected digits with an optional '.' and decimals"));
    }
    let mut value: u128 = 0;
    for digit in whole.bytes() {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u128::from(digit - b'0')))
            .ok_or_else(|| invalid("too large"))?;
    }
    value = value
        .checked_mul(SCALE)
        .ok_or_else(|| invalid("too large"))?;
    if let Some(frac) = frac {
        if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("expected digits after '.'"));
        }
        if frac.len() > DECIMALS as usize {
            return Err(invalid("more than 18 decimals"));
        }
        let mut parts: u128 = 0;
        for digit in frac.bytes() {
            parts = parts * 10 + u128::from(digit - b'0');
        }
        // proof: frac.len() <= 18, so 10^(18 - len) is at least 1 and parts < 10^18.
        parts *= 10u128.pow(DECIMALS - frac.len() as u32);
        value = value
            .checked_add(parts)
            .ok_or_else(|| invalid("too large"))?;
    }
    Ok(value)
}

/// Writes an integer scaled by 10^18 as the shortest exact decimal ("1000", "0.5").
pub(crate) fn format_scaled(value: u128) -> String {
    let whole = value / SCALE;
    let frac = value % SCALE;
    if frac == 0 {
        return whole.to_string();
    }
    let digits = format!("{frac:018}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}
