//! The truncation rule at the crate boundary: what is echoed whole, what is cut and how.

use value_echo::{bounded, shorten, PREFIX, WHOLE};

#[track_caller]
fn check(value: &str, expected: &str) {
    assert_eq!(shorten(value), expected);
}

#[test]
fn a_value_of_at_most_64_characters_is_echoed_whole() {
    check("", "");
    check(
        "0x00000000000000000000000000000000000000a1",
        "0x00000000000000000000000000000000000000a1",
    );
    let edge = "7".repeat(WHOLE);
    check(&edge, &edge);
}

#[test]
fn a_longer_value_keeps_32_characters_then_its_length_in_characters() {
    check(
        &"7".repeat(WHOLE + 1),
        &format!("{}… (65 characters)", "7".repeat(PREFIX)),
    );
    // Characters, not bytes: a multi-byte value is never cut inside a character.
    check(
        &"é".repeat(100),
        &format!("{}… (100 characters)", "é".repeat(PREFIX)),
    );
}

#[test]
fn a_message_is_bounded_at_the_length_asked_for() {
    assert_eq!(bounded("abc", 3), "abc");
    assert_eq!(bounded("abcd", 3), "abc… (4 characters)");
}
