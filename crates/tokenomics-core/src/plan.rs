//! `EpochPlan`: every figure of one epoch and the ordered transfer list, with its hash.
//!
//! Building a plan is a pure function of [`Params`] and [`EpochInputs`]: recipients
//! are sorted by address first, so the input order never matters, and the plan hash
//! covers the inputs digest, every figure and every transfer.
//!
//! **Invariant:** the transfers sum to `total` exactly, and `categories` reports what
//! each category pays after empty categories were redirected to the DAO.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::address::Address;
use crate::amount::Amount;
use crate::digest::{CanonicalHasher, Hash256};
use crate::emission::{emission_for, utility_from_network};
use crate::error::{CoreError, Result};
use crate::fees::split_fees;
use crate::fraction::{Fraction, Ratio};
use crate::inputs::EpochInputs;
use crate::params::Params;
use crate::recipients::{sorted_recipients, Recipient};
use crate::split::{apportion, apportion_in_place, Category};

/// One payment of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    /// The recipient.
    pub to: Address,
    /// How much, never zero.
    pub amount: Amount,
    /// Which category it is paid from.
    pub category: Category,
}

/// What one epoch emits, burns, recycles and pays, to the base unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EpochPlan {
    /// The epoch.
    pub epoch: u64,
    /// SHA-256 of the canonical encoding of the parameters and inputs.
    pub inputs_digest: Hash256,
    /// `epoch / halving_interval`.
    pub halvings: u64,
    /// The utility score used.
    pub utility_score: Fraction,
    /// The quality multiplier `Q`.
    pub quality_multiplier: Ratio,
    /// `max(base_reward * U * Q * H, min_emission * H)`.
    pub emission: Amount,
    /// Emission withheld for low quality; never minted.
    pub unmet_burned: Amount,
    /// The burned part of the epoch's fees and penalties.
    pub fees_burned: Amount,
    /// Paid out of the recycling pool.
    pub from_pool: Amount,
    /// Newly minted (never past max supply).
    pub from_mint: Amount,
    /// `from_pool + from_mint`: what the transfers pay in all.
    pub total: Amount,
    /// The recycling pool after fees were added and `from_pool` was taken.
    pub recycling_pool_after: Amount,
    /// What each category pays, after empty categories went to the DAO.
    pub categories: BTreeMap<Category, Amount>,
    /// Payments ordered by category, then address; no zero amounts.
    pub transfers: Vec<Transfer>,
    /// SHA-256 of the plan's canonical encoding.
    pub plan_hash: Hash256,
}

impl EpochPlan {
    /// Computes the plan of `inputs.epoch` under `params`.
    pub fn build(params: &Params, inputs: &EpochInputs) -> Result<EpochPlan> {
        params.validate()?;
        let e = &params.emission;
        let utility = match (&inputs.utility_score, &inputs.network) {
            (Some(utility), None) => *utility,
            (None, Some(network)) => utility_from_network(e, network),
            (Some(_), Some(_)) => {
                return Err(input(
                    "utility_score",
                    "give utility_score or network, not both",
                ))
            }
            (None, None) => {
                return Err(input(
                    "utility_score",
                    "one of utility_score or network is required",
                ))
            }
        };
        if inputs.minted_supply > e.max_supply {
            return Err(input(
                "minted_supply",
                &format!(
                    "{} MDT exceeds max_supply {} MDT",
                    inputs.minted_supply, e.max_supply
                ),
            ));
        }
        let recipients = sorted_recipients(params, inputs)?;
        let inputs_digest = inputs_digest(params, inputs, utility, &recipients);

        let emission = emission_for(e, inputs.epoch, utility, inputs.quality_score)?;
        let fees = split_fees(&inputs.fees, &params.burn)?;
        let pool = inputs
            .recycling_pool
            .checked_add(fees.recycled, "recycling pool")?;
        let from_pool = pool.min(emission.rewards);
        let mintable = e
            .max_supply
            .checked_sub(inputs.minted_supply, "mintable supply")?;
        let from_mint = emission
            .rewards
            .checked_sub(from_pool, "from_mint")?
            .min(mintable);
        let total = from_pool.checked_add(from_mint, "total")?;

        let (categories, transfers) = pay_categories(params, inputs, recipients, total)?;
        let mut plan = EpochPlan {
            epoch: inputs.epoch,
            inputs_digest,
            halvings: emission.halvings,
            utility_score: utility,
            quality_multiplier: emission.quality_multiplier,
            emission: emission.emission,
            unmet_burned: emission.unmet_burned,
            fees_burned: fees.burned,
            from_pool,
            from_mint,
            total,
            recycling_pool_after: pool.checked_sub(from_pool, "recycling pool")?,
            categories,
            transfers,
            plan_hash: Hash256::default(),
        };
        plan.plan_hash = plan.compute_hash();
        Ok(plan)
    }

    /// SHA-256 of the canonical encoding of everything but `plan_hash` itself.
    pub fn compute_hash(&self) -> Hash256 {
        let mut h = CanonicalHasher::new("moderntensor/epoch-plan/v1");
        h.u64(self.epoch);
        h.bytes(self.inputs_digest.as_bytes());
        h.u64(self.halvings);
        h.u128(self.utility_score.parts());
        h.u128(self.quality_multiplier.parts());
        for amount in [
            self.emission,
            self.unmet_burned,
            self.fees_burned,
            self.from_pool,
            self.from_mint,
            self.total,
            self.recycling_pool_after,
        ] {
            h.amount(amount);
        }
        for category in Category::ALL {
            h.amount(self.categories.get(&category).copied().unwrap_or_default());
        }
        h.u64(self.transfers.len() as u64);
        for transfer in &self.transfers {
            h.u8(transfer.category.index() as u8);
            h.address(&transfer.to);
            h.amount(transfer.amount);
        }
        h.finish()
    }
}

