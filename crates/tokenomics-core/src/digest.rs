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
use crate::fraction::Fraction;
use crate::inputs::EpochInputs;
use crate::params::Params;
use crate::recipients::Recipient;

/// A SHA-256 digest, printed as 64 lowercase hex digits.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hash256([u8; 32]);

impl Hash256 {
    /// The digest of these 32 bytes.
    pub const fn from_bytes(bytes: [u8; 32]) -> Hash256 {
        Hash256(bytes)
    }

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

/// Bytes gathered before they go to SHA-256: 64 blocks, so most values are a plain copy
/// and SHA-256 gets long runs of whole blocks instead of one call per field.
const BUFFER: usize = 64 * 64;

/// Feeds values into SHA-256 in the canonical layout (buffered; the bytes hashed are
/// exactly the values' encodings in the order they are given).
pub(crate) struct CanonicalHasher {
    sha: Sha256,
    buffer: [u8; BUFFER],
    len: usize,
}

impl fmt::Debug for CanonicalHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CanonicalHasher")
    }
}

impl CanonicalHasher {
    /// A hasher for one kind of record, told apart by `domain`.
    pub(crate) fn new(domain: &str) -> Self {
        let mut hasher = CanonicalHasher {
            sha: Sha256::new(),
            buffer: [0; BUFFER],
            len: 0,
        };
        hasher.bytes(domain.as_bytes());
        hasher
    }

    /// Appends a value's bytes to the encoding; the size is known when compiling, so
    /// this is a plain copy but once in 4 KiB.
    #[inline(always)]
    fn put<const N: usize>(&mut self, bytes: &[u8; N]) {
        let end = self.len + N;
        if end < BUFFER {
            self.buffer[self.len..end].copy_from_slice(bytes);
            self.len = end;
        } else {
            self.put_slice(bytes);
        }
    }

    /// Appends bytes of any length: hashes the buffer each time it fills up.
    fn put_slice(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let (head, tail) = bytes.split_at((BUFFER - self.len).min(bytes.len()));
            self.buffer[self.len..self.len + head.len()].copy_from_slice(head);
            self.len += head.len();
            if self.len == BUFFER {
                self.sha.update(&self.buffer[..]);
                self.len = 0;
            }
            bytes = tail;
        }
    }

    /// A length-prefixed byte string.
    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        self.u64(bytes.len() as u64);
        self.put_slice(bytes);
    }

    pub(crate) fn u64(&mut self, value: u64) {
        self.put(&value.to_be_bytes());
    }

    pub(crate) fn u128(&mut self, value: u128) {
        self.put(&value.to_be_bytes());
    }

    pub(crate) fn amount(&mut self, amount: Amount) {
        self.u128(amount.base_units());
    }

    pub(crate) fn address(&mut self, address: &Address) {
        self.put(address.as_bytes());
    }

    /// A recipient of the inputs digest: address, weight, lock days (40 bytes).
    #[inline(always)]
    pub(crate) fn recipient(&mut self, address: &Address, weight: u128, lock_days: u32) {
        // Written in place: a record built on the stack and copied would be read back
        // before its stores retire (a store-forwarding stall per record).
        let Some(record) = self.buffer.get_mut(self.len..self.len + 40) else {
            self.put(address.as_bytes());
            self.u128(weight);
            self.put(&lock_days.to_be_bytes());
            return;
        };
        record[..20].copy_from_slice(address.as_bytes());
        record[20..36].copy_from_slice(&weight.to_be_bytes());
        record[36..].copy_from_slice(&lock_days.to_be_bytes());
        self.len += 40;
    }

    /// A transfer of the plan hash: category index, address, amount (37 bytes).
    #[inline(always)]
    pub(crate) fn transfer(&mut self, category: u8, to: &Address, amount: Amount) {
        let Some(record) = self.buffer.get_mut(self.len..self.len + 37) else {
            self.put(&[category]);
            self.put(to.as_bytes());
            self.amount(amount);
            return;
        };
        record[0] = category;
        record[1..21].copy_from_slice(to.as_bytes());
        record[21..].copy_from_slice(&amount.base_units().to_be_bytes());
        self.len += 37;
    }

    pub(crate) fn finish(mut self) -> Hash256 {
        self.sha.update(&self.buffer[..self.len]);
        Hash256(self.sha.finalize().into())
    }
}

/// SHA-256 of the parameters and the inputs (recipients in address order), and of the
/// chain's mint room when it lowered the mint (appended, so without it the digest is
/// the one of plans built before rooms existed).
pub(crate) fn inputs_digest(
    params: &Params,
    inputs: &EpochInputs,
    utility: Fraction,
    recipients: &[Vec<Recipient>; 7],
    mint_room: Option<Amount>,
) -> Hash256 {
    let mut h = CanonicalHasher::new("moderntensor/epoch-inputs/v1");
    let e = &params.emission;
    for amount in [e.max_supply, e.base_reward, e.min_emission] {
        h.amount(amount);
    }
    h.u64(e.halving_interval);
    h.u64(e.max_expected_tasks);
    for weight in e.utility_weights {
        h.u128(weight.parts());
    }
    h.u128(e.quality_threshold.parts());
    h.u128(e.quality_steepness.parts());
    for share in params.distribution.shares() {
        h.u64(u64::from(share));
    }
    h.u64(params.distribution.lock_bonus.len() as u64);
    for &(days, bps) in &params.distribution.lock_bonus {
        h.u64(u64::from(days));
        h.u64(u64::from(bps));
    }
    let b = &params.burn;
    for rate in [b.transaction_fees, b.slashing, b.registration, b.task_fees] {
        h.u128(rate.parts());
    }
    h.u64(inputs.epoch);
    h.amount(inputs.minted_supply);
    h.amount(inputs.recycling_pool);
    match &inputs.network {
        Some(n) => {
            h.u64(1);
            h.u64(n.task_volume);
            h.u128(n.avg_task_difficulty.parts());
            h.u128(n.validator_participation.parts());
        }
        None => h.u64(0),
    }
    h.u128(utility.parts());
    h.u128(inputs.quality_score.parts());
    let f = &inputs.fees;
    for fee in [f.transaction_fees, f.slashing, f.registration, f.task_fees] {
        h.amount(fee);
    }
    for group in recipients {
        h.u64(group.len() as u64);
        for r in group {
            h.recipient(&r.address, r.weight(), r.lock_days);
        }
    }
    h.address(&inputs.community_address);
    h.address(&inputs.dao_address);
    if let Some(room) = mint_room {
        h.u64(1);
        h.amount(room);
    }
    h.finish()
}
