//! Retry loop rules, on plain futures and tokio's paused clock: attempts, backoff, idempotency,
//! rate limits, budget, deadline.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rpc_resilience::{
    Backoff, DefaultClassifier, Jitter, Retry, RetryBudget, RetryClassifier, RetryDecision,
    RetryError, RetryPolicy, RpcError,
};
use tokio::time::Instant;

fn policy(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        backoff: Backoff {
            jitter: Jitter::None,
            ..Backoff::default()
        },
        ..RetryPolicy::default()
    }
}

fn timeout() -> RpcError {
    RpcError::Timeout {
        after: Duration::from_secs(30),
    }
}

fn connect() -> RpcError {
    RpcError::Connect {
        endpoint: "http://127.0.0.1:1".into(),
        reason: "refused".into(),
    }
}

/// Runs a loop whose attempts fail with `errors` in turn (then succeed); returns result, attempts, elapsed.
async fn run(
    retry: &Retry<DefaultClassifier>,
    idempotent: bool,
    errors: Vec<RpcError>,
) -> (Result<u32, RetryError<RpcError>>, u32, Duration) {
    let calls = AtomicU32::new(0);
    let start = Instant::now();
    let result = retry
        .run(idempotent, None, |n| {
            calls.fetch_add(1, Ordering::SeqCst);
            let outcome = errors.get(n as usize - 1).cloned();
            async move { outcome.map_or(Ok(n), Err) }
        })
        .await;
    (result, calls.load(Ordering::SeqCst), start.elapsed())
}

#[track_caller]
fn check(
    outcome: (Result<u32, RetryError<RpcError>>, u32, Duration),
    result: Result<u32, RetryError<RpcError>>,
    calls: u32,
    elapsed_ms: u64,
) {
    assert_eq!(outcome.0, result);
    assert_eq!(outcome.1, calls, "attempts made");
    assert_eq!(
        outcome.2,
        Duration::from_millis(elapsed_ms),
        "virtual time slept"
    );
}

#[tokio::test(start_paused = true)]
async fn succeeds_after_transient_failures_waiting_one_then_two_seconds() {
    let retry = Retry::new(policy(3), DefaultClassifier, 1);
    check(
        run(&retry, true, vec![timeout(), timeout()]).await,
        Ok(3),
        3,
        3000,
    );
}

#[tokio::test(start_paused = true)]
async fn gives_up_after_max_attempts_keeping_the_last_error() {
    let retry = Retry::new(policy(3), DefaultClassifier, 1);
    let last = RpcError::HttpStatus { status: 502 };
    let outcome = run(
        &retry,
        true,
        vec![timeout(), timeout(), last.clone(), timeout()],
    )
    .await;
    check(
        outcome,
        Err(RetryError::Failed { attempts: 3, last }),
        3,
        3000,
    );
}

#[tokio::test(start_paused = true)]
async fn a_non_idempotent_call_is_not_resent_after_a_timeout() {
    let retry = Retry::new(policy(3), DefaultClassifier, 1);
    check(
        run(&retry, false, vec![timeout()]).await,
        Err(RetryError::Failed {
            attempts: 1,
            last: timeout(),
        }),
        1,
        0,
    );
}

#[tokio::test(start_paused = true)]
async fn a_non_idempotent_call_is_retried_after_a_connect_failure() {
    let retry = Retry::new(policy(3), DefaultClassifier, 1);
    check(run(&retry, false, vec![connect()]).await, Ok(2), 2, 1000);
}

