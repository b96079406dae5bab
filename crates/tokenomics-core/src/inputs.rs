//! `EpochInputs`: what one epoch's plan is computed from (the epoch inputs JSON, typed).
//!
//! The serde shape is the inputs file format of the repository's docs/SPEC.md; optional fields take the pinned
//! defaults (`minted_supply`, `recycling_pool`, `fees` = 0, `quality_score` = 0.5,
//! `lock_days` = 0). Give `utility_score` or `network`, not both.

use serde::{Deserialize, Serialize};

use crate::address::Address;
use crate::amount::Amount;
use crate::fraction::Fraction;

/// Everything one epoch's plan depends on besides [`crate::Params`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EpochInputs {
    /// The epoch number (halvings are counted from it).
    pub epoch: u64,
    /// Supply minted before this epoch.
    #[serde(default)]
    pub minted_supply: Amount,
    /// Recycled tokens available before this epoch's fees are added.
    #[serde(default)]
    pub recycling_pool: Amount,
    /// The utility score, when given directly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utility_score: Option<Fraction>,
    /// The network metrics utility is computed from, when not given directly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<NetworkMetrics>,
    /// Quality of the epoch's work (0.5 is neutral: Q = 1).
    #[serde(default = "neutral_quality")]
    pub quality_score: Fraction,
    /// Fees and penalties collected during the epoch.
    #[serde(default)]
    pub fees: Fees,
    /// Miners, paid by score.
    #[serde(default)]
    pub miners: Vec<Miner>,
    /// Validators, paid by stake.
    #[serde(default)]
    pub validators: Vec<Validator>,
    /// Delegators, paid by stake times lock bonus.
    #[serde(default)]
    pub delegators: Vec<Delegator>,
    /// Subnet owners, paid by weight.
    #[serde(default)]
    pub subnet_owners: Vec<Weighted>,
    /// Infrastructure providers, paid by weight.
    #[serde(default)]
    pub infrastructure: Vec<Weighted>,
    /// Receives the community share.
    pub community_address: Address,
    /// Receives the DAO share and every empty category's pool.
    pub dao_address: Address,
}

fn neutral_quality() -> Fraction {
    Fraction::HALF
}

/// Network activity that utility is computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkMetrics {
    /// Tasks completed in the epoch.
    pub task_volume: u64,
    /// Average task difficulty in [0, 1].
    pub avg_task_difficulty: Fraction,
    /// Share of validators that took part, in [0, 1].
    pub validator_participation: Fraction,
}

/// Fees and penalties collected in the epoch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Fees {
    /// Transaction fees.
    pub transaction_fees: Amount,
    /// Slashing penalties.
    pub slashing: Amount,
    /// Subnet registration fees.
    pub registration: Amount,
    /// Task fees.
    pub task_fees: Amount,
}

/// A miner and its score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Miner {
    /// Where the reward goes.
    pub address: Address,
    /// Performance score in [0, 1].
    pub score: Fraction,
}

/// A validator and its stake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Validator {
    /// Where the reward goes.
    pub address: Address,
    /// Stake in MDT.
    pub stake: Amount,
}

/// A delegator, its stake and how long it is locked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delegator {
    /// Where the reward goes.
    pub address: Address,
    /// Delegated stake in MDT.
    pub stake: Amount,
    /// Days the stake is locked for (bonus thresholds in the distribution params).
    #[serde(default)]
    pub lock_days: u32,
}

/// A recipient paid by a plain weight (subnet owners, infrastructure).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weighted {
    /// Where the reward goes.
    pub address: Address,
    /// Non-negative weight with up to 18 decimals (a decimal string, like amounts).
    pub weight: Amount,
}
