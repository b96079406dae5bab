//! Emission for one epoch: halvings, utility, the quality multiplier, the floor and the unmet quota.
//!
//! ```text
//! emission = max(floor(floor(base_reward * U) * Q) >> halvings, min_emission >> halvings)
//! unmet    = floor(emission * (threshold - quality))   when quality < threshold
//! rewards  = emission - unmet
//! ```
//! Every product that is not whole rounds down to base units; halving is an exact
//! right shift, so rounding before or after it gives the same result.

use serde::{Deserialize, Serialize};

use crate::amount::Amount;
use crate::decimal::SCALE;
use crate::error::{CoreError, Result};
use crate::fraction::{Fraction, Ratio};
use crate::inputs::NetworkMetrics;
use crate::params::EmissionParams;
use crate::quality::quality_multiplier;

/// One epoch's emission and what the quality rule withholds from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Emission {
    /// `epoch / halving_interval`.
    pub halvings: u64,
    /// The utility score used.
    pub utility_score: Fraction,
    /// `Q = 0.6 + 0.8 * sigmoid(k * (quality - 0.5))`.
    pub quality_multiplier: Ratio,
    /// `max(base_reward * U * Q * H, min_emission * H)`.
    pub emission: Amount,
    /// Withheld for quality under the threshold; never minted.
    pub unmet_burned: Amount,
    /// `emission - unmet_burned`: what the epoch may pay out.
    pub rewards: Amount,
}

/// `U = w1 * min(tasks / max_expected_tasks, 1) + w2 * difficulty + w3 * participation`.
///
/// Each term rounds down to 18 decimals; the weights sum to one, so `U` stays in [0, 1].
pub fn utility_from_network(params: &EmissionParams, metrics: &NetworkMetrics) -> Fraction {
    let volume = if metrics.task_volume >= params.max_expected_tasks {
        Fraction::ONE
    } else {
        // proof: task_volume < max_expected_tasks, so the ratio is below one and the
        // denominator is not zero.
        Fraction::from_ratio(
            u128::from(metrics.task_volume),
            u128::from(params.max_expected_tasks),
        )
        .unwrap_or(Fraction::ZERO)
    };
    let [w_volume, w_difficulty, w_participation] = params.utility_weights;
    let terms = [
        w_volume.mul_floor(volume),
        w_difficulty.mul_floor(metrics.avg_task_difficulty),
        w_participation.mul_floor(metrics.validator_participation),
    ];
    // proof: each term is at most its weight and the weights sum to one (validated),
    // so the sum never exceeds one; saturate at one if the params were not validated.
    let parts: u128 = terms.iter().map(|t| t.parts()).sum();
    Fraction::from_parts(parts).unwrap_or(Fraction::ONE)
}

/// The emission of `epoch` for utility `utility` and quality `quality`.
pub fn emission_for(
    params: &EmissionParams,
    epoch: u64,
    utility: Fraction,
    quality: Fraction,
) -> Result<Emission> {
    if params.halving_interval == 0 {
        return Err(CoreError::InvalidParameter {
            field: "emission.halving_interval",
            reason: "must be at least 1".to_string(),
        });
    }
    let halvings = epoch / params.halving_interval;
    let q = quality_multiplier(quality, params.quality_steepness);
    let scaled = params
        .base_reward
        .mul_div(utility.parts(), SCALE, "base_reward * U")?
        .mul_div(q.parts(), SCALE, "base_reward * U * Q")?
        .halved(halvings);
    let floor = params.min_emission.halved(halvings);
    let emission = scaled.max(floor);
    let unmet_burned = if quality < params.quality_threshold {
        let gap = params.quality_threshold.saturating_sub(quality);
        emission.mul_div(gap.parts(), SCALE, "unmet quota")?
    } else {
        Amount::ZERO
    };
    // proof: gap <= 1, so unmet_burned <= emission.
    let rewards = emission.checked_sub(unmet_burned, "rewards")?;
    Ok(Emission {
        halvings,
        utility_score: utility,
        quality_multiplier: q,
        emission,
        unmet_burned,
        rewards,
    })
}
