//! Hex quantity rules: shortest lowercase out; either case in; no sign, no empty digits, no
//! overflow.

use luxtensor_protocol::{format_quantity, parse_quantity, ProtocolError};
use proptest::prelude::*;

#[track_caller]
fn check(text: &str, expected: Result<u128, ProtocolError>) {
    assert_eq!(parse_quantity(text), expected, "{text:?}");
}

#[test]
fn quantities_are_written_as_the_shortest_lowercase_hex() {
    let written: Vec<String> = [0, 1, 1000, u128::MAX]
        .into_iter()
        .map(format_quantity)
        .collect();
    assert_eq!(
        written,
        ["0x0", "0x1", "0x3e8", "0xffffffffffffffffffffffffffffffff"]
    );
}

#[test]
fn quantities_are_read_in_either_case_with_leading_zeros() {
    check("0x3e8", Ok(1000));
    check("0X3E8", Ok(1000));
    check("0x0", Ok(0));
    check("0x0003e8", Ok(1000));
    check(&format!("0x{}", "f".repeat(32)), Ok(u128::MAX));
}

#[test]
fn a_text_that_is_not_a_hex_quantity_is_refused_naming_why() {
    let no_prefix = |t: &str| ProtocolError::NoHexPrefix { text: t.into() };
    let not_hex = |t: &str| ProtocolError::NotHex { text: t.into() };
    check("3e8", Err(no_prefix("3e8")));
    check("", Err(no_prefix("")));
    check("0x", Err(not_hex("0x")));
    check("0x+1", Err(not_hex("0x+1")));
    check("0x 1", Err(not_hex("0x 1")));
    check("0x1g", Err(not_hex("0x1g")));
    let too_large = format!("0x1{}", "0".repeat(32));
    check(
        &too_large,
        Err(ProtocolError::QuantityTooLarge {
            text: too_large.clone(),
        }),
    );
}

proptest! {
    #[test]
    fn every_quantity_reads_back_as_written(value: u128) {
        prop_assert_eq!(parse_quantity(&format_quantity(value)), Ok(value));
    }
}
