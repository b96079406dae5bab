//! [`Window`]: the node's request limit, a fixed window per client (all of a test's
//! clients are one: loopback) that starts with its first request.

use std::time::Duration;

use tokio::time::Instant;

/// Requests admitted in the current window.
#[derive(Debug, Default)]
pub(crate) struct Window {
    start: Option<Instant>,
    count: u64,
}

impl Window {
    /// Whether a request at `now` is served: at most `limit` per `length`, counted from
    /// the first request of a window; a refused request does not count.
    pub(crate) fn admit(&mut self, now: Instant, limit: u64, length: Duration) -> bool {
        match self.start {
            Some(start) if now.saturating_duration_since(start) < length => {}
            _ => {
                self.start = Some(now);
                self.count = 0;
            }
        }
        if self.count >= limit {
            return false;
        }
        self.count = self.count.saturating_add(1);
        true
    }
}
