//! `Address`: a 20-byte account id, read case-insensitively, always printed lowercase.
//!
//! Ordering is byte order, which is the order of the lowercase hex text, so sorting
//! addresses and sorting their printed form agree (the plan's tie-break rule).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::CoreError;

/// A 20-byte account address (`0x` + 40 hex digits in text).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Address([u8; 20]);

impl Address {
    /// The address with these bytes.
    pub const fn from_bytes(bytes: [u8; 20]) -> Address {
        Address(bytes)
    }

    /// The 20 bytes.
    pub const fn as_bytes(&self) -> &[u8; 20] {
        &self.0
    }

    /// The bytes as two big-endian integers: comparing these is byte order, without
    /// a `memcmp` call per comparison (sorting a million addresses is the hot spot).
    fn sort_key(&self) -> (u128, u32) {
        let [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, b0, b1, b2, b3] =
            self.0;
        (
            u128::from_be_bytes([
                a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15,
            ]),
            u32::from_be_bytes([b0, b1, b2, b3]),
        )
    }
}

impl Ord for Address {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl PartialOrd for Address {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Address {
    /// `0x` and 40 lowercase hex digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Written whole (one `write_str`, not a formatter call per byte): the journal and
        // the wire write an address per transfer.
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut text = [b'0'; 42];
        text[1] = b'x';
        for (i, byte) in self.0.iter().enumerate() {
            text[2 + 2 * i] = DIGITS[usize::from(byte >> 4)];
            text[3 + 2 * i] = DIGITS[usize::from(byte & 0x0f)];
        }
        // proof: every byte written is an ASCII hex digit, `0` or `x`, so this is UTF-8.
        f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for Address {
    type Err = CoreError;

    /// Reads `0x` (or `0X`) and exactly 40 hex digits, in any case.
    fn from_str(text: &str) -> Result<Address, CoreError> {
        let invalid = || CoreError::InvalidAddress {
            text: text.to_string(),
        };
        let hex = text
            .strip_prefix("0x")
            .or_else(|| text.strip_prefix("0X"))
            .ok_or_else(invalid)?;
        if hex.len() != 40 {
            return Err(invalid());
        }
        let mut bytes = [0u8; 20];
        for (byte, pair) in bytes.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
            let high = hex_digit(pair[0]).ok_or_else(invalid)?;
            let low = hex_digit(pair[1]).ok_or_else(invalid)?;
            *byte = high << 4 | low;
        }
        Ok(Address(bytes))
    }
}

fn hex_digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

impl Serialize for Address {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Address {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Address, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(bytes: [u8; 20]) {
        let address = Address::from_bytes(bytes);
        let per_byte: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(address.to_string(), format!("0x{per_byte}"));
        assert_eq!(address.to_string().parse::<Address>().unwrap(), address);
    }

    #[test]
    fn display_is_0x_and_40_lowercase_hex_digits_that_parse_back() {
        check([0; 20]);
        check([0xff; 20]);
        check(std::array::from_fn(|i| (i as u8).wrapping_mul(37)));
    }
}
