//! Property tests of the invariants docs/SPEC.md names, on random networks of up to thousands.

use crate::support;

use proptest::prelude::*;
use support::addr;
use tokenomics_core::{
    emission_for, schedule, Address, Amount, Category, CoreError, Delegator, EpochInputs,
    EpochPlan, Fees, Fraction, Miner, Params, SupplyLedger, Validator, Weighted, SCALE,
};

fn fraction() -> impl Strategy<Value = Fraction> {
    (0..=SCALE).prop_map(|p| Fraction::from_parts(p).unwrap())
}

fn amount() -> impl Strategy<Value = Amount> {
    // Up to ~10^9 MDT, including dust.
    (0..10u128.pow(27)).prop_map(Amount::from_base_units)
}

fn network() -> impl Strategy<Value = EpochInputs> {
    (
        (
            0u64..40_000_000,
            fraction(),
            fraction(),
            0..=21 * 10u128.pow(24),
            amount(),
        ),
        prop::collection::vec(fraction(), 0..2000),
        prop::collection::vec(amount(), 0..300),
        prop::collection::vec((amount(), 0u32..400), 0..300),
        prop::collection::vec(amount(), 0..20),
    )
        .prop_map(
            |((epoch, u, q, minted, pool), scores, stakes, delegations, weights)| {
                let mut next = 0u64;
                let mut fresh = || {
                    next += 1;
                    addr(next.wrapping_mul(0x9e37_79b9_7f4a_7c15))
                };
                EpochInputs {
                    epoch,
                    minted_supply: Amount::from_base_units(minted),
                    recycling_pool: pool,
                    utility_score: Some(u),
                    network: None,
                    quality_score: q,
                    fees: Fees::default(),
                    miners: scores
                        .into_iter()
                        .map(|score| Miner {
                            address: fresh(),
                            score,
                        })
                        .collect(),
                    validators: stakes
                        .into_iter()
                        .map(|stake| Validator {
                            address: fresh(),
                            stake,
                        })
                        .collect(),
                    delegators: delegations
                        .into_iter()
                        .map(|(stake, lock_days)| Delegator {
                            address: fresh(),
                            stake,
                            lock_days,
                        })
                        .collect(),
                    subnet_owners: weights
                        .iter()
                        .map(|&weight| Weighted {
                            address: fresh(),
                            weight,
                        })
                        .collect(),
                    infrastructure: weights
                        .into_iter()
                        .rev()
                        .map(|weight| Weighted {
                            address: fresh(),
                            weight,
                        })
                        .collect(),
                    community_address: fresh(),
                    dao_address: fresh(),
                }
            },
        )
}

