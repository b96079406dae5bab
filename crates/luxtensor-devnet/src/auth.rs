//! Bearer tokens: generating one, comparing in constant time, and the marker
//! that tells RPC methods whether their HTTP request carried the right token.
//!
//! The HTTP layer ([`crate::http::BearerAuthLayer`]) checks the header once per
//! request; methods only read the [`Authorization`] extension it leaves behind.

use rand::RngExt;

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

/// Checks an `Authorization` header value against the expected token.
pub fn check_bearer(header: Option<&[u8]>, token: &str) -> Authorization {
    let presented = header.and_then(|value| value.strip_prefix(b"Bearer ".as_slice()));
    match presented {
        Some(presented) if constant_time_eq(presented.trim_ascii(), token.as_bytes()) => {
            Authorization::Granted
        }
        _ => Authorization::Denied,
    }
}
