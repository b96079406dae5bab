//! [`CircuitBreaker`]: the Closed / Open / HalfOpen state machine, safe under concurrent callers.
//!
//! One mutex guards the whole state so every transition is atomic; a generation number makes
//! outcomes of calls admitted before a transition count for nothing after it. Time is
//! `tokio::time::Instant`, so the recovery timeout runs on tokio's paused clock in tests.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::Serialize;
use tokio::sync::broadcast;
use tokio::time::Instant;

use super::{BreakerConfig, BreakerPermit, OutcomeWindow};

/// The state of a circuit breaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakerState {
    /// Calls flow; failures are counted.
    Closed,
    /// Calls are rejected until the recovery timeout passes.
    Open,
    /// A few probe calls are let through to see whether the endpoint healed.
    HalfOpen,
}

/// A state transition, as broadcast to [`CircuitBreaker::subscribe`]rs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateChange {
    /// The state before.
    pub from: BreakerState,
    /// The state after.
    pub to: BreakerState,
}

/// The breaker rejected a call (it is open, or half-open with every probe slot taken).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakerRejected {
    /// The state that rejected the call.
    pub state: BreakerState,
}

#[derive(Debug)]
struct Inner {
    state: BreakerState,
    generation: u64,
    opened_at: Instant,
    consecutive_failures: u32,
    window: OutcomeWindow,
    probes_issued: u32,
    probe_successes: u32,
}

/// A callback run on every state change (inside the breaker's lock: keep it short).
type Listener = Box<dyn Fn(StateChange) + Send + Sync>;

/// A circuit breaker for one endpoint.
pub struct CircuitBreaker {
    config: BreakerConfig,
    inner: Mutex<Inner>,
    trips: AtomicU64,
    events: broadcast::Sender<StateChange>,
    listener: Option<Listener>,
}

impl std::fmt::Debug for CircuitBreaker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CircuitBreaker")
            .field("config", &self.config)
            .field("state", &self.lock().state)
            .field("trips", &self.trips())
            .finish_non_exhaustive()
    }
}

impl CircuitBreaker {
    /// A closed breaker.
    pub fn new(config: BreakerConfig) -> Self {
        let (events, _) = broadcast::channel(64);
        let inner = Inner {
            state: BreakerState::Closed,
            generation: 0,
            opened_at: Instant::now(),
            consecutive_failures: 0,
            window: OutcomeWindow::new(config.window_size),
            probes_issued: 0,
            probe_successes: 0,
        };
        Self {
            config,
            inner: Mutex::new(inner),
            trips: AtomicU64::new(0),
            events,
            listener: None,
        }
    }

    /// Runs `listener` on every state change, in addition to the broadcast events.
    pub fn with_listener(mut self, listener: impl Fn(StateChange) + Send + Sync + 'static) -> Self {
        self.listener = Some(Box::new(listener));
        self
    }

    /// The breaker's settings.
    pub fn config(&self) -> &BreakerConfig {
        &self.config
    }

    /// The current state (an open breaker whose recovery time has passed reports `HalfOpen`).
    pub fn state(&self) -> BreakerState {
        let mut inner = self.lock();
        self.advance_clock(&mut inner);
        inner.state
    }

    /// How many times the breaker has opened.
    pub fn trips(&self) -> u64 {
        self.trips.load(Ordering::Relaxed)
    }

    /// Receives every state change from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<StateChange> {
        self.events.subscribe()
    }

    /// Asks to make one call. Hold the permit while the call runs, then report its outcome.
    pub fn try_acquire(&self) -> Result<BreakerPermit<'_>, BreakerRejected> {
        let mut inner = self.lock();
        self.advance_clock(&mut inner);
        let probe = match inner.state {
            BreakerState::Closed => false,
            BreakerState::Open => {
                return Err(BreakerRejected {
                    state: BreakerState::Open,
                })
            }
            BreakerState::HalfOpen
                if inner.probes_issued < self.config.half_open_max_calls.max(1) =>
            {
                inner.probes_issued += 1;
                true
            }
            BreakerState::HalfOpen => {
                return Err(BreakerRejected {
                    state: BreakerState::HalfOpen,
                })
            }
        };
        Ok(BreakerPermit {
            breaker: self,
            generation: inner.generation,
            probe,
            settled: false,
        })
    }

    /// Records a success seen outside a permit (e.g. by a health probe).
    pub fn record_success(&self) {
        let generation = self.lock().generation;
        self.on_outcome(generation, false, true);
    }

    /// Records a failure seen outside a permit (e.g. by a health probe).
    pub fn record_failure(&self) {
        let generation = self.lock().generation;
        self.on_outcome(generation, false, false);
    }

    pub(super) fn on_outcome(&self, generation: u64, probe: bool, success: bool) {
        let mut inner = self.lock();
        if inner.generation != generation {
            return; // admitted before a transition: says nothing about the state now
        }
        match (inner.state, success) {
            (BreakerState::Closed, true) => {
                inner.consecutive_failures = 0;
                inner.window.record(true);
            }
            (BreakerState::Closed, false) => {
                inner.consecutive_failures += 1;
                inner.window.record(false);
                let config = &self.config;
                if inner.consecutive_failures >= config.failure_threshold.max(1)
                    || inner
                        .window
                        .rate_reached(config.min_calls, config.failure_rate_percent)
                {
                    self.transition(&mut inner, BreakerState::Open);
                }
            }
            (BreakerState::HalfOpen, true) if probe => {
                inner.probe_successes += 1;
                if inner.probe_successes >= self.config.half_open_max_calls.max(1) {
                    self.transition(&mut inner, BreakerState::Closed);
                }
            }
            (BreakerState::HalfOpen, false) => self.transition(&mut inner, BreakerState::Open),
            _ => {}
        }
    }

    pub(super) fn release_probe(&self, generation: u64) {
        let mut inner = self.lock();
        if inner.generation == generation && inner.state == BreakerState::HalfOpen {
            inner.probes_issued = inner.probes_issued.saturating_sub(1);
        }
    }

    fn advance_clock(&self, inner: &mut Inner) {
        let recovered = || {
            // A recovery time too large for the clock means "never".
            inner
                .opened_at
                .checked_add(self.config.recovery_timeout)
                .is_some_and(|t| t <= Instant::now())
        };
        if inner.state == BreakerState::Open && recovered() {
            self.transition(inner, BreakerState::HalfOpen);
        }
    }

    fn transition(&self, inner: &mut Inner, to: BreakerState) {
        let from = inner.state;
        inner.state = to;
        inner.generation += 1;
        inner.probes_issued = 0;
        inner.probe_successes = 0;
        match to {
            BreakerState::Open => {
                inner.opened_at = Instant::now();
                self.trips.fetch_add(1, Ordering::Relaxed);
                crate::metrics::facade::add(crate::metrics::facade::BREAKER_TRIPS_TOTAL);
                tracing::warn!(?from, "circuit breaker opened");
            }
            BreakerState::Closed => {
                inner.consecutive_failures = 0;
                inner.window.clear();
                tracing::info!("circuit breaker closed");
            }
            BreakerState::HalfOpen => tracing::info!("circuit breaker half-open: probing"),
        }
        let change = StateChange { from, to };
        if let Some(listener) = &self.listener {
            listener(change);
        }
        // No subscriber is fine: events are advisory.
        let _ = self.events.send(change);
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // The state is updated in single assignments; after a panic elsewhere it is still valid.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for CircuitBreaker {
    fn default() -> Self {
        Self::new(BreakerConfig::default())
    }
}
