//! The retry rule and the loop: after a failed attempt, how long to wait before the next one,
//! or why to give up (a final error, a call not safe to resend, attempts used up, the deadline,
//! the budget).
//!
//! The rule lives here alone, as two steps every loop takes: [`Retry::verdict`] judges one
//! error (the classifier, then the replay-safety rule), [`Attempts::next_delay`] decides the
//! wait (attempts, the server's delay or the backoff, the deadline, the budget). [`Retry::run`]
//! drives one call with them; the client's batches drive their rounds with the same two steps.
//! Generic over the error type: it knows nothing of HTTP or JSON-RPC, only what its
//! [`RetryClassifier`] says about each error.

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

/// What a failed attempt allows, judged from its error alone ([`Retry::verdict`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Give up: the error is final, or the call is not replay-safe and may have run.
    Final,
    /// Another attempt may help.
    Retryable {
        /// The delay the server asked for, if it did.
        asked: Option<Duration>,
        /// The server said "rate limited": waiting as asked is not a retry after a failure,
        /// so it takes nothing from the retry budget.
        rate_limited: bool,
    },
}

/// Why a loop stops although the last error was retryable ([`Attempts::next_delay`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The attempts are used up.
    AttemptsUsed,
    /// Waiting would pass the overall deadline.
    Deadline,
    /// The retry budget refused the retry.
    Budget,
}

impl Stop {
    /// The loop's error for this stop after `attempts` attempts, the last failing with `last`.
    pub fn into_error<E>(self, attempts: u32, last: E) -> RetryError<E> {
        match self {
            Stop::AttemptsUsed => RetryError::Failed { attempts, last },
            Stop::Deadline => RetryError::DeadlineExceeded {
                attempts,
                last: Some(last),
            },
            Stop::Budget => RetryError::BudgetExhausted { attempts, last },
        }
    }
}

/// One run of the loop (one call, or one batch): attempts made, the last delay, the deadline.
#[derive(Debug)]
pub struct Attempts<'r, C> {
    retry: &'r Retry<C>,
    made: u32,
    previous: Duration,
    deadline: Option<Instant>,
}

impl<C> Attempts<'_, C> {
    /// Counts an attempt starting now and returns its number (1 for the first).
    pub fn start_attempt(&mut self) -> u32 {
        self.made = self.made.saturating_add(1);
        self.made
    }

    /// The overall deadline of this run, if any.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// The delay before the next attempt, or why there is none: the attempts are used up, the
    /// wait would reach the deadline, or the retry budget refuses (a granted retry withdraws
    /// from it). The delay is `asked`, the server's, capped at `max_retry_after`; without
    /// one, the backoff's next delay.
    pub fn next_delay(&mut self, asked: Option<Duration>) -> Result<Duration, Stop> {
        self.delay(asked, true)
    }

    /// [`Attempts::next_delay`] after a rate-limit answer: the same wait and the same limits
    /// (attempts, deadline), but nothing is taken from the retry budget (the server is up
    /// and asked us to come back; the budget guards against retrying failures).
    pub fn next_delay_rate_limited(&mut self, asked: Option<Duration>) -> Result<Duration, Stop> {
        self.delay(asked, false)
    }

    fn delay(&mut self, asked: Option<Duration>, spend: bool) -> Result<Duration, Stop> {
        let policy = &self.retry.policy;
        if self.made >= policy.max_attempts.max(1) {
            return Err(Stop::AttemptsUsed);
        }
        let delay = match asked {
            Some(asked) => asked.min(policy.max_retry_after),
            None => self.retry.backoff_delay(self.made, self.previous),
        };
        if let Some(deadline) = self.deadline {
            if Instant::now()
                .checked_add(delay)
                .is_none_or(|wake| wake >= deadline)
            {
                return Err(Stop::Deadline);
            }
        }
        if let Some(budget) = self.retry.budget.as_ref().filter(|_| spend) {
            if !budget.try_withdraw() {
                return Err(Stop::Budget);
            }
        }
        self.previous = delay;
        Ok(delay)
    }
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

    /// Starts one run of the loop (a call, or a batch) ending by `deadline`; deposits into the
    /// budget, as every call earns retry credit.
    pub fn attempts(&self, deadline: Option<Instant>) -> Attempts<'_, C> {
        if let Some(budget) = &self.budget {
            budget.deposit();
        }
        Attempts {
            retry: self,
            made: 0,
            previous: self.policy.backoff.initial,
            deadline,
        }
    }

    /// Judges a failed attempt by its error: final when the classifier says a retry cannot
    /// help, or (the replay-safety rule) when the request may have reached the server and the
    /// call is not `idempotent`; otherwise retryable, with the delay the server asked for.
    pub fn verdict<E>(&self, idempotent: bool, error: &E) -> Verdict
    where
        C: RetryClassifier<E>,
    {
        let (asked, rate_limited) = match self.classifier.classify(error) {
            RetryDecision::DoNotRetry => return Verdict::Final,
            RetryDecision::Retry => (None, false),
            RetryDecision::RateLimited { retry_after } => (retry_after, true),
        };
        if !idempotent && self.classifier.may_have_reached_server(error) {
            return Verdict::Final;
        }
        Verdict::Retryable {
            asked,
            rate_limited,
        }
    }

    /// Runs `attempt(n)` (n = 1, 2, ...) until it succeeds or the loop must give up.
    ///
    /// `idempotent` says whether the call may run twice (see [`Retry::verdict`]). `deadline`
    /// bounds the whole loop, attempts and sleeps included.
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
        let mut attempts = self.attempts(deadline);
        let mut last: Option<E> = None;
        loop {
            let number = attempts.start_attempt();
            let result = match deadline {
                Some(deadline) => match tokio::time::timeout_at(deadline, attempt(number)).await {
                    Ok(result) => result,
                    Err(_) => {
                        return Err(RetryError::DeadlineExceeded {
                            attempts: number,
                            last,
                        })
                    }
                },
                None => attempt(number).await,
            };
            let error = match result {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            let next = match self.verdict(idempotent, &error) {
                Verdict::Final => {
                    return Err(RetryError::Failed {
                        attempts: number,
                        last: error,
                    })
                }
                Verdict::Retryable {
                    asked,
                    rate_limited,
                } => attempts.delay(asked, !rate_limited),
            };
            match next {
                Ok(delay) => tokio::time::sleep(delay).await,
                Err(stop) => return Err(stop.into_error(number, error)),
            }
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
