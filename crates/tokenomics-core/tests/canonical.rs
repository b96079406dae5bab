//! The inputs digest and plan hash, byte for byte: pinned values of fixed networks, and
//! a plain field-by-field re-encoding (the layout docs/SPEC.md describes) on random ones.

use proptest::prelude::*;
use sha2::{Digest, Sha256};
use tokenomics_core::{
    Address, Amount, Delegator, EpochInputs, EpochPlan, Fees, Fraction, Miner, NetworkMetrics,
    Params, Validator, Weighted, SCALE,
};

/// A deterministic pseudo-random source (xorshift64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Random addresses; with `clustered`, most share their first bytes (long runs of
    /// equal radix digits, ties broken deep inside the address).
    fn address(&mut self, clustered: bool) -> Address {
        let mut bytes = [0u8; 20];
        bytes[..8].copy_from_slice(&self.next().to_be_bytes());
        bytes[8..16].copy_from_slice(&self.next().to_be_bytes());
        bytes[16..].copy_from_slice(&self.next().to_be_bytes()[..4]);
        if clustered {
            let shared = (self.next() % 4) as usize * 5;
            bytes[..shared].fill(0x42);
        }
        Address::from_bytes(bytes)
    }
}

/// A network of `sizes` (miners, validators, delegators, owners, infrastructure).
fn network(seed: u64, sizes: [usize; 5], clustered: bool) -> EpochInputs {
    let mut rng = Rng(seed);
    let a = |rng: &mut Rng| rng.address(clustered);
    let miners = (0..sizes[0])
        .map(|i| Miner {
            address: a(&mut rng),
            // Every 7th score is zero: zero weights pay nothing.
            score: Fraction::from_parts(u128::from(rng.next()) % SCALE * u128::from(i % 7 != 0))
                .unwrap(),
        })
        .collect();
    let validators = (0..sizes[1])
        .map(|_| Validator {
            address: a(&mut rng),
            // Up to ~1.8e16 MDT: the share's product overflows 128 bits.
            stake: Amount::from_base_units(u128::from(rng.next()) * 10u128.pow(15)),
        })
        .collect();
    let delegators = (0..sizes[2])
        .map(|_| Delegator {
            address: a(&mut rng),
            stake: Amount::from_base_units(u128::from(rng.next()) * 1_000),
            lock_days: (rng.next() % 400) as u32,
        })
        .collect();
    let weighted = |n: usize, rng: &mut Rng| -> Vec<Weighted> {
        (0..n)
            .map(|i| Weighted {
                address: a(rng),
                weight: Amount::from_base_units(i as u128 * 3 + 1),
            })
            .collect()
    };
    let subnet_owners = weighted(sizes[3], &mut rng);
    let infrastructure = weighted(sizes[4], &mut rng);
    EpochInputs {
        epoch: 1000 + seed % 1000,
        minted_supply: Amount::from_base_units(u128::from(seed % 20_000_000) * SCALE),
        recycling_pool: Amount::from_base_units(123_456_789_000_000_000),
        utility_score: None,
        network: Some(NetworkMetrics {
            task_volume: 50_000,
            avg_task_difficulty: "0.7".parse().unwrap(),
            validator_participation: "0.9".parse().unwrap(),
        }),
        quality_score: "0.6".parse().unwrap(),
        fees: Fees {
            transaction_fees: "12.5".parse().unwrap(),
            slashing: "3".parse().unwrap(),
            registration: "0.000000000000000007".parse().unwrap(),
            task_fees: "1".parse().unwrap(),
        },
        miners,
        validators,
        delegators,
        subnet_owners,
        infrastructure,
        community_address: a(&mut rng),
        dao_address: a(&mut rng),
    }
}

/// Big-endian fields into SHA-256, one `update` each, exactly as written down.
struct Encoder(Sha256);