#[tokio::test(start_paused = true)]
async fn a_wrong_request_is_never_retried() {
    let retry = Retry::new(policy(3), DefaultClassifier, 1);
    for code in [-32700, -32600, -32601, -32602] {
        let error = RpcError::Rpc {
            code,
            message: "no".into(),
            data: None,
        };
        check(
            run(&retry, true, vec![error.clone()]).await,
            Err(RetryError::Failed {
                attempts: 1,
                last: error,
            }),
            1,
            0,
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_rate_limited_answer_waits_the_delay_the_server_asked_for() {
    let retry = Retry::new(policy(3), DefaultClassifier, 1);
    let limited = RpcError::RateLimited {
        retry_after: Some(Duration::from_millis(7_500)),
    };
    check(run(&retry, false, vec![limited]).await, Ok(2), 2, 7500);
}

#[tokio::test(start_paused = true)]
async fn a_server_asked_delay_is_capped() {
    let retry = Retry::new(
        RetryPolicy {
            max_retry_after: Duration::from_secs(5),
            ..policy(3)
        },
        DefaultClassifier,
        1,
    );
    let limited = RpcError::RateLimited {
        retry_after: Some(Duration::from_secs(3600)),
    };
    check(run(&retry, true, vec![limited]).await, Ok(2), 2, 5000);
}

#[tokio::test(start_paused = true)]
async fn a_rate_limit_without_a_delay_uses_the_backoff() {
    let retry = Retry::new(policy(3), DefaultClassifier, 1);
    check(
        run(
            &retry,
            true,
            vec![RpcError::RateLimited { retry_after: None }],
        )
        .await,
        Ok(2),
        2,
        1000,
    );
}

#[tokio::test(start_paused = true)]
async fn an_empty_budget_stops_the_retry() {
    let retry = Retry::new(policy(3), DefaultClassifier, 1)
        .with_budget(Arc::new(RetryBudget::new(0.0, 0, 0)));
    check(
        run(&retry, true, vec![timeout()]).await,
        Err(RetryError::BudgetExhausted {
            attempts: 1,
            last: timeout(),
        }),
        1,
        0,
    );
}

#[tokio::test(start_paused = true)]
async fn the_deadline_stops_a_backoff_that_would_overrun_it() {
    let retry = Retry::new(policy(5), DefaultClassifier, 1);
    let start = Instant::now();
    let result: Result<(), _> = retry
        .run(
            true,
            Some(start + Duration::from_millis(2_500)),
            |_| async { Err(timeout()) },
        )
        .await;
    assert_eq!(
        result,
        Err(RetryError::DeadlineExceeded {
            attempts: 2,
            last: Some(timeout())
        })
    );
    assert_eq!(start.elapsed(), Duration::from_secs(1));
}

#[tokio::test(start_paused = true)]
async fn the_deadline_cuts_an_attempt_short() {
    let retry = Retry::new(policy(5), DefaultClassifier, 1);
    let start = Instant::now();
    let result: Result<(), RetryError<RpcError>> = retry
        .run(true, Some(start + Duration::from_secs(4)), |_| async {
            tokio::time::sleep(Duration::from_secs(60)).await;
            Ok(())
        })
        .await;
    assert_eq!(
        result,
        Err(RetryError::DeadlineExceeded {
            attempts: 1,
            last: None
        })
    );
    assert_eq!(start.elapsed(), Duration::from_secs(4));
}

#[tokio::test(start_paused = true)]
async fn zero_max_attempts_still_makes_one_attempt() {
    let retry = Retry::new(policy(0), DefaultClassifier, 1);
    check(
        run(&retry, true, vec![timeout()]).await,
        Err(RetryError::Failed {
            attempts: 1,
            last: timeout(),
        }),
        1,
        0,
    );
    assert_eq!(retry.policy().max_attempts, 0);
}

/// A user classifier for a plain string error: only "busy" is worth retrying.
struct BusyOnly;

impl RetryClassifier<&'static str> for BusyOnly {
    fn classify(&self, error: &&'static str) -> RetryDecision {
        if *error == "busy" {
            RetryDecision::Retry
        } else {
            RetryDecision::DoNotRetry
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_user_classifier_drives_the_loop_and_assumes_the_request_was_sent() {
    let retry = Retry::new(policy(3), BusyOnly, 1);
    let ok: Result<u32, _> = retry
        .run(true, None, |n| async move {
            if n < 3 {
                Err("busy")
            } else {
                Ok(n)
            }
        })
        .await;
    assert_eq!(ok, Ok(3));
    let not_idempotent: Result<u32, _> = retry.run(false, None, |_| async { Err("busy") }).await;
    assert_eq!(
        not_idempotent,
        Err(RetryError::Failed {
            attempts: 1,
            last: "busy"
        })
    );
    let fatal: Result<u32, _> = retry.run(true, None, |_| async { Err("fatal") }).await;
    assert_eq!(
        fatal,
        Err(RetryError::Failed {
            attempts: 1,
            last: "fatal"
        })
    );
}
