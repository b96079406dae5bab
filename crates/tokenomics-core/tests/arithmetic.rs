//! Exact arithmetic: 256-bit mul-div against big integers, decimal text, the sigmoid.

use num_bigint::BigUint;
use proptest::prelude::*;
use tokenomics_core::{
    mul_div_rem, quality_multiplier, Address, Amount, Fraction, Hash256, Ratio, SCALE,
};

/// Reads `text` as an amount and expects `expected` base units, or an error containing it.
#[track_caller]
fn check(text: &str, expected: Result<u128, &str>) {
    match (text.parse::<Amount>(), expected) {
        (Ok(amount), Ok(units)) => {
            assert_eq!(amount.base_units(), units, "{text}");
            assert_eq!(amount.to_string(), text, "prints back the same text");
        }
        (Err(error), Err(reason)) => assert!(error.to_string().contains(reason), "{error}"),
        (got, want) => panic!("{text}: got {got:?}, want {want:?}"),
    }
}

#[test]
fn whole_and_fractional_mdt_are_read_exactly() {
    check("1000", Ok(1000 * SCALE));
    check("0.1", Ok(SCALE / 10));
    check("0.000000000000000001", Ok(1));
    check("21000000", Ok(21_000_000 * SCALE));
    check("340282366920938463463.374607431768211455", Ok(u128::MAX));
}

#[test]
fn malformed_amounts_are_refused_with_the_reason() {
    check("-1", Err("negative"));
    check("1e3", Err("expected digits"));
    check("", Err("expected digits"));
    check("1.", Err("expected digits after"));
    check(".5", Err("expected digits"));
    check(" 1", Err("expected digits"));
    check("0.0000000000000000001", Err("more than 18 decimals"));
    check("340282366920938463464", Err("too large"));
    check("NaN", Err("expected digits"));
}

#[test]
fn fractions_above_one_are_refused() {
    assert_eq!("1".parse::<Fraction>().unwrap(), Fraction::ONE);
    assert_eq!("0.5".parse::<Fraction>().unwrap(), Fraction::HALF);
    let error = "1.000000000000000001".parse::<Fraction>().unwrap_err();
    assert!(error.to_string().contains("outside [0, 1]"), "{error}");
}

#[test]
fn fractions_deserialize_from_strings_and_whole_numbers_but_not_floats() {
    let f: Fraction = serde_json::from_str("\"0.25\"").unwrap();
    assert_eq!(f.to_string(), "0.25");
    let one: Fraction = serde_json::from_str("1").unwrap();
    assert_eq!(one, Fraction::ONE);
    assert!(serde_json::from_str::<Fraction>("0.25").is_err());
    assert!(serde_json::from_str::<Fraction>("2").is_err());
    let amount: Amount = serde_json::from_str("1000").unwrap();
    assert_eq!(amount.to_string(), "1000");
    assert!(serde_json::from_str::<Amount>("-5").is_err());
    let ratio: Ratio = serde_json::from_str("\"1.4\"").unwrap();
    assert_eq!(serde_json::to_string(&ratio).unwrap(), "\"1.4\"");
}

#[test]
fn addresses_are_read_in_any_case_and_printed_lowercase() {
    let text = "0xABCDEF0123456789abcdef0123456789ABCDEF01";
    let address: Address = text.parse().unwrap();
    assert_eq!(address.to_string(), text.to_lowercase());
    for bad in [
        "0x123",
        "abcdef0123456789abcdef0123456789abcdef0123",
        "0xzz23456789abcdef0123456789abcdef01234567",
    ] {
        assert!(bad.parse::<Address>().is_err(), "{bad}");
    }
}

#[test]
fn hashes_print_and_parse_as_64_hex_digits() {
    let text = "00ff".repeat(16);
    let hash: Hash256 = text.parse().unwrap();
    assert_eq!(hash.to_string(), text);
    assert!("00ff".parse::<Hash256>().is_err());
    assert!("zz".repeat(32).parse::<Hash256>().is_err());
}

#[test]
fn quality_one_half_gives_a_multiplier_of_exactly_one() {
    assert_eq!(
        quality_multiplier(Fraction::HALF, Ratio::from_parts(10 * SCALE)),
        Ratio::ONE
    );
}

#[test]
fn the_multiplier_spans_zero_point_six_to_one_point_four() {
    let k = Ratio::from_parts(10 * SCALE);
    let q0 = quality_multiplier(Fraction::ZERO, k).parts();
    let q1 = quality_multiplier(Fraction::ONE, k).parts();
    assert!(q0 > 6 * SCALE / 10 && q0 < 61 * SCALE / 100, "{q0}");
    assert!(q1 < 14 * SCALE / 10 && q1 > 139 * SCALE / 100, "{q1}");
    // A very steep sigmoid saturates to the bounds exactly.
    let steep = Ratio::from_parts(1000 * SCALE);
    assert_eq!(
        quality_multiplier(Fraction::ONE, steep).parts(),
        14 * SCALE / 10
    );
    assert_eq!(
        quality_multiplier(Fraction::ZERO, steep).parts(),
        6 * SCALE / 10
    );
}

proptest! {
    #[test]
    fn mul_div_matches_big_integers_over_the_whole_u128_range(
        a in any::<u128>(), b in any::<u128>(), c in 1..=u128::MAX,
    ) {
        let product = BigUint::from(a) * BigUint::from(b);
        let quotient = &product / BigUint::from(c);
        let remainder = &product % BigUint::from(c);
        match mul_div_rem(a, b, c) {
            Some((q, r)) => {
                prop_assert_eq!(BigUint::from(q), quotient);
                prop_assert_eq!(BigUint::from(r), remainder);
            }
            None => prop_assert!(quotient > BigUint::from(u128::MAX)),
        }
    }

    #[test]
    fn mul_div_by_zero_is_none(a in any::<u128>(), b in any::<u128>()) {
        prop_assert_eq!(mul_div_rem(a, b, 0), None);
    }

    #[test]
    fn amounts_print_and_parse_back_unchanged(units in any::<u128>()) {
        let amount = Amount::from_base_units(units);
        prop_assert_eq!(amount.to_string().parse::<Amount>().unwrap(), amount);
    }

    #[test]
    fn the_sigmoid_is_within_1e_9_of_the_real_function(q in 0..=SCALE, k in 0u128..=50) {
        let quality = Fraction::from_parts(q).unwrap();
        let got = quality_multiplier(quality, Ratio::from_parts(k * SCALE)).parts() as f64 / 1e18;
        let x = k as f64 * (q as f64 / 1e18 - 0.5);
        let want = 0.6 + 0.8 / (1.0 + (-x).exp());
        prop_assert!((got - want).abs() < 1e-9, "got {got}, want {want}");
    }

    #[test]
    fn the_multiplier_is_monotone_in_quality(a in 0..=SCALE, b in 0..=SCALE, k in 0u128..=200) {
        let (lo, hi) = (a.min(b), a.max(b));
        let k = Ratio::from_parts(k * SCALE / 2);
        let at = |q| quality_multiplier(Fraction::from_parts(q).unwrap(), k);
        prop_assert!(at(lo) <= at(hi));
    }
}
