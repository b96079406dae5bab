//! Plan benchmark: 1,000,000 miners + 10,000 validators + 100,000 delegators.
//!
//! Prints, from one run: the exact plan's time at 1/10 and full size and their ratio
//! (target: 10x the recipients costs at most 11x the time), the peak heap while
//! planning (target: at most 512 MiB), a naive f64-truncation split of the same
//! network as the baseline it is compared with (target: at most 2.5x), and the time
//! SHA-256 alone takes over as many bytes as the plan's two digests encode, the floor
//! no exact plan goes under. Times are CPU time of the whole process (every thread),
//! so work moved to a second thread still counts; wall time is printed beside it. The
//! plans' hashes must be the pinned ones: a faster plan that is not the same plan fails.
//! Ends with one JSON line of the figures.
//! Run: `cargo xtask bench plan` (or `cargo bench --bench plan`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use tokenomics_core::{
    Address, Amount, Delegator, EpochInputs, EpochPlan, Fees, Fraction, Miner, Params, Validator,
    Weighted, SCALE,
};

#[path = "support/peak_alloc.rs"]
mod peak_alloc;

#[global_allocator]
static ALLOCATOR: peak_alloc::PeakAlloc = peak_alloc::PeakAlloc;

/// A small deterministic pseudo-random source (xorshift64).
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn address(&mut self) -> Address {
        let mut bytes = [0u8; 20];
        bytes[..8].copy_from_slice(&self.next().to_be_bytes());
        bytes[8..16].copy_from_slice(&self.next().to_be_bytes());
        Address::from_bytes(bytes)
    }
}

/// A deterministic network of the given sizes.
fn network(miners: u64, validators: u64, delegators: u64) -> EpochInputs {
    let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
    let miners = (0..miners)
        .map(|_| Miner {
            address: rng.address(),
            score: Fraction::from_parts(u128::from(rng.next()) % SCALE).unwrap_or(Fraction::ONE),
        })
        .collect();
    let validators = (0..validators)
        .map(|_| Validator {
            address: rng.address(),
            stake: Amount::from_base_units(u128::from(rng.next()) * 1_000_000),
        })
        .collect();
    let delegators = (0..delegators)
        .map(|_| Delegator {
            address: rng.address(),
            stake: Amount::from_base_units(u128::from(rng.next()) * 1_000),
            lock_days: (rng.next() % 400) as u32,
        })
        .collect();
    let mut weighted = |n: u128| -> Vec<Weighted> {
        (0..n)
            .map(|i| Weighted {
                address: rng.address(),
                weight: Amount::from_base_units(i + 1),
            })
            .collect()
    };
    let subnet_owners = weighted(64);
    let infrastructure = weighted(16);
    EpochInputs {
        epoch: 1000,
        minted_supply: Amount::ZERO,
        recycling_pool: Amount::ZERO,
        utility_score: Some(Fraction::from_parts(SCALE * 67 / 100).unwrap_or(Fraction::ONE)),
        network: None,
        quality_score: Fraction::HALF,
        fees: Fees::default(),
        miners,
        validators,
        delegators,
        subnet_owners,
        infrastructure,
        community_address: rng.address(),
        dao_address: rng.address(),
    }
}

/// The naive baseline: `(total * w / W) as u128` in f64, per category, no remainder rule.
fn naive_f64_split(inputs: &EpochInputs, total: f64) -> Vec<(Address, u128)> {
    let shares = [0.35, 0.28, 0.12];
    let groups: [Vec<(Address, f64)>; 3] = [
        inputs
            .miners
            .iter()
            .map(|m| (m.address, m.score.parts() as f64))
            .collect(),
        inputs
            .validators
            .iter()
            .map(|v| (v.address, v.stake.base_units() as f64))
            .collect(),
        inputs
            .delegators
            .iter()
            .map(|d| (d.address, d.stake.base_units() as f64))
            .collect(),
    ];
    let mut out = Vec::with_capacity(groups.iter().map(Vec::len).sum());
    for (group, share) in groups.iter().zip(shares) {
        let sum: f64 = group.iter().map(|(_, w)| w).sum();
        out.extend(
            group
                .iter()
                .map(|(a, w)| (*a, (total * share * w / sum) as u128)),
        );
    }
    out
}

/// The plan hashes of the two networks, from before the plan was made fast: the
/// benchmark times the same plans, byte for byte.
const PINNED: [(&str, &str); 2] = [
    (
        "small",
        "18872104d1beb0bcc7f3bb08bb86213785234fb28b28ae0bba561d55411211b7",
    ),
    (
        "full",
        "a3702e12f86ca336d1b2f4f58cf708249529b49e18f5023db3ba87753a2c9070",
    ),
];

/// On-CPU time of the process (all threads) and wall-clock time of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Timing {
    cpu: Duration,
    wall: Duration,
}

