//! The supply ledger and the era-by-era schedule.

use tokenomics_core::{schedule, Amount, CoreError, EmissionParams, SupplyLedger};

fn mdt(text: &str) -> Amount {
    text.parse().unwrap()
}

#[test]
fn circulating_is_minted_minus_burned() {
    let mut ledger = SupplyLedger::new(mdt("100"));
    ledger.mint(mdt("60")).unwrap();
    ledger.burn(mdt("15")).unwrap();
    assert_eq!(
        (ledger.minted(), ledger.burned(), ledger.circulating()),
        (mdt("60"), mdt("15"), mdt("45"))
    );
    assert_eq!(ledger.mintable(), mdt("40"));
    assert_eq!(ledger.max_supply(), mdt("100"));
}

#[test]
fn minting_past_max_supply_is_refused_and_changes_nothing() {
    let mut ledger = SupplyLedger::new(mdt("100"));
    ledger.mint(mdt("100")).unwrap();
    let error = ledger.mint(mdt("0.000000000000000001")).unwrap_err();
    assert!(matches!(error, CoreError::MaxSupplyExceeded { .. }));
    assert_eq!(ledger.minted(), mdt("100"));
}

#[test]
fn burning_more_than_circulates_is_refused() {
    let mut ledger = SupplyLedger::new(mdt("100"));
    ledger.mint(mdt("1")).unwrap();
    assert!(ledger.burn(mdt("2")).is_err());
    assert_eq!(ledger.burned(), Amount::ZERO);
}

/// One expected row: era, start, end, MDT per epoch, MDT supply at end, capped at.
type Row<'a> = (u64, u64, u64, &'a str, &'a str, Option<u64>);

/// Compares the schedule's (era, start, end, per epoch, supply at end, capped at) rows.
#[track_caller]
fn check(params: &EmissionParams, horizon: Option<u64>, expected: &[Row<'_>]) {
    let eras = schedule(params, horizon).unwrap();
    let actual: Vec<_> = eras
        .iter()
        .map(|e| {
            (
                e.index,
                e.start_epoch,
                e.end_epoch,
                e.emission_per_epoch,
                e.supply_at_end,
                e.capped_at_epoch,
            )
        })
        .collect();
    let expected: Vec<_> = expected
        .iter()
        .map(|&(i, s, e, per, supply, cap)| (i, s, e, mdt(per), mdt(supply), cap))
        .collect();
    assert_eq!(actual, expected);
}

#[test]
fn default_schedule_reaches_max_supply_in_epoch_20999_of_the_first_era() {
    check(
        &EmissionParams::default(),
        None,
        &[(0, 0, 8_760_000, "1000", "21000000", Some(20_999))],
    );
}

#[test]
fn schedule_halves_per_era_until_the_horizon() {
    let params = EmissionParams {
        halving_interval: 10,
        ..EmissionParams::default()
    };
    check(
        &params,
        Some(25),
        &[
            (0, 0, 10, "1000", "10000", None),
            (1, 10, 20, "500", "15000", None),
            (2, 20, 25, "250", "16250", None),
        ],
    );
}

#[test]
fn schedule_stops_when_emission_reaches_zero() {
    let params = EmissionParams {
        halving_interval: 1,
        base_reward: Amount::from_base_units(4),
        min_emission: Amount::ZERO,
        ..EmissionParams::default()
    };
    let eras = schedule(&params, None).unwrap();
    assert_eq!(eras.len(), 3);
    assert_eq!(eras[2].supply_at_end, Amount::from_base_units(7));
}

#[test]
fn schedule_refuses_a_zero_halving_interval() {
    let params = EmissionParams {
        halving_interval: 0,
        ..EmissionParams::default()
    };
    assert!(schedule(&params, None).is_err());
}
