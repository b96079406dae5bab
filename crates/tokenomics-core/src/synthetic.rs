//! A deterministic synthetic network: the same participants every epoch, varying activity.
//!
//! Used by `tokenomics run` when no inputs are given, and by tests and benchmarks.
//! Addresses are hashes (as real ones are), so they spread over the address space.

use crate::{
    Address, Amount, Delegator, EpochInputs, Fees, Fraction, Miner, NetworkMetrics, Validator,
    Weighted, SCALE,
};
use sha2::{Digest, Sha256};

/// The address of synthetic participant `index`.
pub(crate) fn synthetic_address(index: u64) -> Address {
    let digest = Sha256::digest(format!("moderntensor/synthetic/{index}").as_bytes());
    let mut bytes = [0u8; 20];
    bytes.copy_from_slice(&digest[..20]);
    Address::from_bytes(bytes)
}

/// A pseudo-random value in `[0, 10^18)` for `(epoch, index, salt)`, stable forever.
fn draw(epoch: u64, index: u64, salt: &str) -> u128 {
    let digest = Sha256::digest(format!("{salt}/{epoch}/{index}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    u128::from_be_bytes(bytes) % SCALE
}

fn fraction(parts: u128) -> Fraction {
    Fraction::from_parts(parts.min(SCALE)).unwrap_or(Fraction::ONE)
}

/// Epoch inputs for `participants` participants spread over every category
/// (60% miners, 10% validators, 20% delegators, 5% subnet owners, 5% infrastructure,
/// at least one of each), with `minted_supply` left for the chain to tell.
pub fn synthetic_inputs(epoch: u64, participants: usize) -> EpochInputs {
    let n = participants.max(5) as u64;
    let counts = [n * 60 / 100, n * 10 / 100, n * 20 / 100, n * 5 / 100];
    let [miners, validators, delegators, owners] = counts.map(|c| c.max(1));
    let infrastructure = n
        .saturating_sub(miners + validators + delegators + owners)
        .max(1);
    let mut next = 0u64;
    let mut take = |count: u64| {
        let range = next..next + count;
        next += count;
        range
    };
    let mdt = |whole: u128| Amount::from_base_units(whole * SCALE);
    EpochInputs {
        epoch,
        minted_supply: Amount::ZERO,
        recycling_pool: Amount::ZERO,
        utility_score: None,
        network: Some(NetworkMetrics {
            task_volume: 2_000 + (draw(epoch, 0, "volume") % 8_000) as u64,
            avg_task_difficulty: fraction(SCALE / 2 + draw(epoch, 0, "difficulty") / 2),
            validator_participation: fraction(SCALE * 8 / 10 + draw(epoch, 0, "participation") / 5),
        }),
        quality_score: fraction(SCALE / 2 + draw(epoch, 0, "quality") * 3 / 10),
        fees: Fees::default(),
        miners: take(miners)
            .map(|i| Miner {
                address: synthetic_address(i),
                score: fraction(draw(epoch, i, "score")),
            })
            .collect(),
        validators: take(validators)
            .map(|i| Validator {
                address: synthetic_address(i),
                stake: mdt(1_000 + draw(0, i, "stake") % 100_000),
            })
            .collect(),
        delegators: take(delegators)
            .map(|i| Delegator {
                address: synthetic_address(i),
                stake: mdt(10 + draw(0, i, "delegation") % 5_000),
                lock_days: (draw(0, i, "lock") % 400) as u32,
            })
            .collect(),
        subnet_owners: take(owners)
            .map(|i| Weighted {
                address: synthetic_address(i),
                weight: mdt(1 + draw(0, i, "subnet") % 10),
            })
            .collect(),
        infrastructure: take(infrastructure)
            .map(|i| Weighted {
                address: synthetic_address(i),
                weight: mdt(1 + draw(0, i, "infra") % 10),
            })
            .collect(),
        community_address: synthetic_address(u64::MAX - 1),
        dao_address: synthetic_address(u64::MAX),
    }
}
