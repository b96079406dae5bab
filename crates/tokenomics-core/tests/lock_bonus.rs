//! Delegators' lock bonus tiers: the bonus of the highest threshold reached, and a table
//! whose bonus falls as the lock grows is refused, naming the entry.

use proptest::prelude::*;
use tokenomics_core::{CoreError, DistributionParams, Params};

fn params(lock_bonus: Vec<(u32, u32)>) -> Params {
    Params {
        distribution: DistributionParams {
            lock_bonus,
            ..DistributionParams::default()
        },
        ..Params::default()
    }
}

/// `lock_days` earns `bonus` bps under `table`.
#[track_caller]
fn check(table: &[(u32, u32)], lock_days: u32, bonus: u32) {
    let params = params(table.to_vec());
    assert_eq!(params.validate(), Ok(()), "{table:?} must be valid");
    assert_eq!(
        params.distribution.lock_bonus_bps(lock_days),
        bonus,
        "{lock_days} days under {table:?}"
    );
}

/// `table` is refused with a reason containing `reason`.
#[track_caller]
fn check_refused(table: &[(u32, u32)], reason: &str) {
    match params(table.to_vec()).validate() {
        Err(CoreError::InvalidParameter { field, reason: got }) => {
            assert_eq!(field, "distribution.lock_bonus");
            assert!(got.contains(reason), "{reason:?} not in {got:?}");
        }
        other => panic!("{table:?}: expected a refusal, got {other:?}"),
    }
}

#[test]
fn the_default_tiers_give_the_bonus_of_the_highest_threshold_reached() {
    let table = DistributionParams::default().lock_bonus;
    check(&table, 0, 0);
    check(&table, 29, 0);
    check(&table, 30, 1000);
    check(&table, 89, 1000);
    check(&table, 90, 2500);
    check(&table, 365, 10000);
    check(&table, u32::MAX, 10000);
}

#[test]
fn an_equal_bonus_on_a_longer_lock_is_allowed() {
    check(&[(30, 1000), (90, 1000)], 90, 1000);
}

#[test]
fn a_falling_bonus_is_refused_naming_the_entry() {
    check_refused(
        &[(30, 1000), (90, 2500), (180, 500)],
        "entry [180, 500] (index 2): the bonus falls as the lock grows (500 bps after 2500 bps at 90 days)",
    );
}

#[test]
fn thresholds_out_of_order_are_refused_naming_the_entry() {
    check_refused(&[(90, 1000), (30, 2000)], "entry [30, 2000] (index 1)");
}

/// Tables with strictly ascending thresholds and never-falling bonuses.
fn valid_table() -> impl Strategy<Value = Vec<(u32, u32)>> {
    prop::collection::btree_map(0u32..1000, 0u32..5000, 0..8).prop_map(|tiers| {
        let mut bonus = 0;
        tiers
            .into_iter()
            .map(|(days, step)| {
                bonus += step;
                (days, bonus)
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn a_valid_table_gives_the_bonus_of_the_highest_threshold_reached(
        table in valid_table(),
        lock_days in 0u32..1200,
    ) {
        let expected = table
            .iter()
            .rev()
            .find(|(min_days, _)| *min_days <= lock_days)
            .map_or(0, |(_, bonus)| *bonus);
        check(&table, lock_days, expected);
    }

    #[test]
    fn lowering_any_later_bonus_below_its_predecessor_is_refused(
        table in valid_table().prop_filter("two tiers at least", |t| t.len() >= 2),
        pick in any::<prop::sample::Index>(),
    ) {
        let mut table = table;
        let index = 1 + pick.index(table.len() - 1);
        let before = table[index - 1].1;
        prop_assume!(before > 0);
        table[index].1 = before - 1;
        let (days, bonus) = table[index];
        check_refused(&table, &format!("entry [{days}, {bonus}] (index {index})"));
    }
}
