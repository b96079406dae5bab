//! Plan benchmark: 1,000,000 miners + 10,000 validators + 100,000 delegators.
//!
//! Prints, from one run: the exact plan's time at 1/10 and full size and their ratio
//! (target: 10x the recipients costs at most 11x the time, at most 250 ms per full
//! plan), the peak heap while planning (target: at most 512 MiB), and a naive
//! f64-truncation split of the same network as the baseline it is compared with.
//! Run: `cargo xtask bench plan` (or `cargo bench --bench plan`).

use std::hint::black_box;
use std::time::{Duration, Instant};

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

/// Wall-clock and on-CPU time of one run (CPU time is what other load cannot inflate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Timing {
    cpu: Duration,
    wall: Duration,
}

/// The run with the median CPU time of `runs` runs of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Timing {
    let mut times: Vec<Timing> = (0..runs)
        .map(|_| {
            let (start, cpu) = (Instant::now(), cpu_time::ThreadTime::now());
            f();
            Timing {
                cpu: cpu.elapsed(),
                wall: start.elapsed(),
            }
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn ms(t: Timing) -> f64 {
    t.cpu.as_secs_f64() * 1e3
}

fn wall_ms(t: Timing) -> f64 {
    t.wall.as_secs_f64() * 1e3
}

fn main() {
    let params = Params::default();
    let small = network(100_000, 1_000, 10_000);
    let full = network(1_000_000, 10_000, 100_000);
    let recipients = |i: &EpochInputs| i.miners.len() + i.validators.len() + i.delegators.len();

    let plan = |inputs: &EpochInputs| {
        EpochPlan::build(&params, inputs).map(|p| black_box(p).transfers.len())
    };
    let _ = plan(&small); // warm up
    let t_small = median(7, || {
        let _ = plan(&small);
    });
    let t_full = median(5, || {
        let _ = plan(&full);
    });

    let before = peak_alloc::reset_peak();
    let transfers = plan(&full).unwrap_or(0);
    let peak = peak_alloc::peak();
    let t_naive = median(5, || {
        black_box(naive_f64_split(&full, 670e18));
    });

    let mib = |bytes: usize| bytes as f64 / (1024.0 * 1024.0);
    println!("plan benchmark (median of runs, release build): CPU time [wall time]");
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
    println!("    target: at most 250 ms per full plan ({transfers} transfers)");
    println!(
        "  10x recipients costs {:.2}x the time   (target <= 11x)",
        ms(t_full) / ms(t_small)
    );
    row("naive f64-truncation split, full (baseline)", t_naive);
    println!("  exact / naive time: {:.2}x", ms(t_full) / ms(t_naive));
    println!(
        "  heap: inputs {:.1} MiB, peak while planning {:.1} MiB   (target <= 512 MiB)",
        mib(before),
        mib(peak)
    );
}
