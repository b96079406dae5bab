//! Bearer tokens: generating one, checking that a chosen one can authenticate,
//! comparing in constant time, and the marker that tells RPC methods whether
//! their HTTP request carried the right token.
//!
//! The HTTP layer (`http::BearerAuthLayer`) checks the header once per
//! request; methods only read the [`Authorization`] extension it leaves behind.

use rand::RngExt;

use crate::error::DevnetError;

/// Whether the HTTP request carried `Authorization: Bearer <the node's token>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authorization {
    /// The token matched.
    Granted,
    /// No token, or the wrong one.
    Denied,
}

/// A fresh random token: 32 bytes from the OS-seeded thread RNG, as 64 hex digits.
pub fn generate_token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    hex::encode(bytes)
}

/// Compares two byte strings in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks that a token can authenticate at all: 1 or more visible ASCII characters
/// (`!` to `~`), so no whitespace, control or non-ASCII character, which a client
/// could not send back intact in an `Authorization` header. The error never shows
/// the token.
pub fn check_token(token: &str) -> Result<(), DevnetError> {
    let reason = if token.is_empty() {
        "must not be empty"
    } else if token.bytes().any(|b| b.is_ascii_whitespace()) {
        "must not contain whitespace"
    } else if token.bytes().any(|b| b.is_ascii_control()) {
        "must not contain control characters"
    } else if !token.bytes().all(|b| b.is_ascii_graphic()) {
        "must be visible ASCII characters only"
    } else {
        return Ok(());
    };
    Err(DevnetError::InvalidToken { reason })
}

/// Checks an `Authorization` header value against the expected token.
///
/// The scheme is matched in any case ("Bearer", "bearer", "BEARER", RFC 7235) and
/// must be followed by at least one space; the token itself is compared exactly,
/// in constant time.
pub fn check_bearer(header: Option<&[u8]>, token: &str) -> Authorization {
    let presented = header.and_then(|value| {
        let (scheme, rest) = value.split_at_checked(SCHEME.len())?;
        let rest = rest.strip_prefix(b" ")?;
        scheme.eq_ignore_ascii_case(SCHEME).then_some(rest)
    });
    match presented {
        Some(presented) if constant_time_eq(presented.trim_ascii(), token.as_bytes()) => {
            Authorization::Granted
        }
        _ => Authorization::Denied,
    }
}

/// The auth scheme of RFC 6750, compared without regard to case.
const SCHEME: &[u8] = b"Bearer";
