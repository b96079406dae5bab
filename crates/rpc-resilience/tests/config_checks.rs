//! `ResilienceConfig::validate` gives every key its range, and the builder's `build()` refuses
//! the same configs with the same error, naming the key; a node's larger batch limit can be
//! declared.

use rpc_resilience::{ConfigError, ResilienceConfig, ResilientClient, RpcError};

/// The default config with `change` applied.
fn with(change: impl FnOnce(&mut ResilienceConfig)) -> ResilienceConfig {
    let mut config = ResilienceConfig::default();
    change(&mut config);
    config
}

/// `config` (the builder told the node's `max_batch` when given) is refused naming `key`
/// with `reason` in the message, by `validate` and by `build()` alike; `None`: accepted.
#[track_caller]
fn check(config: ResilienceConfig, max_batch: Option<usize>, refused: Option<(&str, &str)>) {
    let validated = match max_batch {
        Some(limit) => config.validate_with_batch_limit(limit),
        None => config.validate(),
    };
    let mut builder = ResilientClient::builder()
        .endpoint("http://127.0.0.1:1")
        .config(config);
    if let Some(limit) = max_batch {
        builder = builder.max_batch_size(limit);
    }
    let built = builder.build();
    let Some((key, reason)) = refused else {
        assert_eq!(validated, Ok(()));
        assert!(built.is_ok(), "{built:?}");
        return;
    };
    let error = validated.expect_err("validate must refuse it");
    assert_eq!(error.key, key, "{error}");
    assert!(error.reason.contains(reason), "{error}");
    match built {
        Err(RpcError::InvalidConfig(from_build)) => assert_eq!(from_build, error),
        other => panic!("build() must refuse it as validate does, got {other:?}"),
    }
}

#[test]
fn the_defaults_are_valid() {
    check(ResilienceConfig::default(), None, None);
}

#[test]
fn a_duration_of_zero_is_refused() {
    let at_least_1 = "must be at least 1";
    check(
        with(|c| c.timeout_ms = 0),
        None,
        Some(("timeout_ms", at_least_1)),
    );
    check(
        with(|c| c.initial_backoff_ms = 0),
        None,
        Some(("initial_backoff_ms", at_least_1)),
    );
    check(
        with(|c| c.max_backoff_ms = 0),
        None,
        Some(("max_backoff_ms", at_least_1)),
    );
    check(
        with(|c| c.recovery_timeout_ms = 0),
        None,
        Some(("recovery_timeout_ms", at_least_1)),
    );
    check(
        with(|c| c.health_interval_ms = 0),
        None,
        Some(("health_interval_ms", at_least_1)),
    );
    check(
        with(|c| c.health_timeout_ms = 0),
        None,
        Some(("health_timeout_ms", at_least_1)),
    );
    check(
        with(|c| c.max_retry_after_ms = 0),
        None,
        Some(("max_retry_after_ms", at_least_1)),
    );
    check(
        with(|c| c.deadline_ms = Some(0)),
        None,
        Some(("deadline_ms", at_least_1)),
    );
}

#[test]
fn a_count_of_zero_is_refused() {
    let at_least_1 = "must be at least 1";
    check(
        with(|c| c.max_attempts = 0),
        None,
        Some(("max_attempts", at_least_1)),
    );
    check(
        with(|c| c.failure_threshold = 0),
        None,
        Some(("failure_threshold", at_least_1)),
    );
    check(
        with(|c| c.half_open_max_calls = 0),
        None,
        Some(("half_open_max_calls", at_least_1)),
    );
    check(
        with(|c| c.health_stall_probes = 0),
        None,
        Some(("health_stall_probes", at_least_1)),
    );
    check(
        with(|c| c.max_connections = 0),
        None,
        Some(("max_connections", at_least_1)),
    );
    check(
        with(|c| c.failure_window = 0),
        None,
        Some(("failure_window", at_least_1)),
    );
    check(
        with(|c| c.failure_min_calls = 0),
        None,
        Some(("failure_min_calls", at_least_1)),
    );
    check(
        with(|c| c.batch_size = 0),
        None,
        Some(("batch_size", at_least_1)),
    );
}

#[test]
fn a_batch_larger_than_the_devnet_accepts_is_refused() {
    let too_large = Some((
        "batch_size",
        "at most 1000 (the devnet's batch limit), found 1001",
    ));
    check(with(|c| c.batch_size = 1001), None, too_large);
    check(with(|c| c.batch_size = 1000), None, None);
}

#[test]
fn a_node_with_a_larger_batch_limit_can_be_served() {
    check(with(|c| c.batch_size = 5000), Some(5000), None);
    let above = Some(("batch_size", "at most 4999 (the node's batch limit)"));
    check(with(|c| c.batch_size = 5000), Some(4999), above);
}

#[test]
fn a_backoff_factor_must_be_finite_and_at_least_one() {
    for bad in [f64::NAN, f64::INFINITY, -1.0, 0.0, 0.99] {
        let refused = Some(("backoff_factor", "must be a finite number of at least 1.0"));
        check(with(|c| c.backoff_factor = bad), None, refused);
    }
    check(with(|c| c.backoff_factor = 1.0), None, None);
}

#[test]
fn a_retry_budget_ratio_must_be_finite_and_in_range() {
    for bad in [f64::NAN, f64::NEG_INFINITY, -5.0, 1000.5] {
        let refused = Some(("retry_budget_ratio", "must be a finite number in [0, 1000]"));
        check(with(|c| c.retry_budget_ratio = bad), None, refused);
    }
    check(with(|c| c.retry_budget_ratio = 0.0), None, None);
    check(with(|c| c.retry_budget_ratio = 1000.0), None, None);
}

#[test]
fn a_failure_rate_must_be_a_percentage() {
    for bad in [0, 101] {
        let refused = Some(("failure_rate_percent", "must be in 1..=100"));
        check(with(|c| c.failure_rate_percent = bad), None, refused);
    }
    check(with(|c| c.failure_rate_percent = 100), None, None);
}

#[test]
fn the_backoff_cap_must_not_be_below_the_first_delay() {
    let refused = Some((
        "max_backoff_ms",
        "must be at least 1000 (initial_backoff_ms)",
    ));
    check(with(|c| c.max_backoff_ms = 999), None, refused);
}

#[test]
fn the_failure_window_is_bounded_and_holds_the_minimum_calls() {
    let huge = Some(("failure_window", "must be at most 100000"));
    check(with(|c| c.failure_window = 100_001), None, huge);
    let beyond = Some(("failure_min_calls", "must be at most 20 (failure_window"));
    check(with(|c| c.failure_min_calls = 21), None, beyond);
    check(with(|c| c.failure_min_calls = 20), None, None);
}

#[test]
fn an_invalid_config_is_not_retryable_and_never_reached_a_server() {
    let error = RpcError::InvalidConfig(ConfigError::new("timeout_ms", "must be at least 1"));
    assert!(!error.is_retryable());
    assert!(!error.may_have_reached_server());
    assert!(!error.is_endpoint_failure());
    assert_eq!(
        error.to_string(),
        "invalid configuration: timeout_ms: must be at least 1"
    );
}

#[test]
fn requests_per_minute_is_unlimited_at_zero_and_bounded_by_the_budgets_window() {
    check(with(|c| c.requests_per_minute = 0), None, None);
    check(with(|c| c.requests_per_minute = 1_000_000), None, None);
    check(
        with(|c| c.requests_per_minute = 1_000_001),
        None,
        Some((
            "requests_per_minute",
            "must be at most 1000000 (0: no limit)",
        )),
    );
}
