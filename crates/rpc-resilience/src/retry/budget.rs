//! A retry budget: a token bucket that lets retries be at most a fraction of recent calls.
//!
//! Like finagle's and tower's budgets: every call deposits `ratio` of a token, every retry
//! withdraws one whole token, and the balance is capped so only recent calls count. When a
//! node struggles, retries stop at the budget instead of multiplying its load.

use std::sync::atomic::{AtomicU64, Ordering};

/// Thousandths of a token: integer arithmetic keeps the bucket exact.
const MILLI: u64 = 1000;

/// A shared retry budget (token bucket). Cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct RetryBudget {
    deposit_milli: u64,
    max_milli: u64,
    balance_milli: AtomicU64,
}

impl RetryBudget {
    /// A budget allowing `ratio` retries per call (e.g. 0.2 = 20 %), starting with `reserve`
    /// retries available and never holding more than `reserve + max_calls * ratio` tokens.
    pub fn new(ratio: f64, reserve: u32, max_calls: u32) -> Self {
        let ratio = if ratio.is_finite() {
            ratio.clamp(0.0, 1000.0)
        } else {
            0.0
        };
        // A finite value in [0, 1_000_000]: the cast cannot overflow.
        let deposit_milli = (ratio * MILLI as f64).round() as u64;
        let reserve_milli = u64::from(reserve) * MILLI;
        let max_milli = reserve_milli + deposit_milli * u64::from(max_calls);
        Self {
            deposit_milli,
            max_milli,
            balance_milli: AtomicU64::new(reserve_milli),
        }
    }

    /// Records one call (not a retry): adds `ratio` of a token.
    pub fn deposit(&self) {
        if self.deposit_milli == 0 {
            return;
        }
        let max = self.max_milli;
        let add = self.deposit_milli;
        // Lock-free: the closure always returns Some, so the update cannot fail.
        let _ = self
            .balance_milli
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |b| {
                Some((b + add).min(max))
            });
    }

    /// Takes one token for a retry; `false` means the budget is spent and the retry must not run.
    pub fn try_withdraw(&self) -> bool {
        self.balance_milli
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |b| {
                b.checked_sub(MILLI)
            })
            .is_ok()
    }

    /// How many whole retries the budget allows right now.
    pub fn available(&self) -> u64 {
        self.balance_milli.load(Ordering::Acquire) / MILLI
    }
}

impl Default for RetryBudget {
    /// 20 % retries, a reserve of 10 retries, counting up to the last 1000 calls.
    fn default() -> Self {
        Self::new(0.2, 10, 1000)
    }
}
