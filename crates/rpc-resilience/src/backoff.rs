//! Exponential backoff with jitter: the delays a retry loop sleeps between attempts.
//!
//! Kept apart from the retry loop so it can be used alone and tested exactly with a seeded RNG
//! (`rand_chacha`): every delay is a pure function of the config, the attempt, the previous delay
//! and the RNG state.

use std::time::Duration;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// How a computed exponential delay is randomised, so many clients do not retry in lockstep.
///
/// Names follow the AWS architecture blog "Exponential Backoff And Jitter".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Jitter {
    /// The exact exponential delay `min(cap, initial * factor^n)`.
    None,
    /// Uniform in `[0, d]` where `d` is the exact delay.
    #[default]
    Full,
    /// `d/2 + uniform[0, d/2]`.
    Equal,
    /// `min(cap, uniform[initial, 3 * previous])`.
    Decorrelated,
}

/// Exponential backoff settings (initial 1 s, factor 2, cap 30 s, full jitter by default).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    /// The delay before the first retry (before jitter).
    pub initial: Duration,
    /// How much each delay grows over the previous one (a duration factor, never money).
    pub factor: f64,
    /// No delay is ever longer than this.
    pub max: Duration,
    /// How the delay is randomised.
    pub jitter: Jitter,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            initial: Duration::from_secs(1),
            factor: 2.0,
            max: Duration::from_secs(30),
            jitter: Jitter::Full,
        }
    }
}

impl Backoff {
    /// The exact (unjittered) delay before retry number `retry` (0 = the first retry), capped.
    pub fn base_delay(&self, retry: u32) -> Duration {
        let cap = nanos(self.max);
        let exponent = i32::try_from(retry).unwrap_or(i32::MAX);
        let scaled = nanos(self.initial) as f64 * self.factor.max(0.0).powi(exponent);
        if !scaled.is_finite() || scaled >= cap as f64 {
            return self.max;
        }
        // The float is finite, non-negative and below the cap (a u64), so the cast is exact enough.
        Duration::from_nanos(scaled as u64)
    }

    /// The jittered delay before retry number `retry`, given the previous delay slept.
    pub fn delay<R: Rng + ?Sized>(&self, retry: u32, previous: Duration, rng: &mut R) -> Duration {
        let base = nanos(self.base_delay(retry));
        let cap = nanos(self.max);
        let picked = match self.jitter {
            Jitter::None => base,
            Jitter::Full => rng.random_range(0..=base),
            Jitter::Equal => base / 2 + rng.random_range(0..=base - base / 2),
            Jitter::Decorrelated => {
                let low = nanos(self.initial).min(cap);
                let high = nanos(previous.max(self.initial)).saturating_mul(3).max(low);
                rng.random_range(low..=high).min(cap)
            }
        };
        Duration::from_nanos(picked.min(cap))
    }

    /// An endless iterator of delays drawn from an RNG seeded with `seed` (reproducible).
    pub fn delays_seeded(&self, seed: u64) -> Delays<ChaCha8Rng> {
        self.delays(ChaCha8Rng::seed_from_u64(seed))
    }

    /// An endless iterator of delays drawn from `rng`.
    pub fn delays<R: Rng>(&self, rng: R) -> Delays<R> {
        Delays {
            backoff: *self,
            retry: 0,
            previous: self.initial,
            rng,
        }
    }
}

/// The successive delays of one [`Backoff`], from [`Backoff::delays`].
#[derive(Debug, Clone)]
pub struct Delays<R> {
    backoff: Backoff,
    retry: u32,
    previous: Duration,
    rng: R,
}

impl<R: Rng> Iterator for Delays<R> {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        let delay = self.backoff.delay(self.retry, self.previous, &mut self.rng);
        self.retry = self.retry.saturating_add(1);
        self.previous = delay;
        Some(delay)
    }
}

fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}
