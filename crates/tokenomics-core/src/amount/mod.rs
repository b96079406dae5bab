//! `Amount`: a number of base units (1 MDT = 10^18), checked, never a float.
//!
//! Text and serde use MDT with up to 18 decimals ("1000", "0.000000000000000001");
//! whole MDT may also be given as an integer. Arithmetic is checked so a unit can
//! neither appear nor vanish silently.
//!
//! This file holds the type and the operations that cannot fail, so the crate's error
//! can name amounts; `checked.rs` holds what can fail, `text.rs` decimal text and serde.

mod checked;
mod text;

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

    /// The number of base units.
    pub const fn base_units(self) -> u128 {
        self.0
    }

    /// Whether this is zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `self - other`, or zero when `other > self`.
    pub fn saturating_sub(self, other: Amount) -> Amount {
        Amount(self.0.saturating_sub(other.0))
    }

    /// `floor(self / 2^halvings)`: the halving schedule (zero after 128 halvings).
    pub fn halved(self, halvings: u64) -> Amount {
        u32::try_from(halvings)
            .ok()
            .and_then(|shift| self.0.checked_shr(shift))
            .map_or(Amount::ZERO, Amount)
    }
}
