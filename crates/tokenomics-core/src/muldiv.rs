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
        return Some((product / c, product % c));
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
