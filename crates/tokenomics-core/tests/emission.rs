//! Pinned emission values: utility, quality, halving, floor, unmet quota, pool and cap.

use crate::support;

use support::{frac, inputs, mdt};
use tokenomics_core::{EpochInputs, EpochPlan, NetworkMetrics, Params};

/// Builds the plan of `inputs` under `params` and compares `field` of it to `expected` MDT.
#[track_caller]
fn check(params: &Params, inputs: &EpochInputs, field: &str, expected: &str) {
    let plan = EpochPlan::build(params, inputs).unwrap();
    let actual = match field {
        "emission" => plan.emission,
        "unmet_burned" => plan.unmet_burned,
        "fees_burned" => plan.fees_burned,
        "from_pool" => plan.from_pool,
        "from_mint" => plan.from_mint,
        "total" => plan.total,
        "recycling_pool_after" => plan.recycling_pool_after,
        other => panic!("unknown field {other}"),
    };
    assert_eq!(actual, mdt(expected), "{field}");
}

#[test]
fn full_utility_and_neutral_quality_emit_exactly_the_base_reward() {
    check(&Params::default(), &inputs(0, "1"), "emission", "1000");
    check(&Params::default(), &inputs(0, "1"), "total", "1000");
}

#[test]
fn half_utility_emits_half() {
    check(&Params::default(), &inputs(0, "0.5"), "emission", "500");
}

#[test]
fn epoch_at_the_halving_interval_halves_the_emission() {
    check(
        &Params::default(),
        &inputs(8_760_000, "1"),
        "emission",
        "500",
    );
    check(
        &Params::default(),
        &inputs(8_759_999, "1"),
        "emission",
        "1000",
    );
    check(
        &Params::default(),
        &inputs(2 * 8_760_000, "1"),
        "emission",
        "250",
    );
}

#[test]
fn tiny_utility_hits_the_minimum_emission_floor() {
    check(&Params::default(), &inputs(0, "0.001"), "emission", "100");
    check(&Params::default(), &inputs(0, "0"), "emission", "100");
}

#[test]
fn the_floor_halves_with_the_reward() {
    check(
        &Params::default(),
        &inputs(8_760_000, "0"),
        "emission",
        "50",
    );
}

#[test]
fn utility_from_network_metrics_is_exact() {
    // U = 0.4 * 0.5 + 0.3 * 0.8 + 0.3 * 0.9 = 0.71
    let mut i = inputs(0, "1");
    i.utility_score = None;
    i.network = Some(NetworkMetrics {
        task_volume: 5000,
        avg_task_difficulty: frac("0.8"),
        validator_participation: frac("0.9"),
    });
    check(&Params::default(), &i, "emission", "710");
}

#[test]
fn task_volume_saturates_at_max_expected_tasks() {
    let mut i = inputs(0, "1");
    i.utility_score = None;
    i.network = Some(NetworkMetrics {
        task_volume: 1_000_000,
        avg_task_difficulty: frac("1"),
        validator_participation: frac("1"),
    });
    check(&Params::default(), &i, "emission", "1000");
}

#[test]
fn quality_below_threshold_withholds_the_unmet_quota() {
    let mut i = inputs(0, "1");
    i.quality_score = frac("0.3");
    let plan = EpochPlan::build(&Params::default(), &i).unwrap();
    // unmet = floor(emission * 0.2); rewards = emission - unmet = total (pool empty).
    let expected_unmet = plan.emission.mul_div(2, 10, "test").unwrap();
    assert_eq!(plan.unmet_burned, expected_unmet);
    assert_eq!(
        plan.total,
        plan.emission.checked_sub(expected_unmet, "t").unwrap()
    );
}

#[test]
fn quality_at_or_above_threshold_withholds_nothing() {
    let mut i = inputs(0, "1");
    i.quality_score = frac("0.9");
    check(&Params::default(), &i, "unmet_burned", "0");
}

#[test]
fn high_quality_raises_emission_up_to_one_point_four() {
    let mut i = inputs(0, "1");
    i.quality_score = frac("1");
    let plan = EpochPlan::build(&Params::default(), &i).unwrap();
    assert!(plan.emission > mdt("1390") && plan.emission < mdt("1400"));
}

#[test]
fn fees_are_burned_by_rate_and_the_rest_recycled() {
    let mut i = inputs(0, "1");
    i.fees.transaction_fees = mdt("10"); // 5 burned, 5 recycled
    i.fees.slashing = mdt("10"); // 8 burned, 2 recycled
    i.fees.registration = mdt("0.000000000000000003"); // floor(1.5) = 1 burned, 2 recycled
    i.fees.task_fees = mdt("4"); // 0 burned, 4 recycled
    check(
        &Params::default(),
        &i,
        "fees_burned",
        "13.000000000000000001",
    );
    check(&Params::default(), &i, "from_pool", "11.000000000000000002");
    check(
        &Params::default(),
        &i,
        "from_mint",
        "988.999999999999999998",
    );
    check(&Params::default(), &i, "total", "1000");
}

#[test]
fn the_recycling_pool_pays_first_and_keeps_the_rest() {
    let mut i = inputs(0, "1");
    i.recycling_pool = mdt("1500");
    check(&Params::default(), &i, "from_pool", "1000");
    check(&Params::default(), &i, "from_mint", "0");
    check(&Params::default(), &i, "recycling_pool_after", "500");
}

#[test]
fn the_cap_stops_minting_at_max_supply() {
    let mut i = inputs(0, "1");
    i.minted_supply = mdt("20999999.5");
    check(&Params::default(), &i, "from_mint", "0.5");
    check(&Params::default(), &i, "total", "0.5");
    i.minted_supply = mdt("21000000");
    check(&Params::default(), &i, "from_mint", "0");
}

#[test]
fn minted_supply_above_max_supply_is_refused() {
    let mut i = inputs(0, "1");
    i.minted_supply = mdt("21000000.000000000000000001");
    let error = EpochPlan::build(&Params::default(), &i).unwrap_err();
    assert!(error.to_string().contains("minted_supply"), "{error}");
}

#[test]
fn utility_score_and_network_together_are_refused() {
    let mut i = inputs(0, "1");
    i.network = Some(NetworkMetrics {
        task_volume: 1,
        avg_task_difficulty: frac("0"),
        validator_participation: frac("0"),
    });
    let error = EpochPlan::build(&Params::default(), &i).unwrap_err();
    assert!(error.to_string().contains("not both"), "{error}");
}

#[test]
fn missing_utility_is_refused() {
    let mut i = inputs(0, "1");
    i.utility_score = None;
    let error = EpochPlan::build(&Params::default(), &i).unwrap_err();
    assert!(error.to_string().contains("required"), "{error}");
}
