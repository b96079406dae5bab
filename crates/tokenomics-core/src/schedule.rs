//! The emission schedule era by era (U = 1, Q = 1): what each era emits and mints.
//!
//! An era is one halving interval. Within an era the per-epoch emission is constant,
//! so the minted supply grows linearly until it reaches max supply; the table needs
//! one row per era, computed in closed form, not one step per epoch.

use serde::{Deserialize, Serialize};

use crate::amount::Amount;
use crate::error::{CoreError, Result};
use crate::params::EmissionParams;

/// One halving era of the schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Era {
    /// Halvings so far (0 for the first era).
    pub index: u64,
    /// First epoch of the era.
    pub start_epoch: u64,
    /// One past the last epoch counted (the era's end or the horizon).
    pub end_epoch: u64,
    /// Emission per epoch: `max(base_reward, min_emission) >> index`.
    pub emission_per_epoch: Amount,
    /// Minted during the era (capped by max supply).
    pub minted: Amount,
    /// Minted supply at the end of the era.
    pub supply_at_end: Amount,
    /// The epoch in which minting reached max supply, if it did in this era.
    pub capped_at_epoch: Option<u64>,
}

/// The eras from epoch 0 up to `horizon` epochs (or until max supply is reached or
/// emission falls to zero, when `horizon` is `None`).
pub fn schedule(params: &EmissionParams, horizon: Option<u64>) -> Result<Vec<Era>> {
    if params.halving_interval == 0 {
        return Err(CoreError::InvalidParameter {
            field: "emission.halving_interval",
            reason: "must be at least 1".to_string(),
        });
    }
    let horizon = horizon.unwrap_or(u64::MAX);
    let mut eras = Vec::new();
    let mut supply = Amount::ZERO;
    let mut start: u64 = 0;
    for index in 0u64.. {
        let per_epoch = params.base_reward.max(params.min_emission).halved(index);
        if start >= horizon || per_epoch.is_zero() || supply >= params.max_supply {
            break;
        }
        let end = start.saturating_add(params.halving_interval).min(horizon);
        let epochs = u128::from(end - start);
        let wanted = per_epoch.base_units().saturating_mul(epochs);
        let remaining = params.max_supply.saturating_sub(supply);
        let (minted, capped_at_epoch) = if wanted > remaining.base_units() {
            // ceil(remaining / per_epoch) epochs reach the cap; the last one is capped.
            let needed = remaining.base_units().div_ceil(per_epoch.base_units());
            let capped = start.saturating_add(u64::try_from(needed).unwrap_or(u64::MAX) - 1);
            (remaining, Some(capped))
        } else {
            (Amount::from_base_units(wanted), None)
        };
        supply = supply.checked_add(minted, "scheduled supply")?;
        eras.push(Era {
            index,
            start_epoch: start,
            end_epoch: end,
            emission_per_epoch: per_epoch,
            minted,
            supply_at_end: supply,
            capped_at_epoch,
        });
        start = end;
    }
    Ok(eras)
}
