//! `Amount` as text and serde: MDT with up to 18 decimals, or a whole number of MDT.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Amount;
use crate::decimal::{format_scaled, parse_scaled};
use crate::error::{CoreError, Result};

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
