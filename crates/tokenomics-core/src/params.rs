//! Network parameters: emission, distribution shares and burn rates, with the seed's defaults.
//!
//! These map one to one onto the `[emission]`, `[distribution]` and `[burn]` sections
//! of the configuration file; [`Params::validate`] checks what the types cannot.

use serde::{Deserialize, Serialize};

use crate::amount::Amount;
use crate::error::{CoreError, Result};
use crate::fraction::{Fraction, Ratio};

/// Every parameter a plan depends on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Params {
    /// How much is emitted.
    pub emission: EmissionParams,
    /// How the total is split between categories.
    pub distribution: DistributionParams,
    /// Which part of each collected fee is burned.
    pub burn: BurnRates,
}

/// Emission schedule parameters (`[emission]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmissionParams {
    /// Minting never passes this (default 21,000,000 MDT).
    pub max_supply: Amount,
    /// Reward per epoch at U = 1, Q = 1 before halvings (default 1,000 MDT).
    pub base_reward: Amount,
    /// Floor of the emission per epoch before halvings (default 100 MDT).
    pub min_emission: Amount,
    /// Epochs between halvings (default 8,760,000).
    pub halving_interval: u64,
    /// Task volume at which the volume term of utility saturates (default 10,000).
    pub max_expected_tasks: u64,
    /// Weights of task volume, difficulty and participation in utility; sum exactly 1.
    pub utility_weights: [Fraction; 3],
    /// Quality below this withholds part of the emission (default 0.5).
    pub quality_threshold: Fraction,
    /// The sigmoid's steepness `k` (default 10).
    pub quality_steepness: Ratio,
}

impl Default for EmissionParams {
    fn default() -> Self {
        let mdt = |whole| Amount::from_base_units(whole * crate::decimal::SCALE);
        let tenths = |n| Fraction::from_parts(n * crate::decimal::SCALE / 10).unwrap_or_default();
        EmissionParams {
            max_supply: mdt(21_000_000),
            base_reward: mdt(1_000),
            min_emission: mdt(100),
            halving_interval: 8_760_000,
            max_expected_tasks: 10_000,
            utility_weights: [tenths(4), tenths(3), tenths(3)],
            quality_threshold: Fraction::HALF,
            quality_steepness: Ratio::from_parts(10 * crate::decimal::SCALE),
        }
    }
}

/// Shares of each category in basis points (`[distribution]`), summing to 10,000.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DistributionParams {
    /// Miners, by score.
    pub miners: u32,
    /// Validators, by stake.
    pub validators: u32,
    /// Infrastructure providers, by weight.
    pub infrastructure: u32,
    /// Delegators, by stake times lock bonus.
    pub delegators: u32,
    /// The community address.
    pub community: u32,
    /// Subnet owners, by weight.
    pub subnet_owners: u32,
    /// The DAO address.
    pub dao: u32,
    /// `[min lock days, bonus bps]` tiers, thresholds strictly ascending and bonuses never
    /// falling: a delegator's weight is `stake * (10000 + bonus) / 10000` with the bonus of
    /// the highest threshold its lock reaches (0 below the first).
    pub lock_bonus: Vec<(u32, u32)>,
}

impl Default for DistributionParams {
    fn default() -> Self {
        DistributionParams {
            miners: 3500,
            validators: 2800,
            infrastructure: 200,
            delegators: 1200,
            community: 1000,
            subnet_owners: 800,
            dao: 500,
            lock_bonus: vec![(30, 1000), (90, 2500), (180, 5000), (365, 10000)],
        }
    }
}

impl DistributionParams {
    /// The shares in category order (miners ... dao).
    pub fn shares(&self) -> [u32; 7] {
        [
            self.miners,
            self.validators,
            self.infrastructure,
            self.delegators,
            self.community,
            self.subnet_owners,
            self.dao,
        ]
    }

    /// The bonus in basis points for a lock of `lock_days`: the bonus of the highest
    /// threshold reached, 0 below the first. [`Params::validate`] ensures the tiers ascend.
    pub fn lock_bonus_bps(&self, lock_days: u32) -> u32 {
        self.lock_bonus
            .iter()
            .filter(|(min_days, _)| lock_days >= *min_days)
            .max_by_key(|(min_days, _)| *min_days)
            .map_or(0, |(_, bps)| *bps)
    }

    /// Refuses a `lock_bonus` table whose thresholds do not strictly ascend, or whose
    /// bonus falls as the lock grows; the reason names the entry by value and 0-based index.
    fn validate_lock_bonus(&self) -> Result<()> {
        for (index, pair) in self.lock_bonus.windows(2).enumerate() {
            let ((days_before, bonus_before), (days, bonus)) = (pair[0], pair[1]);
            let entry = index + 1; // the later entry of the pair is the one out of order
            let reason = if days <= days_before {
                format!(
                    "entry [{days}, {bonus}] (index {entry}): thresholds must be strictly \
                     ascending in days ({days} after {days_before})"
                )
            } else if bonus < bonus_before {
                format!(
                    "entry [{days}, {bonus}] (index {entry}): the bonus falls as the lock \
                     grows ({bonus} bps after {bonus_before} bps at {days_before} days)"
                )
            } else {
                continue;
            };
            return Err(CoreError::InvalidParameter {
                field: "distribution.lock_bonus",
                reason,
            });
        }
        Ok(())
    }
}

/// Fraction of each fee kind that is burned (`[burn]`); the rest is recycled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BurnRates {
    /// Transaction fees (default 0.5).
    pub transaction_fees: Fraction,
    /// Slashing penalties (default 0.8).
    pub slashing: Fraction,
    /// Subnet registration fees (default 0.5).
    pub registration: Fraction,
    /// Task fees (default 0: all recycled).
    pub task_fees: Fraction,
}

impl Default for BurnRates {
    fn default() -> Self {
        BurnRates {
            transaction_fees: Fraction::HALF,
            slashing: Fraction::from_parts(8 * crate::decimal::SCALE / 10).unwrap_or_default(),
            registration: Fraction::HALF,
            task_fees: Fraction::ZERO,
        }
    }
}

impl Params {
    /// Checks the rules the types cannot express; the error names the parameter.
    pub fn validate(&self) -> Result<()> {
        let e = &self.emission;
        let invalid = |field, reason: &str| {
            Err(CoreError::InvalidParameter {
                field,
                reason: reason.to_string(),
            })
        };
        if e.halving_interval == 0 {
            return invalid("emission.halving_interval", "must be at least 1");
        }
        if e.max_expected_tasks == 0 {
            return invalid("emission.max_expected_tasks", "must be at least 1");
        }
        let weights: u128 = e.utility_weights.iter().map(|w| w.parts()).sum();
        if weights != Fraction::ONE.parts() {
            return invalid("emission.utility_weights", "must sum to exactly 1");
        }
        let shares: u64 = self
            .distribution
            .shares()
            .iter()
            .map(|&s| u64::from(s))
            .sum();
        if shares != 10_000 {
            return Err(CoreError::InvalidParameter {
                field: "distribution",
                reason: format!("shares sum to {shares} basis points, not 10000"),
            });
        }
        self.distribution.validate_lock_bonus()
    }
}