fn input(field: &'static str, reason: &str) -> CoreError {
    CoreError::InvalidInput {
        field,
        reason: reason.to_string(),
    }
}

/// Splits `total` between categories, then inside each one; empty pools go to the DAO.
fn pay_categories(
    params: &Params,
    inputs: &EpochInputs,
    mut recipients: [Vec<Recipient>; 7],
    total: Amount,
) -> Result<(BTreeMap<Category, Amount>, Vec<Transfer>)> {
    let shares = params.distribution.shares().map(u128::from);
    // proof: the shares sum to 10000 (validated), so apportion never returns None.
    let pools = apportion(total, &shares)?.unwrap_or_else(|| vec![Amount::ZERO; 7]);
    let mut categories: BTreeMap<Category, Amount> = BTreeMap::new();
    let mut transfers = Vec::with_capacity(recipients.iter().map(Vec::len).sum::<usize>() + 2);
    let mut to_dao = Amount::ZERO;
    for category in Category::ALL {
        let pool = pools[category.index()];
        let (paid, single) = match category {
            Category::Community => (pool, Some(inputs.community_address)),
            Category::Dao => (
                pool.checked_add(to_dao, "dao pool")?,
                Some(inputs.dao_address),
            ),
            _ => {
                if pay_group(
                    pool,
                    &mut recipients[category.index()],
                    category,
                    &mut transfers,
                )? {
                    (pool, None)
                } else {
                    to_dao = to_dao.checked_add(pool, "dao pool")?;
                    (Amount::ZERO, None)
                }
            }
        };
        if let Some(to) = single.filter(|_| !paid.is_zero()) {
            transfers.push(Transfer {
                to,
                amount: paid,
                category,
            });
        }
        categories.insert(category, paid);
    }
    Ok((categories, transfers))
}

/// Appends the group's transfers (no zero amounts); `false` if its weights sum to zero.
///
/// The recipients' weights are spent: they hold the remainders afterwards.
fn pay_group(
    pool: Amount,
    group: &mut [Recipient],
    category: Category,
    transfers: &mut Vec<Transfer>,
) -> Result<bool> {
    let start = transfers.len();
    let push = |r: &Recipient, amount| {
        transfers.push(Transfer {
            to: r.address,
            amount,
            category,
        })
    };
    let Some(bumped) = apportion_in_place(pool, group, |r| &mut r.weight, push)? else {
        return Ok(false);
    };
    for index in bumped {
        let transfer = &mut transfers[start + index as usize];
        transfer.amount = Amount::from_base_units(transfer.amount.base_units() + 1);
    }
    let mut kept = start;
    for read in start..transfers.len() {
        if !transfers[read].amount.is_zero() {
            transfers[kept] = transfers[read];
            kept += 1;
        }
    }
    transfers.truncate(kept);
    Ok(true)
}

/// SHA-256 of the parameters and the inputs (recipients in address order).
fn inputs_digest(
    params: &Params,
    inputs: &EpochInputs,
    utility: Fraction,
    recipients: &[Vec<Recipient>; 7],
) -> Hash256 {
    let mut h = CanonicalHasher::new("moderntensor/epoch-inputs/v1");
    let e = &params.emission;
    for amount in [e.max_supply, e.base_reward, e.min_emission] {
        h.amount(amount);
    }
    h.u64(e.halving_interval);
    h.u64(e.max_expected_tasks);
    for weight in e.utility_weights {
        h.u128(weight.parts());
    }
    h.u128(e.quality_threshold.parts());
    h.u128(e.quality_steepness.parts());
    for share in params.distribution.shares() {
        h.u64(u64::from(share));
    }
    h.u64(params.distribution.lock_bonus.len() as u64);
    for &(days, bps) in &params.distribution.lock_bonus {
        h.u64(u64::from(days));
        h.u64(u64::from(bps));
    }
    let b = &params.burn;
    for rate in [b.transaction_fees, b.slashing, b.registration, b.task_fees] {
        h.u128(rate.parts());
    }
    h.u64(inputs.epoch);
    h.amount(inputs.minted_supply);
    h.amount(inputs.recycling_pool);
    match &inputs.network {
        Some(n) => {
            h.u64(1);
            h.u64(n.task_volume);
            h.u128(n.avg_task_difficulty.parts());
            h.u128(n.validator_participation.parts());
        }
        None => h.u64(0),
    }
    h.u128(utility.parts());
    h.u128(inputs.quality_score.parts());
    let f = &inputs.fees;
    for fee in [f.transaction_fees, f.slashing, f.registration, f.task_fees] {
        h.amount(fee);
    }
    for group in recipients {
        h.u64(group.len() as u64);
        for recipient in group {
            h.address(&recipient.address);
            h.u128(recipient.weight);
            h.u32(recipient.lock_days);
        }
    }
    h.address(&inputs.community_address);
    h.address(&inputs.dao_address);
    h.finish()
}
