//! Fractions and amounts in JSON, read from their decimal text (never through `f64`).
//!
//! serde_json's `arbitrary_precision` would do this globally but breaks jsonrpsee, so
//! each decimal field is captured as a `RawValue` (the exact text of the number or
//! string) and handed to tokenomics-core's exact parser. A number with an exponent is
//! written out as plain decimal text first; one too large for any amount is "out of range".

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use tokenomics_core::{Amount, Fraction};

use crate::echo::shorten;

/// A fraction given as a JSON number or a decimal string, read exactly.
#[derive(Debug)]
pub(crate) struct JsonFraction(pub(crate) Fraction);

/// An MDT amount given as a decimal string or a whole JSON number (`1000`, `1E4`), read
/// exactly: a JSON number with a decimal point is a float's text, refused even when
/// whole (`1000.0`), so a program's float (written with a point) never passes as money.
#[derive(Debug)]
pub(crate) struct JsonAmount(pub(crate) Amount);

/// A relative weight (subnet owners, infrastructure): not MDT but a share, so a JSON
/// number with decimals (`0.5`) is as good as a decimal string (`"0.5"`); read exactly,
/// up to 18 decimals, never negative.
#[derive(Debug)]
pub(crate) struct JsonWeight(pub(crate) Amount);

/// Whole digits an exponent may produce: more is beyond any amount (a `u128` of base
/// units has 39 digits).
const MAX_WHOLE_DIGITS: i64 = 40;
/// Zeros after the point an exponent may produce before the first significant digit:
/// more is a value far below 18 decimals.
const MAX_LEADING_ZEROS: i64 = 64;

/// How a decimal was written in JSON.
#[derive(Debug, PartialEq, Eq)]
enum Written {
    /// A JSON string.
    String,
    /// A JSON number without a decimal point (`1000`, `1E4`), which an amount may be.
    Whole,
    /// A JSON number with a decimal point (`0.5`, `1000.0`, `1.0e20`), as it was written:
    /// a float's text, which an amount may not be.
    Pointed(String),
}

/// The text of a JSON number (exponent written out), or the contents of a JSON string.
fn decimal_text<'de, D: Deserializer<'de>>(
    deserializer: D,
    numbers: &str,
) -> Result<(String, Written), D::Error> {
    let raw = Box::<RawValue>::deserialize(deserializer)?;
    let text = raw.get();
    if text.starts_with('"') {
        let inner: String = serde_json::from_str(text).map_err(serde::de::Error::custom)?;
        Ok((inner, Written::String))
    } else if text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        let written = if text.contains('.') {
            Written::Pointed(text.to_string())
        } else {
            Written::Whole
        };
        expand_exponent(text)
            .map(|text| (text, written))
            .map_err(serde::de::Error::custom)
    } else {
        Err(serde::de::Error::custom(format!(
            "expected {numbers}, found {}",
            shorten(text)
        )))
    }
}

/// Writes a JSON number with an exponent (`5e-1`, `1.5E2`) as plain decimal text
/// (`0.5`, `150`), exactly, by moving the decimal point; other text is returned as is.
/// A number whose value is beyond any amount (`1e400`) is out of range.
pub(crate) fn expand_exponent(number: &str) -> Result<String, String> {
    let Some((mantissa, exponent)) = number.split_once(['e', 'E']) else {
        return Ok(number.to_string());
    };
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(unsigned) => ("-", unsigned),
        None => ("", mantissa),
    };
    let (whole, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{frac}");
    let Some(first) = digits.find(|c: char| c != '0') else {
        return Ok(format!("{sign}0")); // zero times any power of ten
    };
    // A JSON exponent is digits with an optional sign: failing to parse means it overflows.
    let exponent = exponent
        .parse::<i64>()
        .unwrap_or(if exponent.starts_with('-') {
            i64::MIN
        } else {
            i64::MAX
        });
    let len = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    // Position of the decimal point within `digits`, after the shift.
    let point = len(whole.len()).saturating_add(exponent);
    let significant_whole = point.saturating_sub(len(first));
    if significant_whole > MAX_WHOLE_DIGITS {
        return Err(format!(
            "number {} is out of range (too large)",
            shorten(number)
        ));
    }
    if significant_whole < -MAX_LEADING_ZEROS {
        return Err(format!(
            "number {} is out of range (more than 18 decimals)",
            shorten(number)
        ));
    }
    // proof: both bounds above keep `point` within digits.len() + 40 and above -64 - len.
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
    Ok(if trimmed.starts_with('.') {
        format!("{sign}0{trimmed}")
    } else {
        format!("{sign}{trimmed}")
    })
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
        let (text, written) = decimal_text(deserializer, "a decimal string of MDT")?;
        if let Written::Pointed(as_written) = written {
            let (as_written, text) = (shorten(&as_written), shorten(&text));
            return Err(serde::de::Error::custom(format!(
                "amount {as_written} must be a decimal string (\"{text}\"); only whole numbers without a decimal point may be JSON numbers"
            )));
        }
        text.parse()
            .map(JsonAmount)
            .map_err(serde::de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for JsonWeight {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (text, _) = decimal_text(deserializer, "a number or decimal string")?;
        text.parse()
            .map(JsonWeight)
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::expand_exponent;

    #[track_caller]
    fn check(number: &str, expected: Result<&str, &str>) {
        match (expand_exponent(number), expected) {
            (Ok(got), Ok(want)) => assert_eq!(got, want),
            (Err(got), Err(want)) => assert!(got.contains(want), "{got}"),
            (got, want) => panic!("{number}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn exponents_move_the_decimal_point_exactly() {
        check("5e-1", Ok("0.5"));
        check("1.50e1", Ok("15"));
        check("1E4", Ok("10000"));
        check("6.7e-1", Ok("0.67"));
        check("0.0012e+3", Ok("1.2"));
        check("-2e0", Ok("-2"));
        check("0e999999999999999999999", Ok("0"));
        check("123", Ok("123"));
    }

    #[test]
    fn a_huge_exponent_is_out_of_range() {
        check("1e400", Err("1e400 is out of range (too large)"));
        check("1e99999999999999999999", Err("out of range (too large)"));
        check("1e-400", Err("out of range (more than 18 decimals)"));
        check("1e-99999999999999999999", Err("more than 18 decimals"));
    }

    #[test]
    fn the_bounds_leave_every_amount_in_range() {
        // u128::MAX base units is about 3.4e20 MDT: 40 whole digits is far beyond it,
        // so the core parser, not this bound, says "too large" for these.
        check("1e39", Ok(&format!("1{}", "0".repeat(39))));
        check("1e-64", Ok(&format!("0.{}1", "0".repeat(63))));
    }
}
