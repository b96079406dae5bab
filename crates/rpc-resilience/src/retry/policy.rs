//! The retry loop: attempts, backoff between them, the idempotency rule, the budget and the deadline.
//!
//! Generic over the error type and the attempt: it knows nothing of HTTP or JSON-RPC, only
//! what its [`RetryClassifier`] says about each error.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use tokio::time::Instant;

use super::{RetryBudget, RetryClassifier, RetryDecision};
use crate::Backoff;

/// How many attempts, how long to wait between them, and how long a server may ask us to wait.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in total, the first one included (default 3). `0` behaves as `1`.
    pub max_attempts: u32,
    /// The delays between attempts.
    pub backoff: Backoff,
    /// A delay the server asks for (Retry-After) is honoured up to this much (default 5 min).
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            backoff: Backoff::default(),
            max_retry_after: Duration::from_secs(300),
        }
    }
}

/// Why the retry loop gave up, with the error of the last attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum RetryError<E> {
    /// The last attempt failed and no retry is allowed (not retryable, not idempotent, or the
    /// attempts are used up).
    Failed {
        /// Attempts made.
        attempts: u32,
        /// The last attempt's error.
        last: E,
    },
    /// A retry was allowed but the retry budget is spent.
    BudgetExhausted {
        /// Attempts made.
        attempts: u32,
        /// The last attempt's error.
        last: E,
    },
    /// The overall deadline passed (during an attempt, or it would pass during the backoff).
    DeadlineExceeded {
        /// Attempts started.
        attempts: u32,
        /// The last finished attempt's error, if one finished.
        last: Option<E>,
    },
}

/// The retry loop with its policy, classifier, optional shared budget and jitter RNG.
#[derive(Debug)]
pub struct Retry<C> {
    policy: RetryPolicy,
    classifier: C,
    budget: Option<Arc<RetryBudget>>,
    rng: Mutex<ChaCha8Rng>,
}

impl<C> Retry<C> {
    /// A retry loop; jitter is drawn from an RNG seeded with `seed` (reproducible runs).
    pub fn new(policy: RetryPolicy, classifier: C, seed: u64) -> Self {
        Self {
            policy,
            classifier,
            budget: None,
            rng: Mutex::new(ChaCha8Rng::seed_from_u64(seed)),
        }
    }

    /// Shares a retry budget with this loop: every run deposits, every retry withdraws.
    pub fn with_budget(mut self, budget: Arc<RetryBudget>) -> Self {
        self.budget = Some(budget);
        self
    }

    /// The shared retry budget, if any.
    pub fn budget(&self) -> Option<&Arc<RetryBudget>> {
        self.budget.as_ref()
    }

    /// The classifier deciding each error.
    pub fn classifier(&self) -> &C {
        &self.classifier
    }

    /// The policy this loop follows.
    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// Runs `attempt(n)` (n = 1, 2, ...) until it succeeds or the loop must give up.
    ///
    /// `idempotent` says whether the call may run twice: when an error says the request may have
    /// reached the server, a call that is not idempotent is never sent again. `deadline` bounds
    /// the whole loop, attempts and sleeps included.
    pub async fn run<T, E, F, Fut>(
        &self,
        idempotent: bool,
        deadline: Option<Instant>,
        mut attempt: F,
    ) -> Result<T, RetryError<E>>
    where
        C: RetryClassifier<E>,
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        if let Some(budget) = &self.budget {
            budget.deposit();
        }
        let max_attempts = self.policy.max_attempts.max(1);
        let mut previous = self.policy.backoff.initial;
        let mut last: Option<E> = None;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let result = match deadline {
                Some(deadline) => {
                    match tokio::time::timeout_at(deadline, attempt(attempts)).await {
                        Ok(result) => result,
                        Err(_) => return Err(RetryError::DeadlineExceeded { attempts, last }),
                    }
                }
                None => attempt(attempts).await,
            };
            let error = match result {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            let delay = match self.classifier.classify(&error) {
                RetryDecision::DoNotRetry => {
                    return Err(RetryError::Failed {
                        attempts,
                        last: error,
                    })
                }
                RetryDecision::Retry => self.backoff_delay(attempts, previous),
                RetryDecision::RateLimited {
                    retry_after: Some(asked),
                } => asked.min(self.policy.max_retry_after),
                RetryDecision::RateLimited { retry_after: None } => {
                    self.backoff_delay(attempts, previous)
                }
            };
            let unsafe_to_resend = !idempotent && self.classifier.may_have_reached_server(&error);
            if unsafe_to_resend || attempts >= max_attempts {
                return Err(RetryError::Failed {
                    attempts,
                    last: error,
                });
            }
            if let Some(deadline) = deadline {
                if Instant::now()
                    .checked_add(delay)
                    .is_none_or(|wake| wake >= deadline)
                {
                    return Err(RetryError::DeadlineExceeded {
                        attempts,
                        last: Some(error),
                    });
                }
            }
            if let Some(budget) = &self.budget {
                if !budget.try_withdraw() {
                    return Err(RetryError::BudgetExhausted {
                        attempts,
                        last: error,
                    });
                }
            }
            tokio::time::sleep(delay).await;
            previous = delay;
            last = Some(error);
        }
    }

    /// The backoff delay before the retry that follows attempt number `attempts`.
    pub fn backoff_delay(&self, attempts: u32, previous: Duration) -> Duration {
        let mut rng = self
            .rng
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        self.policy
            .backoff
            .delay(attempts.saturating_sub(1), previous, &mut *rng)
    }
}