impl Encoder {
    fn new(domain: &str) -> Self {
        let mut e = Encoder(Sha256::new());
        e.u64(domain.len() as u64);
        e.0.update(domain.as_bytes());
        e
    }
    fn u64(&mut self, v: u64) {
        self.0.update(v.to_be_bytes());
    }
    fn u128(&mut self, v: u128) {
        self.0.update(v.to_be_bytes());
    }
    fn finish(self) -> String {
        self.0
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// The inputs digest, re-encoded from the inputs with no code of the crate's.
fn reference_inputs_digest(p: &Params, inputs: &EpochInputs, plan: &EpochPlan) -> String {
    let mut h = Encoder::new("moderntensor/epoch-inputs/v1");
    let e = &p.emission;
    for amount in [e.max_supply, e.base_reward, e.min_emission] {
        h.u128(amount.base_units());
    }
    h.u64(e.halving_interval);
    h.u64(e.max_expected_tasks);
    e.utility_weights.iter().for_each(|w| h.u128(w.parts()));
    h.u128(e.quality_threshold.parts());
    h.u128(e.quality_steepness.parts());
    p.distribution
        .shares()
        .iter()
        .for_each(|&s| h.u64(s.into()));
    h.u64(p.distribution.lock_bonus.len() as u64);
    for &(days, bps) in &p.distribution.lock_bonus {
        h.u64(days.into());
        h.u64(bps.into());
    }
    let b = &p.burn;
    for rate in [b.transaction_fees, b.slashing, b.registration, b.task_fees] {
        h.u128(rate.parts());
    }
    h.u64(inputs.epoch);
    h.u128(inputs.minted_supply.base_units());
    h.u128(inputs.recycling_pool.base_units());
    match &inputs.network {
        Some(n) => {
            h.u64(1);
            h.u64(n.task_volume);
            h.u128(n.avg_task_difficulty.parts());
            h.u128(n.validator_participation.parts());
        }
        None => h.u64(0),
    }
    h.u128(plan.utility_score.parts());
    h.u128(inputs.quality_score.parts());
    let f = &inputs.fees;
    for fee in [f.transaction_fees, f.slashing, f.registration, f.task_fees] {
        h.u128(fee.base_units());
    }
    let plain = |list: Vec<(Address, u128)>| list.into_iter().map(|(a, w)| (a, w, 0)).collect();
    let bonus = |d: &Delegator| 10_000 + u128::from(p.distribution.lock_bonus_bps(d.lock_days));
    let groups: [Vec<(Address, u128, u32)>; 5] = [
        plain(
            inputs
                .miners
                .iter()
                .map(|m| (m.address, m.score.parts()))
                .collect(),
        ),
        plain(
            inputs
                .validators
                .iter()
                .map(|v| (v.address, v.stake.base_units()))
                .collect(),
        ),
        plain(
            inputs
                .infrastructure
                .iter()
                .map(|w| (w.address, w.weight.base_units()))
                .collect(),
        ),
        (inputs.delegators.iter())
            .map(|d| (d.address, d.stake.base_units() * bonus(d), d.lock_days))
            .collect(),
        plain(
            inputs
                .subnet_owners
                .iter()
                .map(|w| (w.address, w.weight.base_units()))
                .collect(),
        ),
    ];
    let [miners, validators, infrastructure, delegators, owners] = groups;
    for mut group in [
        miners,
        validators,
        infrastructure,
        delegators,
        vec![],
        owners,
        vec![],
    ] {
        group.sort_by_key(|r| r.0);
        h.u64(group.len() as u64);
        for (address, weight, lock_days) in group {
            h.0.update(address.as_bytes());
            h.u128(weight);
            h.0.update(lock_days.to_be_bytes());
        }
    }
    h.0.update(inputs.community_address.as_bytes());
    h.0.update(inputs.dao_address.as_bytes());
    h.finish()
}

/// The plan hash, re-encoded from the plan's public fields.
fn reference_plan_hash(plan: &EpochPlan) -> String {
    let mut h = Encoder::new("moderntensor/epoch-plan/v1");
    h.u64(plan.epoch);
    h.u64(32);
    h.0.update(plan.inputs_digest.as_bytes());
    h.u64(plan.halvings);
    h.u128(plan.utility_score.parts());
    h.u128(plan.quality_multiplier.parts());
    for amount in [
        plan.emission,
        plan.unmet_burned,
        plan.fees_burned,
        plan.from_pool,
        plan.from_mint,
        plan.total,
        plan.recycling_pool_after,
    ] {
        h.u128(amount.base_units());
    }
    for category in tokenomics_core::Category::ALL {
        h.u128(plan.categories.get(&category).map_or(0, |a| a.base_units()));
    }
    h.u64(plan.transfers.len() as u64);
    for t in &plan.transfers {
        h.0.update([t.category.index() as u8]);
        h.0.update(t.to.as_bytes());
        h.u128(t.amount.base_units());
    }
    h.finish()
}

/// Builds the plan of `inputs` and compares (inputs digest, plan hash) with `expected`:
/// the pinned values, or the re-encoding when `expected` is `None`.
#[track_caller]
fn check(inputs: &EpochInputs, expected: Option<(&str, &str)>) {
    let params = Params::default();
    let plan = EpochPlan::build(&params, inputs).unwrap();
    let actual = (plan.inputs_digest.to_string(), plan.plan_hash.to_string());
    let expected = expected.map_or_else(
        || {
            (
                reference_inputs_digest(&params, inputs, &plan),
                reference_plan_hash(&plan),
            )
        },
        |(digest, hash)| (digest.to_string(), hash.to_string()),
    );
    assert_eq!(actual, expected);
}

#[test]
fn the_digest_and_hash_of_fixed_networks_never_change() {
    check(
        &network(1, [20_000, 3_000, 5_000, 40, 12], false),
        Some((
            "b9cb7fb8b523b7f3e153376c8f4e93ea624ab19d7f679ecf766b2e1418085974",
            "6975aafcb13ecda7da596fba17ff20b3d4cd458caddbce5c567d78daae26373d",
        )),
    );
    check(
        &network(2, [9_000, 0, 6_000, 0, 3], true),
        Some((
            "6dd5a08fbce88c614cae9f5c205ae4b2d262f8ec961a35625fb00513d7c179ce",
            "316de2434744eb0a3a8bf916b8db943bfb5c86d7b590103709e60ef071b9777f",
        )),
    );
    check(
        &network(3, [0, 5_000, 0, 7, 0], true),
        Some((
            "8b1bd55e6037f0cc7489ff33953e751d24f677edd8780d93dff0b2e5b24f17d2",
            "1bbb48936ddebe25b5a817a8e9bf42063c1754dc410a4fcf463ea1abb5765c31",
        )),
    );
    check(
        &network(4, [1, 1, 1, 1, 1], false),
        Some((
            "a2d0ba67fab48ab64da950a28f1d84f14992f60a02dcf5270e14ec2bac006968",
            "820d2d9f4aec3185c2bdc3ce217af8bfea20090a20bd12e9708bb02dccc0cb86",
        )),
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn the_digest_and_hash_are_sha256_of_the_documented_encoding(
        seed in 1u64..u64::MAX,
        miners in prop_oneof![0usize..50, 4_000usize..9_000],
        validators in 0usize..300,
        delegators in prop_oneof![0usize..50, 4_000usize..6_000],
        owners in 0usize..30,
        infrastructure in 0usize..30,
        clustered in any::<bool>(),
    ) {
        check(&network(seed, [miners, validators, delegators, owners, infrastructure], clustered), None);
    }
}
