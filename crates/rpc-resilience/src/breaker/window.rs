//! [`OutcomeWindow`]: the last N call outcomes, for the breaker's failure-rate trip.
//!
//! Count-based (not time-based) so it behaves the same under any clock, paused or real.

use std::collections::VecDeque;

/// A sliding window over the most recent call outcomes.
#[derive(Debug, Clone)]
pub struct OutcomeWindow {
    capacity: usize,
    outcomes: VecDeque<bool>,
    failures: usize,
}

impl OutcomeWindow {
    /// An empty window holding at most `capacity` outcomes (at least 1).
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self {
            capacity,
            outcomes: VecDeque::with_capacity(capacity),
            failures: 0,
        }
    }

    /// Records one outcome (`true` = success), dropping the oldest when full.
    pub fn record(&mut self, success: bool) {
        if self.outcomes.len() == self.capacity {
            if let Some(false) = self.outcomes.pop_front() {
                self.failures -= 1;
            }
        }
        self.outcomes.push_back(success);
        if !success {
            self.failures += 1;
        }
    }

    /// Outcomes held.
    pub fn len(&self) -> usize {
        self.outcomes.len()
    }

    /// Whether no outcome is held.
    pub fn is_empty(&self) -> bool {
        self.outcomes.is_empty()
    }

    /// Failures held.
    pub fn failures(&self) -> usize {
        self.failures
    }

    /// Whether at least `min_calls` are held and at least `percent` % of them failed.
    pub fn rate_reached(&self, min_calls: usize, percent: u8) -> bool {
        let calls = self.outcomes.len();
        calls > 0 && calls >= min_calls && self.failures * 100 >= usize::from(percent) * calls
    }

    /// Forgets every outcome.
    pub fn clear(&mut self) {
        self.outcomes.clear();
        self.failures = 0;
    }
}
