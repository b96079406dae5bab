//! Hex text without `fmt`, for what the journal and the wire write once per transfer:
//! addresses, quantities, and a transfer's JSON-RPC params.

use serde_json::value::RawValue;
use tokenomics_core::{Address, Amount};

const DIGITS: &[u8; 16] = b"0123456789abcdef";

fn push_digit(text: &mut String, nibble: u8) {
    text.push(char::from(DIGITS[usize::from(nibble & 0x0f)]));
}

/// Appends `0x` and 40 lowercase hex digits, exactly what `Address`'s `Display` writes.
pub(crate) fn push_address(text: &mut String, address: &Address) {
    text.push_str("0x");
    for byte in address.as_bytes() {
        push_digit(text, byte >> 4);
        push_digit(text, *byte);
    }
}

/// `address` as `Display` writes it, without a formatter call per byte.
pub(crate) fn address_hex(address: &Address) -> String {
    let mut text = String::with_capacity(42);
    push_address(&mut text, address);
    text
}

/// Appends `value` as a hex quantity, exactly what `luxtensor_protocol::format_quantity`
/// writes (`0x` and the shortest lowercase digits, `0x0` for zero).
pub(crate) fn push_quantity(text: &mut String, value: u128) {
    text.push_str("0x");
    let digits = (128 - value.leading_zeros()).div_ceil(4).max(1);
    for nibble in (0..digits).rev() {
        // The shift keeps the nibble's 4 bits in the low byte; `push_digit` masks them.
        push_digit(text, (value >> (4 * nibble)) as u8);
    }
}

/// The params of `luxtensor_transfer` (`[from, to, amount, key]`) as JSON text, written
/// directly: hex needs no escaping, and a key that would is written by serde_json.
pub(crate) fn transfer_params(
    from: &str,
    to: &Address,
    amount: Amount,
    key: &str,
) -> serde_json::Result<Box<RawValue>> {
    let mut text = String::with_capacity(from.len() + key.len() + 100);
    text.push_str("[\"");
    text.push_str(from);
    text.push_str("\",\"");
    push_address(&mut text, to);
    text.push_str("\",\"");
    push_quantity(&mut text, amount.base_units());
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
    use luxtensor_protocol::format_quantity;

    use super::*;

    #[track_caller]
    fn check(bytes: [u8; 20], amount: u128, key: &str) {
        let to = Address::from_bytes(bytes);
        assert_eq!(address_hex(&to), to.to_string());
        let mut quantity = String::new();
        push_quantity(&mut quantity, amount);
        assert_eq!(quantity, format_quantity(amount));
        let from = address_hex(&Address::from_bytes([7; 20]));
        let expected = serde_json::json!([from, to.to_string(), format_quantity(amount), key]);
        let written =
            transfer_params(&from, &to, Amount::from_base_units(amount), key).expect("valid JSON");
        let read: serde_json::Value = serde_json::from_str(written.get()).expect("JSON");
        assert_eq!(read, expected);
    }

    #[test]
    fn hex_text_is_what_display_format_quantity_and_serde_json_write() {
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
