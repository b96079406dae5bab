//! Idempotency keys: `mint:<epoch>` for an epoch's mint, `transfer:<epoch>:<index>` for
//! transfer `index` of an epoch's plan (epoch a `u64`, index a `u32`, both in decimal).
//!
//! The node answers a replayed key with its first result, so a resend after a lost answer
//! pays nothing twice; the same key with other params is refused (-32003). A key names the
//! epoch and position only: a changed plan for a started epoch hits that refusal.

use std::fmt;
use std::str::FromStr;

use crate::ProtocolError;

/// Longest idempotency key the node accepts, in bytes.
pub const MAX_KEY_LEN: usize = 256;

/// The key of an epoch's mint: `mint:<epoch>`.
pub fn mint_key(epoch: u64) -> String {
    IdempotencyKey::Mint { epoch }.to_string()
}

/// The key of transfer `index` of an epoch: `transfer:<epoch>:<index>`.
pub fn transfer_key(epoch: u64, index: u32) -> String {
    IdempotencyKey::Transfer { epoch, index }.to_string()
}

/// An idempotency key of this tool, typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdempotencyKey {
    /// `mint:<epoch>`.
    Mint {
        /// The epoch.
        epoch: u64,
    },
    /// `transfer:<epoch>:<index>`.
    Transfer {
        /// The epoch.
        epoch: u64,
        /// The transfer's index in the epoch's plan.
        index: u32,
    },
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Mint { epoch } => write!(f, "mint:{epoch}"),
            Self::Transfer { epoch, index } => write!(f, "transfer:{epoch}:{index}"),
        }
    }
}

impl FromStr for IdempotencyKey {
    type Err = ProtocolError;

    /// Reads a key as [`fmt::Display`] writes it, and only so (no sign, no leading zero).
    fn from_str(text: &str) -> Result<Self, ProtocolError> {
        let parsed = match text.split(':').collect::<Vec<_>>()[..] {
            ["mint", epoch] => number(epoch).map(|epoch| Self::Mint { epoch }),
            ["transfer", epoch, index] => number(epoch)
                .zip(number(index))
                .map(|(epoch, index)| Self::Transfer { epoch, index }),
            _ => None,
        };
        parsed.ok_or_else(|| ProtocolError::NotAKey { text: text.into() })
    }
}

/// A canonical decimal number: digits only, no leading zero unless it is `0`.
fn number<T: FromStr>(text: &str) -> Option<T> {
    let canonical = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    canonical.then(|| text.parse().ok()).flatten()
}