fn paid(plan: &EpochPlan) -> Amount {
    Amount::checked_sum(plan.transfers.iter().map(|t| t.amount), "paid").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn transfers_sum_to_total_exactly(inputs in network()) {
        let plan = EpochPlan::build(&Params::default(), &inputs).unwrap();
        prop_assert_eq!(paid(&plan), plan.total);
        let by_category = Amount::checked_sum(plan.categories.values().copied(), "c").unwrap();
        prop_assert_eq!(by_category, plan.total);
    }

    #[test]
    fn a_mint_room_caps_from_mint_and_transfers_still_sum_to_total(
        inputs in network(), room in prop_oneof![amount(), (0u128..10u128.pow(21)).prop_map(Amount::from_base_units)],
    ) {
        let params = Params::default();
        let free = EpochPlan::build(&params, &inputs).unwrap();
        let plan = EpochPlan::build_within(&params, &inputs, Some(room)).unwrap();
        prop_assert!(plan.from_mint <= room);
        prop_assert_eq!(plan.from_mint, free.from_mint.min(room));
        prop_assert_eq!(plan.from_pool, free.from_pool);
        prop_assert_eq!(plan.total, plan.from_pool.checked_add(plan.from_mint, "t").unwrap());
        prop_assert_eq!(paid(&plan), plan.total);
        let lowered = room < free.from_mint;
        prop_assert_eq!(plan.mint_lowered_by_room(params.emission.max_supply, inputs.minted_supply), lowered);
        prop_assert_eq!(plan.plan_hash == free.plan_hash, !lowered, "the hash changes only with the mint");
    }

    #[test]
    fn a_plan_rebuilt_with_its_own_mint_as_the_room_is_the_same_plan(
        inputs in network(), room in prop::option::of(amount()),
    ) {
        let params = Params::default();
        let plan = EpochPlan::build_within(&params, &inputs, room).unwrap();
        let again = EpochPlan::build_within(&params, &inputs, Some(plan.from_mint)).unwrap();
        prop_assert_eq!(&again, &plan);
    }

    #[test]
    fn shuffling_the_inputs_gives_the_same_plan_and_hash(
        (inputs, shuffled) in network().prop_flat_map(|inputs| {
            let lists = (
                Just(inputs.miners.clone()).prop_shuffle(),
                Just(inputs.validators.clone()).prop_shuffle(),
                Just(inputs.delegators.clone()).prop_shuffle(),
                Just(inputs.subnet_owners.clone()).prop_shuffle(),
            );
            (Just(inputs), lists).prop_map(|(inputs, (m, v, d, s))| {
                let mut shuffled = inputs.clone();
                (shuffled.miners, shuffled.validators, shuffled.delegators, shuffled.subnet_owners) = (m, v, d, s);
                (inputs, shuffled)
            })
        })
    ) {
        let plan = EpochPlan::build(&Params::default(), &inputs).unwrap();
        let again = EpochPlan::build(&Params::default(), &shuffled).unwrap();
        prop_assert_eq!(&again, &plan);
        prop_assert_eq!(again.plan_hash, plan.plan_hash);
    }

    #[test]
    fn a_larger_weight_never_gets_less_and_zero_weight_gets_nothing(inputs in network()) {
        let plan = EpochPlan::build(&Params::default(), &inputs).unwrap();
        let paid_to = |a: Address| plan.transfers.iter()
            .find(|t| t.category == Category::Miners && t.to == a)
            .map_or(Amount::ZERO, |t| t.amount);
        let mut miners: Vec<_> = inputs.miners.iter().map(|m| (m.score, paid_to(m.address))).collect();
        miners.sort();
        for pair in miners.windows(2) {
            if pair[0].0 < pair[1].0 {
                prop_assert!(pair[0].1 <= pair[1].1, "{:?}", pair);
            }
        }
        for (score, amount) in &miners {
            if *score == Fraction::ZERO {
                prop_assert_eq!(*amount, Amount::ZERO);
            }
        }
    }

    #[test]
    fn transfers_are_ordered_by_category_then_address(inputs in network()) {
        let plan = EpochPlan::build(&Params::default(), &inputs).unwrap();
        for pair in plan.transfers.windows(2) {
            prop_assert!((pair[0].category, pair[0].to) < (pair[1].category, pair[1].to));
        }
    }

    #[test]
    fn emission_never_rises_across_a_halving(u in fraction(), q in fraction(), era in 0u64..130) {
        let params = Params::default().emission;
        let at = |era: u64| emission_for(&params, era * params.halving_interval, u, q).unwrap().emission;
        prop_assert!(at(era + 1) <= at(era));
    }

    #[test]
    fn minting_over_the_schedule_never_passes_max_supply(
        base in 1u128..10u128.pow(30), interval in 1u64..1000, max in 0u128..10u128.pow(30),
    ) {
        let mut params = Params::default().emission;
        params.base_reward = Amount::from_base_units(base);
        params.min_emission = Amount::from_base_units(base / 10);
        params.halving_interval = interval;
        params.max_supply = Amount::from_base_units(max);
        let eras = schedule(&params, None).unwrap();
        let total = Amount::checked_sum(eras.iter().map(|e| e.minted), "minted").unwrap();
        prop_assert!(total <= params.max_supply);
        prop_assert_eq!(eras.last().map_or(Amount::ZERO, |e| e.supply_at_end), total);
    }

    #[test]
    fn epoch_after_epoch_plans_never_mint_past_max_supply(
        u in fraction(), start in 0u64..40_000_000, epochs in 1usize..40,
    ) {
        let mut params = Params::default();
        params.emission.max_supply = Amount::from_mdt(20_000).unwrap();
        let mut ledger = SupplyLedger::new(params.emission.max_supply);
        let mut inputs = support::inputs(start, "1");
        inputs.utility_score = Some(u);
        for epoch in start..start + epochs as u64 {
            inputs.epoch = epoch;
            inputs.minted_supply = ledger.minted();
            let plan = EpochPlan::build(&params, &inputs).unwrap();
            ledger.apply(&plan).unwrap();
        }
        // One base unit past what is left to mint is refused, and changes nothing.
        let minted = ledger.minted();
        let over = ledger.mintable().checked_add(Amount::from_base_units(1), "over").unwrap();
        let refused = ledger.mint(over);
        prop_assert!(
            matches!(refused, Err(CoreError::MaxSupplyExceeded { .. })),
            "{:?}",
            refused
        );
        prop_assert_eq!(ledger.minted(), minted);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    /// Large groups are sorted by buckets of the first two address bytes; mixing random
    /// and clustered addresses checks both the bucket pass and the sort inside buckets.
    #[test]
    fn large_groups_are_ordered_by_address_whatever_the_input_order(
        addresses in prop::collection::hash_set(
            prop_oneof![
                prop::array::uniform20(any::<u8>()),
                prop::array::uniform4(any::<u8>()).prop_map(|tail| {
                    let mut bytes = [0x42u8; 20];
                    bytes[16..].copy_from_slice(&tail);
                    bytes
                }),
            ],
            5000..7000,
        ),
        seed in any::<u64>(),
    ) {
        let mut inputs = support::inputs(0, "1");
        inputs.miners = addresses
            .iter()
            .enumerate()
            .map(|(i, bytes)| Miner {
                address: Address::from_bytes(*bytes),
                score: Fraction::from_parts((i as u128 * 7919 + u128::from(seed)) % SCALE).unwrap(),
            })
            .collect();
        let plan = EpochPlan::build(&Params::default(), &inputs).unwrap();
        let miners: Vec<_> = plan.transfers.iter().filter(|t| t.category == Category::Miners).collect();
        prop_assert!(miners.windows(2).all(|pair| pair[0].to < pair[1].to));
        inputs.miners.reverse();
        prop_assert_eq!(EpochPlan::build(&Params::default(), &inputs).unwrap().plan_hash, plan.plan_hash);
        prop_assert_eq!(paid(&plan), plan.total);
    }
}
