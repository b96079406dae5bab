//! A transfer's JSON-RPC params written as JSON text directly, once per transfer on the
//! wire: hex needs no escaping, so only a key that would is written by serde_json.

use std::fmt::Write;

use luxtensor_protocol::format_quantity;
use serde_json::value::RawValue;
use tokenomics_core::{Address, Amount};

/// The params of `luxtensor_transfer` (`[from, to, amount, key]`) as JSON text.
pub(crate) fn transfer_params(
    from: &str,
    to: &Address,
    amount: Amount,
    key: &str,
) -> serde_json::Result<Box<RawValue>> {
    let mut text = String::with_capacity(from.len() + key.len() + 100);
    text.push_str("[\"");
    text.push_str(from);
    // proof: writing to a `String` never fails.
    let _ = write!(text, "\",\"{to}\",\"");
    text.push_str(&format_quantity(amount.base_units()));
    text.push_str("\",");
    if key
        .bytes()
        .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
    {
        text.push('"');
        text.push_str(key);
        text.push('"');
    } else {
        text.push_str(&serde_json::to_string(key)?);
    }
    text.push(']');
    RawValue::from_string(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(bytes: [u8; 20], amount: u128, key: &str) {
        let to = Address::from_bytes(bytes);
        let from = Address::from_bytes([7; 20]).to_string();
        let expected = serde_json::json!([from, to.to_string(), format_quantity(amount), key]);
        let written =
            transfer_params(&from, &to, Amount::from_base_units(amount), key).expect("valid JSON");
        let read: serde_json::Value = serde_json::from_str(written.get()).expect("JSON");
        assert_eq!(read, expected);
    }

    #[test]
    fn transfer_params_are_the_json_serde_json_writes() {
        check([0; 20], 0, "transfer:0:0");
        check(
            [0xff; 20],
            u128::MAX,
            "transfer:18446744073709551615:4294967295",
        );
        check(
            std::array::from_fn(|i| (i as u8).wrapping_mul(37)),
            1000,
            "k",
        );
        check(
            *b"treasury\0\0\0\0\0\0\0\0\0\0\0\0",
            1 << 64,
            "a \"quoted\" key\\",
        );
        check([1; 20], 15, "é");
    }
}
