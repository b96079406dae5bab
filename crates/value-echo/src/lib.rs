//! How much of a value an error message echoes: one truncation rule for every crate that
//! quotes what it was given (the devnet's answers, the integration crate's malformed
//! answers, the inputs and config errors), so a 50,000-digit number or a huge string
//! cannot flood a terminal or a log.
//!
//! A value of up to [`WHOLE`] characters (an address has 42) is echoed whole; a longer one
//! keeps its first [`PREFIX`] characters, then `…` and its length in characters. Hiding
//! secrets is the caller's business: this crate only cuts.
//!
//! ```
//! use value_echo::{bounded, shorten};
//!
//! assert_eq!(shorten("0x3e8"), "0x3e8");
//! assert_eq!(shorten(&"1".repeat(100)), format!("{}… (100 characters)", "1".repeat(32)));
//! assert_eq!(bounded("abcdef", 4), "abcd… (6 characters)");
//! ```
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

/// Values up to this many characters are echoed whole.
pub const WHOLE: usize = 64;
/// A longer value keeps this many characters, then `… (N characters)`.
pub const PREFIX: usize = 32;

/// `value` itself when it has at most [`WHOLE`] characters, else its first [`PREFIX`]
/// characters, `…` and its length: `1111…1111… (100 characters)`.
pub fn shorten(value: &str) -> String {
    cut(value, WHOLE, PREFIX)
}

/// `text` itself when it has at most `max` characters, else its first `max` characters,
/// `…` and its length: the same rule for a whole message of bounded length.
pub fn bounded(text: &str, max: usize) -> String {
    cut(text, max, max)
}

fn cut(text: &str, whole: usize, prefix: usize) -> String {
    // Count only as far as needed: a short value is not walked twice.
    if text.chars().nth(whole).is_none() {
        return text.to_string();
    }
    let count = text.chars().count();
    let kept: String = text.chars().take(prefix).collect();
    format!("{kept}… ({count} characters)")
}
