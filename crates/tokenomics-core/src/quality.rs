//! The quality multiplier `Q = 0.6 + 0.8 * sigmoid(k * (quality - 0.5))`, in fixed point.
//!
//! The sigmoid is built from a Taylor series of `exp` whose terms are each rounded
//! down, so it is deterministic on every platform, monotone in `quality` (every step
//! is a floor of non-decreasing values), within 1e-9 of the real function, and
//! `Q(0.5) = 1` exactly (`exp(0) = 1`, so the sigmoid is exactly one half).

use crate::decimal::SCALE;
use crate::fraction::{Fraction, Ratio};
use crate::muldiv::mul_div;

/// Past this argument `exp` is so large that the sigmoid is 0 or 1 to 18 decimals.
const EXP_ARGUMENT_LIMIT: u128 = 44 * SCALE;
/// `Q`'s floor, 0.6.
const Q_FLOOR: u128 = 6 * SCALE / 10;

/// `Q = 0.6 + 0.8 * sigmoid(steepness * (quality - 0.5))`; `Q(0.5) = 1` exactly.
pub fn quality_multiplier(quality: Fraction, steepness: Ratio) -> Ratio {
    let sigmoid = sigmoid(quality, steepness);
    // proof: sigmoid <= SCALE, so 8 * sigmoid fits and Q <= 1.4 * SCALE.
    Ratio::from_parts(Q_FLOOR + sigmoid * 8 / 10)
}

/// `sigmoid(steepness * (quality - 0.5))` in parts per 10^18, in `[0, 10^18]`.
fn sigmoid(quality: Fraction, steepness: Ratio) -> u128 {
    let above = quality >= Fraction::HALF;
    let distance = if above {
        quality.parts() - Fraction::HALF.parts()
    } else {
        Fraction::HALF.parts() - quality.parts()
    };
    // y = k * |q - 0.5|; a product too large for u128 is far past the limit anyway.
    let y = mul_div(steepness.parts(), distance, SCALE).unwrap_or(u128::MAX);
    if y > EXP_ARGUMENT_LIMIT {
        return if above { SCALE } else { 0 };
    }
    let e = exp_scaled(y);
    // sigmoid(y) = e / (e + 1) and sigmoid(-y) = 1 / (e + 1), with e = exp(y) >= 1.
    // proof: e <= exp(44) * SCALE < 2^125, so e + SCALE cannot overflow and the
    // quotients are at most SCALE.
    let numerator = if above { e } else { SCALE };
    mul_div(SCALE, numerator, e + SCALE).unwrap_or(0)
}

/// `exp(y)` scaled by 10^18 for `0 <= y <= 44` (y in parts per 10^18), rounding down.
fn exp_scaled(y: u128) -> u128 {
    let mut term = SCALE;
    let mut sum = SCALE;
    let mut n: u128 = 1;
    while term > 0 {
        // term_n = floor(term_{n-1} * y / (n * SCALE)): non-decreasing in y.
        term = mul_div(term, y, n * SCALE).unwrap_or(0);
        sum += term;
        n += 1;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_of_zero_is_exactly_one() {
        assert_eq!(exp_scaled(0), SCALE);
    }

    #[test]
    fn exp_of_limit_fits_and_is_close() {
        let e = exp_scaled(EXP_ARGUMENT_LIMIT) as f64 / SCALE as f64;
        assert!((e / 44f64.exp() - 1.0).abs() < 1e-12, "{e}");
    }
}
