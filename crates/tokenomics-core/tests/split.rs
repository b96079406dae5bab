//! Pinned split rules: category shares, redirection to the DAO, tie-breaks, ordering.

use crate::support;

use support::{addr, frac, inputs, mdt};
use tokenomics_core::{
    Amount, Category, CoreError, Delegator, EpochInputs, EpochPlan, Miner, Params, Weighted,
};

/// Builds the plan and compares the transfer list to `expected` (address, MDT, category).
#[track_caller]
fn check(params: &Params, inputs: &EpochInputs, expected: &[(u64, &str, Category)]) {
    let plan = EpochPlan::build(params, inputs).unwrap();
    let actual: Vec<_> = plan
        .transfers
        .iter()
        .map(|t| (t.to, t.amount, t.category))
        .collect();
    let expected: Vec<_> = expected
        .iter()
        .map(|&(n, amount, category)| (addr(n), mdt(amount), category))
        .collect();
    assert_eq!(actual, expected);
}

#[test]
fn default_split_pays_every_category_its_share_and_empty_ones_go_to_the_dao() {
    // total 1000: miners 350, validators 280, community 100, dao 50
    // + infrastructure 20 + delegators 120 + subnet owners 80 (empty) = 270.
    check(
        &Params::default(),
        &inputs(0, "1"),
        &[
            (1, "350", Category::Miners),
            (2, "280", Category::Validators),
            (0xc0, "100", Category::Community),
            (0xd0, "270", Category::Dao),
        ],
    );
}

#[test]
fn custom_split_40_40_0_0_0_0_20_sends_twenty_percent_to_the_dao() {
    let mut params = Params::default();
    let d = &mut params.distribution;
    (d.miners, d.validators, d.infrastructure, d.delegators) = (4000, 4000, 0, 0);
    (d.community, d.subnet_owners, d.dao) = (0, 0, 2000);
    check(
        &params,
        &inputs(0, "1"),
        &[
            (1, "400", Category::Miners),
            (2, "400", Category::Validators),
            (0xd0, "200", Category::Dao),
        ],
    );
}

#[test]
fn categories_report_what_is_paid_after_redirection() {
    let plan = EpochPlan::build(&Params::default(), &inputs(0, "1")).unwrap();
    let paid = |c| plan.categories[&c];
    assert_eq!(paid(Category::SubnetOwners), Amount::ZERO);
    assert_eq!(paid(Category::Infrastructure), Amount::ZERO);
    assert_eq!(paid(Category::Dao), mdt("270"));
}

#[test]
fn a_category_whose_weights_sum_to_zero_counts_as_empty() {
    let mut i = inputs(0, "1");
    i.miners[0].score = frac("0");
    let plan = EpochPlan::build(&Params::default(), &i).unwrap();
    assert_eq!(plan.categories[&Category::Miners], Amount::ZERO);
    assert_eq!(plan.categories[&Category::Dao], mdt("620"));
}

#[test]
fn leftover_units_go_to_the_largest_remainders_then_the_lower_address() {
    // 350 MDT over three equal miners: 116.666...; the two leftover units go to the
    // two lowest addresses (all remainders are equal).
    let mut i = inputs(0, "1");
    i.miners = [7, 3, 5]
        .iter()
        .map(|&n| Miner {
            address: addr(n),
            score: frac("0.5"),
        })
        .collect();
    i.validators.clear();
    let third = "116.666666666666666666";
    check(
        &Params::default(),
        &i,
        &[
            (3, "116.666666666666666667", Category::Miners),
            (5, "116.666666666666666667", Category::Miners),
            (7, third, Category::Miners),
            (0xc0, "100", Category::Community),
            (0xd0, "550", Category::Dao),
        ],
    );
}

#[test]
fn category_leftovers_go_to_the_largest_remainders_in_category_order() {
    // 1 base unit: every category's exact share is below one unit; the largest
    // remainder is the miners' (3500), so the miners get the unit.
    let mut i = inputs(0, "1");
    i.minted_supply = mdt("20999999.999999999999999999");
    check(
        &Params::default(),
        &i,
        &[(1, "0.000000000000000001", Category::Miners)],
    );
}

#[test]
fn delegators_with_longer_locks_get_the_bonus() {
    let mut i = inputs(0, "1");
    i.delegators = vec![
        Delegator {
            address: addr(10),
            stake: mdt("100"),
            lock_days: 0,
        },
        Delegator {
            address: addr(11),
            stake: mdt("100"),
            lock_days: 90,
        },
    ];
    let plan = EpochPlan::build(&Params::default(), &i).unwrap();
    let got: Vec<_> = plan
        .transfers
        .iter()
        .filter(|t| t.category == Category::Delegators)
        .map(|t| t.amount)
        .collect();
    // 120 MDT in the ratio 1 : 1.25.
    assert_eq!(
        got,
        vec![mdt("53.333333333333333333"), mdt("66.666666666666666667")]
    );
}

#[test]
fn zero_amount_transfers_are_left_out() {
    let mut i = inputs(0, "1");
    i.infrastructure = vec![
        Weighted {
            address: addr(20),
            weight: mdt("1"),
        },
        Weighted {
            address: addr(21),
            weight: mdt("0"),
        },
    ];
    let plan = EpochPlan::build(&Params::default(), &i).unwrap();
    assert!(plan.transfers.iter().all(|t| !t.amount.is_zero()));
    assert!(plan.transfers.iter().all(|t| t.to != addr(21)));
}

#[test]
fn a_duplicate_address_in_a_category_is_refused() {
    let mut i = inputs(0, "1");
    i.miners.push(i.miners[0].clone());
    let error = EpochPlan::build(&Params::default(), &i).unwrap_err();
    assert!(matches!(
        error,
        CoreError::DuplicateAddress {
            category: "miners",
            ..
        }
    ));
}

#[test]
fn the_same_address_may_appear_in_different_categories() {
    let mut i = inputs(0, "1");
    i.validators[0].address = addr(1);
    assert!(EpochPlan::build(&Params::default(), &i).is_ok());
}

#[test]
fn shares_that_do_not_sum_to_ten_thousand_are_refused() {
    let mut params = Params::default();
    params.distribution.dao = 501;
    let error = EpochPlan::build(&params, &inputs(0, "1")).unwrap_err();
    assert!(error.to_string().contains("10001"), "{error}");
}

#[test]
fn plan_json_uses_decimal_mdt_strings_and_category_names() {
    let plan = EpochPlan::build(&Params::default(), &inputs(0, "1")).unwrap();
    let json = serde_json::to_value(&plan).unwrap();
    assert_eq!(json["total"], "1000");
    assert_eq!(json["categories"]["subnet_owners"], "0");
    assert_eq!(json["transfers"][0]["category"], "miners");
    assert_eq!(json["transfers"][0]["to"], addr(1).to_string());
    let back: EpochPlan = serde_json::from_value(json).unwrap();
    assert_eq!(back, plan);
    assert_eq!(back.compute_hash(), plan.plan_hash);
}

#[test]
fn a_duplicate_address_in_a_large_category_is_refused() {
    let mut i = inputs(0, "1");
    i.miners = (0..5000u64)
        .map(|n| Miner {
            address: addr(n.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1 << 60),
            score: frac("0.5"),
        })
        .collect();
    i.miners.push(i.miners[1234].clone());
    let error = EpochPlan::build(&Params::default(), &i).unwrap_err();
    assert!(
        matches!(
            error,
            CoreError::DuplicateAddress {
                category: "miners",
                ..
            }
        ),
        "{error}"
    );
}
