//! Exact fixed-point numbers with 18 decimals: `Fraction` in [0, 1] and unbounded `Ratio`.
//!
//! Scores, utility, quality and burn rates are `Fraction`s read from decimal text, so
//! "0.1" is exactly 1/10; the quality multiplier (up to 1.4) and the sigmoid
//! steepness are `Ratio`s. Both print as the shortest exact decimal.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::decimal::{format_scaled, parse_scaled, SCALE};
use crate::error::{CoreError, Result};

/// A value in `[0, 1]` with 18 exact decimals (parts per 10^18).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fraction(u128);

impl Fraction {
    /// Zero.
    pub const ZERO: Fraction = Fraction(0);
    /// One half, exactly.
    pub const HALF: Fraction = Fraction(SCALE / 2);
    /// One.
    pub const ONE: Fraction = Fraction(SCALE);

    /// The fraction `parts / 10^18`; `None` above one.
    pub const fn from_parts(parts: u128) -> Option<Fraction> {
        if parts <= SCALE {
            Some(Fraction(parts))
        } else {
            None
        }
    }

    /// `numerator / denominator` rounded down to 18 decimals; `None` if above one or
    /// `denominator` is zero.
    pub fn from_ratio(numerator: u128, denominator: u128) -> Option<Fraction> {
        crate::muldiv::mul_div(numerator, SCALE, denominator).and_then(Fraction::from_parts)
    }

    /// Parts per 10^18.
    pub const fn parts(self) -> u128 {
        self.0
    }

    /// `1 - self`.
    pub const fn complement(self) -> Fraction {
        Fraction(SCALE - self.0)
    }

    /// `floor(self * other)` to 18 decimals (stays in [0, 1]).
    pub fn mul_floor(self, other: Fraction) -> Fraction {
        // proof: both are <= SCALE, so the product fits in u128 and the result <= SCALE.
        Fraction(self.0 * other.0 / SCALE)
    }

    /// `self + other`, if the sum is still at most one.
    pub fn checked_add(self, other: Fraction) -> Option<Fraction> {
        Fraction::from_parts(self.0 + other.0)
    }

    /// `self - other`, or zero when `other > self`.
    pub fn saturating_sub(self, other: Fraction) -> Fraction {
        Fraction(self.0.saturating_sub(other.0))
    }
}

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_scaled(self.0))
    }
}

impl FromStr for Fraction {
    type Err = CoreError;

    /// Reads a decimal in [0, 1] with up to 18 decimals ("0.67", "1", "0.5").
    fn from_str(text: &str) -> Result<Fraction> {
        let parts = parse_scaled(text)?;
        Fraction::from_parts(parts).ok_or_else(|| CoreError::FractionOutOfRange {
            text: text.to_string(),
        })
    }
}

/// A non-negative value with 18 exact decimals and no upper bound (e.g. 1.4, 10).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ratio(u128);

impl Ratio {
    /// One, exactly.
    pub const ONE: Ratio = Ratio(SCALE);

    /// The ratio `parts / 10^18`.
    pub const fn from_parts(parts: u128) -> Ratio {
        Ratio(parts)
    }

    /// Parts per 10^18.
    pub const fn parts(self) -> u128 {
        self.0
    }
}

impl From<Fraction> for Ratio {
    fn from(fraction: Fraction) -> Ratio {
        Ratio(fraction.0)
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_scaled(self.0))
    }
}

impl FromStr for Ratio {
    type Err = CoreError;

    /// Reads a non-negative decimal with up to 18 decimals ("10", "1.4").
    fn from_str(text: &str) -> Result<Ratio> {
        parse_scaled(text).map(Ratio)
    }
}

macro_rules! decimal_serde {
    ($type:ident, $expecting:literal) => {
        impl Serialize for $type {
            fn serialize<S: Serializer>(
                &self,
                serializer: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $type {
            fn deserialize<D: Deserializer<'de>>(
                deserializer: D,
            ) -> std::result::Result<$type, D::Error> {
                struct DecimalVisitor;

                impl serde::de::Visitor<'_> for DecimalVisitor {
                    type Value = $type;

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }

                    fn visit_str<E: serde::de::Error>(
                        self,
                        text: &str,
                    ) -> std::result::Result<$type, E> {
                        text.parse().map_err(E::custom)
                    }

                    fn visit_u64<E: serde::de::Error>(
                        self,
                        whole: u64,
                    ) -> std::result::Result<$type, E> {
                        whole.to_string().parse().map_err(E::custom)
                    }

                    fn visit_i64<E: serde::de::Error>(
                        self,
                        whole: i64,
                    ) -> std::result::Result<$type, E> {
                        whole.to_string().parse().map_err(E::custom)
                    }
                }

                deserializer.deserialize_any(DecimalVisitor)
            }
        }
    };
}

decimal_serde!(Fraction, "a decimal string in [0, 1] (\"0.67\") or 0 or 1");
decimal_serde!(
    Ratio,
    "a non-negative decimal string (\"1.4\") or an integer"
);
