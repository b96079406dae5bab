//! Backoff rules: exact delays for every jitter kind (seeded RNG), and every delay within the cap.

use std::time::Duration;

use proptest::prelude::*;
use rpc_resilience::{Backoff, Jitter};

fn backoff(jitter: Jitter) -> Backoff {
    Backoff {
        jitter,
        ..Backoff::default()
    }
}

#[track_caller]
fn check(jitter: Jitter, seed: u64, expected_ms: &[u64]) {
    let got: Vec<u64> = backoff(jitter)
        .delays_seeded(seed)
        .take(expected_ms.len())
        .map(|d| u64::try_from(d.as_millis()).unwrap())
        .collect();
    assert_eq!(got, expected_ms, "{jitter:?} seed {seed}");
}

#[test]
fn default_is_one_second_doubling_capped_at_thirty_with_full_jitter() {
    let b = Backoff::default();
    assert_eq!(
        (b.initial, b.factor, b.max, b.jitter),
        (
            Duration::from_secs(1),
            2.0,
            Duration::from_secs(30),
            Jitter::Full
        )
    );
}

#[test]
fn no_jitter_doubles_from_one_second_up_to_the_cap() {
    check(
        Jitter::None,
        7,
        &[1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000],
    );
}

#[test]
fn full_jitter_yields_exact_seeded_delays() {
    check(Jitter::Full, 7, &FULL_SEED_7);
}

#[test]
fn equal_jitter_yields_exact_seeded_delays() {
    check(Jitter::Equal, 7, &EQUAL_SEED_7);
}

#[test]
fn decorrelated_jitter_yields_exact_seeded_delays() {
    check(Jitter::Decorrelated, 7, &DECORRELATED_SEED_7);
}

#[test]
fn same_seed_gives_the_same_delays() {
    let a: Vec<_> = backoff(Jitter::Full).delays_seeded(42).take(10).collect();
    let b: Vec<_> = backoff(Jitter::Full).delays_seeded(42).take(10).collect();
    assert_eq!(a, b);
}

#[test]
fn huge_attempt_numbers_saturate_at_the_cap() {
    assert_eq!(
        Backoff::default().base_delay(u32::MAX),
        Duration::from_secs(30)
    );
    assert_eq!(
        Backoff::default().base_delay(1_000),
        Duration::from_secs(30)
    );
}

// Each value was checked by hand against its bounds: full <= base, equal in [base/2, base],
// decorrelated in [1 s, 3 x previous] and <= 30 s.
const FULL_SEED_7: [u64; 8] = [157, 335, 2817, 5813, 9620, 10780, 2491, 25478];
const EQUAL_SEED_7: [u64; 8] = [578, 1167, 3408, 6906, 12810, 20390, 16245, 27739];
const DECORRELATED_SEED_7: [u64; 8] = [1315, 1495, 3454, 7804, 14476, 16247, 4965, 12802];

fn any_jitter() -> impl Strategy<Value = Jitter> {
    prop_oneof![
        Just(Jitter::None),
        Just(Jitter::Full),
        Just(Jitter::Equal),
        Just(Jitter::Decorrelated)
    ]
}

proptest! {
    #[test]
    fn every_delay_stays_within_the_cap(
        jitter in any_jitter(),
        seed in any::<u64>(),
        initial_ms in 0u64..10_000,
        factor in 0.0f64..10.0,
        max_ms in 0u64..60_000,
    ) {
        let b = Backoff { initial: Duration::from_millis(initial_ms), factor, max: Duration::from_millis(max_ms), jitter };
        for delay in b.delays_seeded(seed).take(40) {
            prop_assert!(delay <= b.max);
        }
    }

    #[test]
    fn jittered_delays_stay_within_their_exponential_bounds(seed in any::<u64>(), retry in 0u32..20) {
        let b = Backoff::default();
        let base = b.base_delay(retry);
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(seed);
        let full = Backoff { jitter: Jitter::Full, ..b }.delay(retry, b.initial, &mut rng);
        let equal = Backoff { jitter: Jitter::Equal, ..b }.delay(retry, b.initial, &mut rng);
        prop_assert!(full <= base);
        prop_assert!(equal >= base / 2 && equal <= base);
    }
}
