//! [`BreakerPermit`]: the right to make one call through a breaker, and the drop guard for it.
//!
//! A call reports its outcome through the permit. A call dropped mid-flight reports nothing and
//! gives back its half-open probe slot, so cancelled callers never wedge a breaker half-open.

use super::CircuitBreaker;

/// Held for the duration of one call admitted by a [`CircuitBreaker`].
#[derive(Debug)]
#[must_use = "report the call's outcome with success() or failure()"]
pub struct BreakerPermit<'a> {
    pub(super) breaker: &'a CircuitBreaker,
    pub(super) generation: u64,
    pub(super) probe: bool,
    pub(super) settled: bool,
}

impl BreakerPermit<'_> {
    /// Whether this call is a half-open probe.
    pub fn is_probe(&self) -> bool {
        self.probe
    }

    /// The call succeeded.
    pub fn success(mut self) {
        self.settled = true;
        self.breaker.on_outcome(self.generation, self.probe, true);
    }

    /// The call failed in a way that counts against the endpoint.
    pub fn failure(mut self) {
        self.settled = true;
        self.breaker.on_outcome(self.generation, self.probe, false);
    }

    /// The call ended without saying anything about the endpoint's health (e.g. a JSON-RPC
    /// "bad params" answer is neither): a probe slot is given back.
    pub fn neutral(self) {
        drop(self);
    }
}

impl Drop for BreakerPermit<'_> {
    fn drop(&mut self) {
        if !self.settled && self.probe {
            self.breaker.release_probe(self.generation);
        }
    }
}
