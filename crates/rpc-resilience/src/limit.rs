//! [`ConcurrencyLimit`]: at most N calls in flight (the pool size), as a tokio semaphore.
//!
//! The permit is a drop guard: a call dropped mid-flight gives its slot back at once.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Limits how many calls run at the same time; callers over the limit wait in FIFO order.
#[derive(Debug, Clone)]
pub struct ConcurrencyLimit {
    semaphore: Arc<Semaphore>,
    max: usize,
}

/// One slot of a [`ConcurrencyLimit`]; dropping it frees the slot.
#[derive(Debug)]
pub struct ConcurrencyPermit {
    _permit: OwnedSemaphorePermit,
}

impl ConcurrencyLimit {
    /// A limit of `max` concurrent calls (at least 1).
    pub fn new(max: usize) -> Self {
        let max = max.clamp(1, Semaphore::MAX_PERMITS);
        Self {
            semaphore: Arc::new(Semaphore::new(max)),
            max,
        }
    }

    /// Waits for a free slot.
    #[allow(clippy::expect_used)]
    pub async fn acquire(&self) -> ConcurrencyPermit {
        let permit = Arc::clone(&self.semaphore)
            .acquire_owned()
            .await
            // proof: the semaphore is private to this type and never closed, so acquiring cannot fail.
            .expect("the concurrency semaphore is never closed");
        ConcurrencyPermit { _permit: permit }
    }

    /// The configured maximum.
    pub fn max(&self) -> usize {
        self.max
    }

    /// Slots free right now.
    pub fn available(&self) -> usize {
        self.semaphore.available_permits()
    }
}
