//! [`RequestBudget`]: at most N HTTP requests per time window, shared by every client (and
//! every health probe) holding a clone, plus a shared pause when a node asks to slow down.
//!
//! A node that allows, say, 100 requests a minute answers the 101st with HTTP 429; a client
//! holding this budget never sends it: the request waits (tokio time) until the oldest of the
//! last N leaves the window. One JSON-RPC batch is one HTTP request and counts once. The
//! window slides: any span of `window` holds at most N sends, so a node counting in fixed
//! windows sees at most N in each of its windows too (leave a margin for the time requests
//! spend on the wire). Waiters are served in arrival order.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use crate::ConfigError;

/// The largest `max_requests` a [`RequestBudget`] accepts (it keeps one instant per request
/// of the window).
pub const MAX_REQUESTS_PER_WINDOW: u32 = 1_000_000;

/// A request budget; clones share it. Give the same handle to every builder of a run
/// (`ResilientClientBuilder::request_budget`) so all their requests count together.
#[derive(Debug, Clone)]
pub struct RequestBudget {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    /// `None`: no limit (requests are only counted).
    limit: Option<(u32, Duration)>,
    /// Send instants of the requests still inside the window, oldest first. An async lock:
    /// a waiter holds it while it sleeps, so waiters go in arrival order.
    sent: tokio::sync::Mutex<VecDeque<Instant>>,
    /// No request leaves before this (a node's Retry-After).
    resume_at: Mutex<Option<Instant>>,
    total: AtomicU64,
}

impl RequestBudget {
    /// At most `max_requests` requests in any span of `window`. Refused: `max_requests` 0 or
    /// above [`MAX_REQUESTS_PER_WINDOW`], a window under 1 ms (retrying cannot help).
    pub fn new(max_requests: u32, window: Duration) -> Result<Self, ConfigError> {
        if !(1..=MAX_REQUESTS_PER_WINDOW).contains(&max_requests) {
            return Err(ConfigError::new(
                "max_requests",
                format!("must be in 1..={MAX_REQUESTS_PER_WINDOW}, found {max_requests}"),
            ));
        }
        if window < Duration::from_millis(1) {
            return Err(ConfigError::new("window", "must be at least 1 ms"));
        }
        Ok(Self::build(Some((max_requests, window))))
    }

    /// No limit: requests are counted ([`RequestBudget::requests`]) and a node's Retry-After
    /// still pauses every holder, but nothing else waits. The builder's default.
    pub fn unlimited() -> Self {
        Self::build(None)
    }

    fn build(limit: Option<(u32, Duration)>) -> Self {
        Self {
            shared: Arc::new(Shared {
                limit,
                sent: tokio::sync::Mutex::new(VecDeque::new()),
                resume_at: Mutex::new(None),
                total: AtomicU64::new(0),
            }),
        }
    }

    /// The limit: (requests, window), `None` when unlimited.
    pub fn limit(&self) -> Option<(u32, Duration)> {
        self.shared.limit
    }

    /// Requests counted so far by every holder (each batch once).
    pub fn requests(&self) -> u64 {
        self.shared.total.load(Ordering::Relaxed)
    }

    /// Waits until one more request may be sent, and counts it. Cancel-safe: a waiter
    /// dropped before it returns has counted nothing.
    pub async fn acquire(&self) {
        let mut sent = self.shared.sent.lock().await;
        loop {
            if let Some(resume) = self.resume_at() {
                if resume > Instant::now() {
                    tokio::time::sleep_until(resume).await;
                    continue;
                }
            }
            let Some((max, window)) = self.shared.limit else {
                break;
            };
            let now = Instant::now();
            while sent
                .front()
                .is_some_and(|&at| now.saturating_duration_since(at) >= window)
            {
                sent.pop_front();
            }
            if sent.len() < usize::try_from(max).unwrap_or(usize::MAX) {
                sent.push_back(now);
                break;
            }
            match sent.front().and_then(|&oldest| oldest.checked_add(window)) {
                Some(room) => tokio::time::sleep_until(room).await,
                None => break, // an instant beyond the clock's range: nothing to wait for
            }
        }
        self.shared.total.fetch_add(1, Ordering::Relaxed);
    }

    /// How long every holder waits after a node's rate-limit answer: the delay it asked
    /// for; without one, a limited budget's whole window (a node that counts requests in
    /// windows, as this budget does, has begun a new one by then: a restarted program, or
    /// another program on the same node, may have spent the old one), and an unlimited
    /// budget nothing (the retry's backoff alone). `cap` bounds the wait
    /// (`max_retry_after`).
    pub fn rate_limit_pause(&self, asked: Option<Duration>, cap: Duration) -> Option<Duration> {
        asked
            .or_else(|| self.shared.limit.map(|(_, window)| window))
            .map(|delay| delay.min(cap))
    }

    /// A node asked every caller to wait `delay` (Retry-After): no holder sends before then.
    /// A later resume time wins over an earlier one.
    pub fn pause(&self, delay: Duration) {
        let Some(until) = Instant::now().checked_add(delay) else {
            return;
        };
        let mut resume = self
            .shared
            .resume_at
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if resume.is_none_or(|at| at < until) {
            *resume = Some(until);
        }
    }

    fn resume_at(&self) -> Option<Instant> {
        *self
            .shared
            .resume_at
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for RequestBudget {
    /// [`RequestBudget::unlimited`].
    fn default() -> Self {
        Self::unlimited()
    }
}
