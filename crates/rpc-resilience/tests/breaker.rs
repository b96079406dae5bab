//! Circuit breaker rules: trips, recovery, probes, events, and correctness under many tasks.

use std::sync::Arc;
use std::time::Duration;

use rpc_resilience::{BreakerConfig, BreakerRejected, BreakerState, CircuitBreaker, StateChange};

fn breaker() -> CircuitBreaker {
    CircuitBreaker::new(BreakerConfig::default())
}

/// Feeds outcomes through permits ("s" success, "f" failure, "n" neutral).
fn feed(breaker: &CircuitBreaker, outcomes: &str) {
    for outcome in outcomes.chars() {
        let permit = breaker.try_acquire().expect("admitted");
        match outcome {
            's' => permit.success(),
            'f' => permit.failure(),
            _ => permit.neutral(),
        }
    }
}

#[track_caller]
fn check(breaker: &CircuitBreaker, state: BreakerState, trips: u64) {
    assert_eq!((breaker.state(), breaker.trips()), (state, trips));
}

#[test]
fn five_consecutive_failures_trip_it() {
    let b = breaker();
    feed(&b, "ffff");
    check(&b, BreakerState::Closed, 0);
    feed(&b, "f");
    check(&b, BreakerState::Open, 1);
}

#[test]
fn a_success_resets_the_consecutive_count() {
    let b = breaker();
    feed(&b, "ffffsffff");
    check(&b, BreakerState::Closed, 0);
}

#[test]
fn a_failure_rate_over_the_window_trips_it_once_enough_calls_were_seen() {
    let b = breaker();
    feed(&b, "fsfsfsfsf");
    check(&b, BreakerState::Closed, 0);
    feed(&b, "s");
    check(&b, BreakerState::Closed, 0);
    feed(&b, "f");
    check(&b, BreakerState::Open, 1);
}

#[test]
fn neutral_outcomes_count_for_nothing() {
    let b = breaker();
    feed(&b, "nnnnnnnnnnnnnnnn");
    check(&b, BreakerState::Closed, 0);
}

#[test]
fn an_open_breaker_rejects_calls() {
    let b = breaker();
    feed(&b, "fffff");
    assert_eq!(
        b.try_acquire().err(),
        Some(BreakerRejected {
            state: BreakerState::Open
        })
    );
}

#[tokio::test(start_paused = true)]
async fn it_half_opens_after_the_recovery_time() {
    let b = breaker();
    feed(&b, "fffff");
    tokio::time::advance(Duration::from_millis(59_999)).await;
    check(&b, BreakerState::Open, 1);
    tokio::time::advance(Duration::from_millis(1)).await;
    check(&b, BreakerState::HalfOpen, 1);
}

#[tokio::test(start_paused = true)]
async fn half_open_lets_three_probes_through_and_closes_after_three_successes() {
    let b = breaker();
    feed(&b, "fffff");
    tokio::time::advance(Duration::from_secs(60)).await;
    let probes: Vec<_> = (0..3).map(|_| b.try_acquire().expect("probe")).collect();
    assert!(probes.iter().all(|p| p.is_probe()));
    assert_eq!(
        b.try_acquire().err(),
        Some(BreakerRejected {
            state: BreakerState::HalfOpen
        })
    );
    for probe in probes {
        probe.success();
    }
    check(&b, BreakerState::Closed, 1);
}

#[tokio::test(start_paused = true)]
async fn a_probe_failure_reopens_it() {
    let b = breaker();
    feed(&b, "fffff");
    tokio::time::advance(Duration::from_secs(60)).await;
    feed(&b, "sf");
    check(&b, BreakerState::Open, 2);
}

#[tokio::test(start_paused = true)]
async fn a_dropped_probe_gives_its_slot_back() {
    let b = breaker();
    feed(&b, "fffff");
    tokio::time::advance(Duration::from_secs(60)).await;
    let held: Vec<_> = (0..3).map(|_| b.try_acquire().expect("probe")).collect();
    drop(held);
    feed(&b, "sss");
    check(&b, BreakerState::Closed, 1);
}

#[tokio::test(start_paused = true)]
async fn state_changes_are_broadcast() {
    let b = breaker();
    let mut events = b.subscribe();
    feed(&b, "fffff");
    tokio::time::advance(Duration::from_secs(60)).await;
    feed(&b, "sss");
    let mut seen = Vec::new();
    while let Ok(StateChange { from, to }) = events.try_recv() {
        seen.push((from, to));
    }
    use BreakerState::*;
    assert_eq!(
        seen,
        vec![(Closed, Open), (Open, HalfOpen), (HalfOpen, Closed)]
    );
}

#[tokio::test(start_paused = true)]
async fn outcomes_recorded_from_outside_feed_it_like_calls() {
    let b = breaker();
    for _ in 0..5 {
        b.record_failure();
    }
    check(&b, BreakerState::Open, 1);
    b.record_success(); // ignored while open
    tokio::time::advance(Duration::from_secs(60)).await;
    check(&b, BreakerState::HalfOpen, 1);
    b.record_failure();
    check(&b, BreakerState::Open, 2);
}

#[test]
fn an_outcome_of_a_call_admitted_before_a_trip_is_ignored() {
    let b = breaker();
    let late = b.try_acquire().expect("admitted");
    feed(&b, "fffff");
    late.failure();
    check(&b, BreakerState::Open, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_concurrent_failures_trip_it_exactly_once() {
    let b = Arc::new(breaker());
    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let b = Arc::clone(&b);
            tokio::spawn(async move {
                if let Ok(permit) = b.try_acquire() {
                    tokio::task::yield_now().await;
                    permit.failure();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
    check(&b, BreakerState::Open, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_concurrent_callers_get_exactly_the_probe_limit_when_half_open() {
    let b = Arc::new(CircuitBreaker::new(BreakerConfig {
        recovery_timeout: Duration::ZERO,
        ..BreakerConfig::default()
    }));
    feed(&b, "fffff");
    let barrier = Arc::new(tokio::sync::Barrier::new(100));
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let (b, barrier) = (Arc::clone(&b), Arc::clone(&barrier));
            tokio::spawn(async move {
                let permit = b.try_acquire().ok();
                let probe = permit.as_ref().map(|p| p.is_probe());
                barrier.wait().await; // every caller holds its permit until all have asked
                probe
            })
        })
        .collect();
    let mut probes = 0;
    for task in tasks {
        if task.await.expect("task") == Some(true) {
            probes += 1;
        }
    }
    assert_eq!(probes, 3, "probes admitted at once");
}

proptest::proptest! {
    #[test]
    fn any_outcome_sequence_keeps_the_breaker_consistent(outcomes in proptest::collection::vec(0u8..3, 0..200)) {
        let b = CircuitBreaker::new(BreakerConfig { recovery_timeout: Duration::ZERO, ..BreakerConfig::default() });
        let mut events = b.subscribe();
        let mut opened = 0u64;
        for outcome in outcomes {
            if let Ok(permit) = b.try_acquire() {
                match outcome {
                    0 => permit.success(),
                    1 => permit.failure(),
                    _ => permit.neutral(),
                }
            }
            while let Ok(change) = events.try_recv() {
                proptest::prop_assert_ne!(change.from, change.to);
                if change.to == BreakerState::Open {
                    opened += 1;
                }
            }
        }
        proptest::prop_assert_eq!(b.trips(), opened);
    }
}