/// Times one run of `f`.
fn time(f: impl FnOnce()) -> Timing {
    let (start, cpu) = (Instant::now(), cpu_time::ProcessTime::now());
    f();
    Timing {
        cpu: cpu.elapsed(),
        wall: start.elapsed(),
    }
}

/// The middle value (of an odd number of values).
fn median<T: PartialOrd + Copy>(mut values: Vec<T>) -> T {
    values.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    values[values.len() / 2]
}

fn ms(t: Timing) -> f64 {
    t.cpu.as_secs_f64() * 1e3
}

fn wall_ms(t: Timing) -> f64 {
    t.wall.as_secs_f64() * 1e3
}

/// Rounds to 0.01 for the JSON line.
fn r2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Rounds of measurements; each round times every series once, so a change in the
/// machine's load hits all of them alike, and ratios are taken within a round.
const ROUNDS: usize = 9;

fn main() {
    let params = Params::default();
    let small = network(100_000, 1_000, 10_000);
    let full = network(1_000_000, 10_000, 100_000);
    let recipients = |i: &EpochInputs| i.miners.len() + i.validators.len() + i.delegators.len();

    for ((name, pinned), inputs) in PINNED.iter().zip([&small, &full]) {
        let hash = EpochPlan::build(&params, inputs).map(|p| p.plan_hash.to_string());
        if hash.as_deref() != Ok(*pinned) {
            eprintln!("the {name} plan changed: plan hash {hash:?}, pinned {pinned}");
            std::process::exit(1);
        }
    }

    let plan = |inputs: &EpochInputs| {
        EpochPlan::build(&params, inputs).map(|p| black_box(p).transfers.len())
    };
    let before = peak_alloc::reset_peak();
    let transfers = plan(&full).unwrap_or(0);
    let peak = peak_alloc::peak();
    // What the inputs digest (40 bytes a recipient) and the plan hash (37 bytes a
    // transfer) feed SHA-256, give or take a few hundred bytes of figures.
    let encoded = vec![0x5au8; 40 * recipients(&full) + 37 * transfers];

    let _ = plan(&small); // warm up
    let rounds: Vec<[Timing; 4]> = (0..ROUNDS)
        .map(|_| {
            [
                time(|| drop(plan(&small))),
                time(|| drop(plan(&full))),
                time(|| {
                    black_box(naive_f64_split(&full, 670e18));
                }),
                time(|| {
                    black_box(Sha256::digest(black_box(&encoded)));
                }),
            ]
        })
        .collect();
    let series = |k: usize| median(rounds.iter().map(|r| r[k]).collect());
    let (t_small, t_full, t_naive, t_sha) = (series(0), series(1), series(2), series(3));
    let scale = median(rounds.iter().map(|r| ms(r[1]) / ms(r[0])).collect());
    let ratio = median(rounds.iter().map(|r| ms(r[1]) / ms(r[2])).collect());

    let mib = |bytes: usize| bytes as f64 / (1024.0 * 1024.0);
    let peak_mib = mib(peak);
    println!(
        "plan benchmark (median of {ROUNDS} rounds, release build, {}): process CPU time [wall time]",
        peak_alloc::NAME
    );
    let row =
        |label: &str, t: Timing| println!("  {label:<48} {:>8.1} ms [{:.1} ms]", ms(t), wall_ms(t));
    row(
        &format!("exact plan, {} recipients", recipients(&small)),
        t_small,
    );
    row(
        &format!("exact plan, {} recipients", recipients(&full)),
        t_full,
    );
    println!("    {transfers} transfers; both plan hashes are the pinned ones");
    println!("  10x recipients costs {scale:.2}x the time   (target <= 11x; median of the rounds' ratios)");
    row("naive f64-truncation split, full (baseline)", t_naive);
    println!("  exact / naive time: {ratio:.2}x   (target <= 2.5x; median of the rounds' ratios)");
    row(
        &format!(
            "SHA-256 alone over {:.1} MB (the digests' floor)",
            encoded.len() as f64 / 1e6
        ),
        t_sha,
    );
    println!(
        "  heap: inputs {:.1} MiB, peak while planning {peak_mib:.1} MiB, inputs included   (target <= 512 MiB)",
        mib(before),
    );
    let json = serde_json::json!({
        "bench": "plan",
        "recipients": recipients(&full),
        "exact_ms": r2(ms(t_full)),
        "naive_ms": r2(ms(t_naive)),
        "ratio_to_naive": r2(ratio),
        "scale_10x": r2(scale),
        "peak_heap_mib": r2(peak_mib),
        "exact_wall_ms": r2(wall_ms(t_full)),
        "naive_wall_ms": r2(wall_ms(t_naive)),
        "sha256_floor_ms": r2(ms(t_sha)),
        "allocator": peak_alloc::NAME,
    });
    println!("{json}");
}
