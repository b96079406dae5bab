//! Wire encodings: hex quantities, addresses and MDT decimals as the devnet writes them,
//! and the excerpt that stands for a client's value in error messages.

use luxtensor_devnet::codec::{
    excerpt, format_mdt, format_quantity, parse_address, parse_quantity,
};
use proptest::prelude::*;

#[test]
fn quantities_need_the_0x_prefix_and_hex_digits() {
    assert_eq!(parse_quantity("amount", "0x3e8").ok(), Some(1000));
    assert_eq!(parse_quantity("amount", "0X0").ok(), Some(0));
    for bad in ["3e8", "0x", "0xg", "0x-1"] {
        assert!(parse_quantity("amount", bad).is_err(), "{bad}");
    }
}

#[test]
fn addresses_are_lowercased_and_need_40_hex_digits() {
    let upper = format!("0x{}", "AB".repeat(20));
    assert_eq!(
        parse_address("to", &upper).ok(),
        Some(format!("0x{}", "ab".repeat(20)))
    );
    assert!(parse_address("to", "0x1234").is_err());
    assert!(parse_address("to", &"a".repeat(42)).is_err());
}

#[test]
fn excerpts_keep_short_values_and_cut_long_ones_naming_their_length() {
    let cases = [
        ("0x12".to_owned(), "\"0x12\"".to_owned()),
        ("a".repeat(64), format!("\"{}\"", "a".repeat(64))),
        (
            "a".repeat(65),
            format!("\"{}… (65 characters)\"", "a".repeat(32)),
        ),
        // Cut on a character boundary, length in characters.
        (
            "é".repeat(70),
            format!("\"{}… (70 characters)\"", "é".repeat(32)),
        ),
        ("\u{7}".to_owned(), "\"\\u{7}\"".to_owned()),
    ];
    for (value, expected) in cases {
        assert_eq!(excerpt(&value), expected);
    }
}

#[test]
fn mdt_amounts_format_without_trailing_zeros() {
    assert_eq!(format_mdt(0), "0");
    assert_eq!(format_mdt(1), "0.000000000000000001");
    assert_eq!(format_mdt(15 * 10u128.pow(17)), "1.5");
    assert_eq!(format_mdt(21_000_000 * 10u128.pow(18)), "21000000");
}

proptest! {
    #[test]
    fn quantities_round_trip(value in any::<u128>()) {
        prop_assert_eq!(parse_quantity("amount", &format_quantity(value)).ok(), Some(value));
    }
}
