//! Which transfers and recipients verification samples: spread evenly over the plan,
//! the same for every backend and every run of an epoch.

use tokenomics_core::{Address, EpochPlan};

/// Up to `count` positions spread evenly over `0..len`.
pub fn spread(len: usize, count: usize) -> Vec<u32> {
    let count = count.min(len);
    // proof: i < count <= len, so i * len / count < len, and plan indices fit u32.
    (0..count)
        .map(|i| u32::try_from(i * len / count).unwrap_or(u32::MAX))
        .collect()
}

/// Up to `count` distinct recipients spread evenly over the plan (never the treasury).
pub fn sample_recipients(plan: &EpochPlan, treasury: Address, count: usize) -> Vec<Address> {
    let mut unique: Vec<Address> = plan
        .transfers
        .iter()
        .map(|t| t.to)
        .filter(|a| *a != treasury)
        .collect();
    unique.sort_unstable();
    unique.dedup();
    spread(unique.len(), count)
        .into_iter()
        .map(|i| unique[i as usize])
        .collect()
}
