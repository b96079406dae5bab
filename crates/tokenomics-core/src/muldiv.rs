//! Exact `a * b / c` over `u128` through a 256-bit intermediate (as sp_arithmetic does).
//!
//! Every share in this crate is `floor(pool * weight / total_weight)`; doing the product
//! in 256 bits means no pair of valid `u128` values can overflow before the division.

use ethnum::U256;

/// `floor(a * b / c)` and the remainder `(a * b) mod c`, exactly.
///
/// `None` when `c == 0` or the quotient does not fit in `u128`.
pub fn mul_div_rem(a: u128, b: u128, c: u128) -> Option<(u128, u128)> {
    if c == 0 {
        return None;
    }
    // Fast path: the product fits in 128 bits (the common case for shares).
    if let Some(product) = a.checked_mul(b) {
        let quotient = product / c;
        // proof: quotient * c <= product, so neither the product nor the difference
        // overflows; one 128-bit division instead of a division and a modulo.
        return Some((quotient, product - quotient * c));
    }
    let product = U256::from(a) * U256::from(b);
    let divisor = U256::from(c);
    let quotient = product / divisor;
    let remainder = product % divisor;
    let quotient = u128::try_from(quotient).ok()?;
    // proof: remainder < c <= u128::MAX, so the conversion cannot fail.
    let remainder = u128::try_from(remainder).ok()?;
    Some((quotient, remainder))
}

/// `floor(a * b / c)`; `None` when `c == 0` or the result does not fit in `u128`.
pub fn mul_div(a: u128, b: u128, c: u128) -> Option<u128> {
    mul_div_rem(a, b, c).map(|(quotient, _)| quotient)
}

/// `floor(pool * weight / total)` and its remainder for many weights of one split (same
/// `pool` and `total`): a multiplication by a reciprocal computed once, corrected
/// exactly, instead of a 128-bit division per share.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ShareDivider {
    pool: u128,
    total: u128,
    /// `floor(pool * 2^shift / total)`.
    reciprocal: u128,
    /// The bit length of `total`, so every weight `<= total` is below `2^shift`.
    shift: u32,
}

impl ShareDivider {
    /// `None` when `total` is 0 or at least `2^127`, or when the reciprocal does not fit
    /// in `u128` (then [`mul_div_rem`] does each share).
    pub(crate) fn new(pool: u128, total: u128) -> Option<ShareDivider> {
        if total == 0 || total >= 1 << 127 {
            return None;
        }
        let shift = 128 - total.leading_zeros();
        let reciprocal = (U256::from(pool) << shift) / U256::from(total);
        Some(ShareDivider {
            pool,
            total,
            reciprocal: u128::try_from(reciprocal).ok()?,
            shift,
        })
    }

    /// `floor(pool * weight / total)` and `(pool * weight) mod total`, for `weight <= total`.
    pub(crate) fn div_rem(&self, weight: u128) -> (u128, u128) {
        // proof: with x = pool * 2^shift / total = reciprocal + f (0 <= f < 1), the
        // estimate floor(weight * reciprocal / 2^shift) = floor(pool * weight / total -
        // weight * f / 2^shift), and weight * f / 2^shift < 1 (weight <= total <
        // 2^shift): it is the quotient q or q - 1. So pool * weight - estimate * total is
        // in [0, 2 * total), below 2^128: wrapping arithmetic gives it exactly, and one
        // comparison corrects the estimate. The estimate is at most pool, so it fits.
        let estimate = ((U256::from(weight) * U256::from(self.reciprocal)) >> self.shift).as_u128();
        let remainder = self
            .pool
            .wrapping_mul(weight)
            .wrapping_sub(estimate.wrapping_mul(self.total));
        if remainder >= self.total {
            (estimate + 1, remainder - self.total)
        } else {
            (estimate, remainder)
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{mul_div_rem, ShareDivider};

    /// Totals and weights of every size, weights at most the total, pools of every size.
    fn split() -> impl Strategy<Value = (u128, u128, u128)> {
        (0u32..=127, any::<u128>(), any::<u128>(), 0u32..=128).prop_map(
            |(bits, total, weight, pool_bits)| {
                let total = (total >> (127 - bits)).max(1);
                let pool = pool_bits
                    .checked_sub(1)
                    .map_or(0, |b| weight.rotate_left(7) >> (127 - b));
                (pool, total, weight % (total + 1))
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn the_share_divider_gives_the_exact_quotient_and_remainder((pool, total, weight) in split()) {
            if let Some(divider) = ShareDivider::new(pool, total) {
                prop_assert_eq!(Some(divider.div_rem(weight)), mul_div_rem(pool, weight, total));
                prop_assert_eq!(Some(divider.div_rem(total)), mul_div_rem(pool, total, total));
                prop_assert_eq!(Some(divider.div_rem(0)), mul_div_rem(pool, 0, total));
            }
        }
    }
}
