//! Retry budget rules: retries are at most a fraction of recent calls, plus a reserve.

use rpc_resilience::RetryBudget;

#[track_caller]
fn check(budget: &RetryBudget, calls: u32, expected_retries: u32) {
    for _ in 0..calls {
        budget.deposit();
    }
    let mut granted = 0;
    while budget.try_withdraw() {
        granted += 1;
    }
    assert_eq!(granted, expected_retries);
}

#[test]
fn twenty_percent_of_one_hundred_calls_allows_twenty_retries() {
    check(&RetryBudget::new(0.2, 0, 1000), 100, 20);
}

#[test]
fn the_reserve_allows_retries_before_any_call() {
    check(&RetryBudget::new(0.2, 10, 1000), 0, 10);
}

#[test]
fn only_recent_calls_count_the_balance_is_capped() {
    check(&RetryBudget::new(0.5, 0, 10), 1000, 5);
}

#[test]
fn a_spent_budget_refills_with_new_calls() {
    let budget = RetryBudget::new(1.0, 0, 100);
    check(&budget, 3, 3);
    assert_eq!(budget.available(), 0);
    check(&budget, 2, 2);
}

#[test]
fn a_nonsense_ratio_allows_no_retries() {
    check(&RetryBudget::new(f64::NAN, 0, 100), 100, 0);
    check(&RetryBudget::new(-1.0, 0, 100), 100, 0);
}

#[test]
fn the_default_budget_is_a_reserve_of_ten_and_twenty_percent() {
    check(&RetryBudget::default(), 50, 20);
}

proptest::proptest! {
    #[test]
    fn retries_never_exceed_the_reserve_plus_the_ratio_of_calls(
        ratio_pct in 0u32..=100,
        reserve in 0u32..20,
        ops in proptest::collection::vec(proptest::bool::ANY, 0..400),
    ) {
        let budget = RetryBudget::new(f64::from(ratio_pct) / 100.0, reserve, 1_000);
        let (mut calls, mut retries) = (0u64, 0u64);
        for is_call in ops {
            if is_call {
                budget.deposit();
                calls += 1;
            } else if budget.try_withdraw() {
                retries += 1;
            }
        }
        proptest::prop_assert!(retries * 100 <= u64::from(reserve) * 100 + calls * u64::from(ratio_pct));
    }
}
