//! Canonical encodings and their SHA-256: the inputs digest and the plan hash.
//!
//! The encoding is a fixed binary layout (domain tag, then big-endian integers and raw
//! address bytes in a fixed order), so it cannot depend on serde formats, map order or
//! the order recipients were given in; the same plan always hashes the same.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest as _, Sha256};

use crate::address::Address;
use crate::amount::Amount;
use crate::error::CoreError;

/// A SHA-256 digest, printed as 64 lowercase hex digits.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hash256([u8; 32]);

impl Hash256 {
    /// The 32 bytes.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for Hash256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Hash256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for Hash256 {
    type Err = CoreError;

    fn from_str(text: &str) -> Result<Hash256, CoreError> {
        let invalid = || CoreError::InvalidInput {
            field: "hash",
            reason: format!("{text:?} is not 64 hex digits"),
        };
        if text.len() != 64 || !text.is_ascii() {
            return Err(invalid());
        }
        let mut bytes = [0u8; 32];
        for (byte, pair) in bytes.iter_mut().zip(text.as_bytes().chunks_exact(2)) {
            let pair = std::str::from_utf8(pair).map_err(|_| invalid())?;
            *byte = u8::from_str_radix(pair, 16).map_err(|_| invalid())?;
        }
        Ok(Hash256(bytes))
    }
}

impl Serialize for Hash256 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hash256 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Hash256, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Feeds values into SHA-256 in the canonical layout.
pub(crate) struct CanonicalHasher(Sha256);

impl fmt::Debug for CanonicalHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CanonicalHasher")
    }
}

impl CanonicalHasher {
    /// A hasher for one kind of record, told apart by `domain`.
    pub(crate) fn new(domain: &str) -> Self {
        let mut hasher = CanonicalHasher(Sha256::new());
        hasher.bytes(domain.as_bytes());
        hasher
    }

    /// A length-prefixed byte string.
    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        self.u64(bytes.len() as u64);
        self.0.update(bytes);
    }

    pub(crate) fn u8(&mut self, value: u8) {
        self.0.update([value]);
    }

    pub(crate) fn u32(&mut self, value: u32) {
        self.0.update(value.to_be_bytes());
    }

    pub(crate) fn u64(&mut self, value: u64) {
        self.0.update(value.to_be_bytes());
    }

    pub(crate) fn u128(&mut self, value: u128) {
        self.0.update(value.to_be_bytes());
    }

    pub(crate) fn amount(&mut self, amount: Amount) {
        self.u128(amount.base_units());
    }

    pub(crate) fn address(&mut self, address: &Address) {
        self.0.update(address.as_bytes());
    }

    pub(crate) fn finish(self) -> Hash256 {
        Hash256(self.0.finalize().into())
    }
}
