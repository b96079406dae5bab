//! `Amount`'s arithmetic that can fail: checked sums, differences and `a * b / c`.

use super::Amount;
use crate::decimal::SCALE;
use crate::error::{CoreError, Result};
use crate::muldiv::mul_div_rem;

impl Amount {
    /// `mdt` whole MDT; `None` if it overflows `u128` base units.
    pub const fn from_mdt(mdt: u128) -> Option<Amount> {
        match mdt.checked_mul(SCALE) {
            Some(units) => Some(Amount(units)),
            None => None,
        }
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
