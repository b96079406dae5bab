//! `Amount`: a number of base units (1 MDT = 10^18), checked, never a float.
//!
//! Text and serde use MDT with up to 18 decimals ("1000", "0.000000000000000001");
//! whole MDT may also be given as an integer. Arithmetic is checked so a unit can
//! neither appear nor vanish silently.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::decimal::{format_scaled, parse_scaled, SCALE};
use crate::error::{CoreError, Result};
use crate::muldiv::mul_div_rem;

/// A non-negative number of base units (10^-18 MDT).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(u128);

impl Amount {
    /// No units.
    pub const ZERO: Amount = Amount(0);
    /// The largest representable amount.
    pub const MAX: Amount = Amount(u128::MAX);

    /// An amount of `units` base units.
    pub const fn from_base_units(units: u128) -> Amount {
        Amount(units)
    }

    /// `mdt` whole MDT; `None` if it overflows `u128` base units.
    pub const fn from_mdt(mdt: u128) -> Option<Amount> {
        match mdt.checked_mul(SCALE) {
            Some(units) => Some(Amount(units)),
            None => None,
        }
    }

    /// The number of base units.
    pub const fn base_units(self) -> u128 {
        self.0
    }

    /// Whether this is zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `self + other`, or `Overflow` naming `what`.
    pub fn checked_add(self, other: Amount, what: &'static str) -> Result<Amount> {
        self.0
            .checked_add(other.0)
            .map(Amount)
            .ok_or(CoreError::Overflow { what })
    }

    /// `self - other`, or `Overflow` naming `what` when `other > self`.
    pub fn checked_sub(self, other: Amount, what: &'static str) -> Result<Amount> {
        self.0
            .checked_sub(other.0)
            .map(Amount)
            .ok_or(CoreError::Overflow { what })
    }

    /// `self - other`, or zero when `other > self`.
    pub fn saturating_sub(self, other: Amount) -> Amount {
        Amount(self.0.saturating_sub(other.0))
    }

    /// `floor(self * numerator / denominator)` and the remainder, exactly.
    pub fn mul_div_rem(
        self,
        numerator: u128,
        denominator: u128,
        what: &'static str,
    ) -> Result<(Amount, u128)> {
        mul_div_rem(self.0, numerator, denominator)
            .map(|(quotient, remainder)| (Amount(quotient), remainder))
            .ok_or(CoreError::Overflow { what })
    }

    /// `floor(self * numerator / denominator)`, exactly.
    pub fn mul_div(self, numerator: u128, denominator: u128, what: &'static str) -> Result<Amount> {
        self.mul_div_rem(numerator, denominator, what)
            .map(|(quotient, _)| quotient)
    }

    /// `floor(self / 2^halvings)`: the halving schedule (zero after 128 halvings).
    pub fn halved(self, halvings: u64) -> Amount {
        u32::try_from(halvings)
            .ok()
            .and_then(|shift| self.0.checked_shr(shift))
            .map_or(Amount::ZERO, Amount)
    }

    /// The sum of `amounts`, or `Overflow` naming `what`.
    pub fn checked_sum(
        amounts: impl IntoIterator<Item = Amount>,
        what: &'static str,
    ) -> Result<Amount> {
        amounts
            .into_iter()
            .try_fold(Amount::ZERO, |sum, amount| sum.checked_add(amount, what))
    }
}

impl fmt::Display for Amount {
    /// MDT as the shortest exact decimal: `1000`, `0.5`, `0.000000000000000001`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_scaled(self.0))
    }
}

impl FromStr for Amount {
    type Err = CoreError;

    /// Reads MDT with up to 18 decimals ("1000", "0.5"); no sign, no exponent.
    fn from_str(text: &str) -> Result<Amount> {
        parse_scaled(text).map(Amount)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Amount, D::Error> {
        deserializer.deserialize_any(AmountVisitor)
    }
}

struct AmountVisitor;

impl serde::de::Visitor<'_> for AmountVisitor {
    type Value = Amount;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an MDT amount as a decimal string (\"1000\", \"0.5\") or a whole number")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> std::result::Result<Amount, E> {
        text.parse().map_err(E::custom)
    }

    fn visit_u64<E: serde::de::Error>(self, mdt: u64) -> std::result::Result<Amount, E> {
        Amount::from_mdt(u128::from(mdt)).ok_or_else(|| E::custom("amount too large"))
    }

    fn visit_i64<E: serde::de::Error>(self, mdt: i64) -> std::result::Result<Amount, E> {
        let mdt = u64::try_from(mdt).map_err(|_| E::custom("negative amounts are not allowed"))?;
        self.visit_u64(mdt)
    }
}
