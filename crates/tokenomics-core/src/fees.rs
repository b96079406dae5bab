//! Fees and penalties of an epoch: the burned part leaves supply, the rest feeds the recycling pool.
//!
//! Pinned rounding: a fee's burned part is `floor(fee * rate)` and the recycled part is
//! the rest, so `burned + recycled == fee` for every fee.

use serde::{Deserialize, Serialize};

use crate::amount::Amount;
use crate::decimal::SCALE;
use crate::error::Result;
use crate::inputs::Fees;
use crate::params::BurnRates;

/// How an epoch's fees were split between burning and recycling.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeSplit {
    /// Destroyed: leaves circulating supply.
    pub burned: Amount,
    /// Added to the recycling pool.
    pub recycled: Amount,
}

/// Splits every fee by its burn rate and sums the parts.
pub fn split_fees(fees: &Fees, rates: &BurnRates) -> Result<FeeSplit> {
    let pairs = [
        (fees.transaction_fees, rates.transaction_fees),
        (fees.slashing, rates.slashing),
        (fees.registration, rates.registration),
        (fees.task_fees, rates.task_fees),
    ];
    let mut split = FeeSplit::default();
    for (fee, rate) in pairs {
        let burned = fee.mul_div(rate.parts(), SCALE, "burned fees")?;
        // proof: rate <= 1, so burned <= fee.
        let recycled = fee.checked_sub(burned, "recycled fees")?;
        split.burned = split.burned.checked_add(burned, "burned fees")?;
        split.recycled = split.recycled.checked_add(recycled, "recycled fees")?;
    }
    Ok(split)
}
