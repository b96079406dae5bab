//! `EpochPlan`: every figure of one epoch and the ordered transfer list, with its hash.
//!
//! Building a plan is a pure function of [`Params`] and [`EpochInputs`]: recipients
//! are sorted by address first, so the input order never matters, and the plan hash
//! covers the inputs digest, every figure and every transfer. A large plan hashes the
//! inputs digest on a second thread while it splits; the result is the same.
//!
//! **Invariant:** the transfers sum to `total` exactly, and `categories` reports what
//! each category pays after empty categories were redirected to the DAO.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::amount::Amount;
use crate::digest::{inputs_digest, CanonicalHasher, Hash256};
use crate::emission::{emission_for, utility_from_network};
use crate::error::{CoreError, Result};
use crate::fees::split_fees;
use crate::fraction::{Fraction, Ratio};
use crate::inputs::EpochInputs;
use crate::params::Params;
use crate::pay::{pay_categories, Transfer};
use crate::recipients::sorted_recipients;
use crate::refused::check_recipients;
use crate::split::Category;

/// From this many recipients on, the inputs digest is hashed on a second thread.
const PARALLEL_MIN: usize = 1 << 16;

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
        EpochPlan::build_within(params, inputs, None)
    }

    /// [`EpochPlan::build`] on a chain that lets the epoch mint at most `mint_room`
    /// (the chain's own cap, e.g. what an ERC-20's emission category can still mint):
    /// `from_mint = min(rewards - from_pool, max_supply - minted_supply, mint_room)`.
    ///
    /// The room enters the inputs digest only when it lowered `from_mint` (the plan then
    /// mints exactly the room); a room that changes nothing gives the plan, and the
    /// hash, of [`EpochPlan::build`]. So the plan's own `from_mint`, given as the room,
    /// rebuilds the same plan: that is how a resumed run plans again what it journaled.
    pub fn build_within(
        params: &Params,
        inputs: &EpochInputs,
        mint_room: Option<Amount>,
    ) -> Result<EpochPlan> {
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
        check_recipients(inputs, &[])?;
        let recipients = sorted_recipients(params, inputs)?;

        let emission = emission_for(e, inputs.epoch, utility, inputs.quality_score)?;
        let fees = split_fees(&inputs.fees, &params.burn)?;
        let pool = inputs
            .recycling_pool
            .checked_add(fees.recycled, "recycling pool")?;
        let from_pool = pool.min(emission.rewards);
        let mintable = e
            .max_supply
            .checked_sub(inputs.minted_supply, "mintable supply")?;
        let uncapped = emission
            .rewards
            .checked_sub(from_pool, "from_mint")?
            .min(mintable);
        let lowered_by_room = mint_room.filter(|room| *room < uncapped);
        let from_mint = lowered_by_room.unwrap_or(uncapped);
        let total = from_pool.checked_add(from_mint, "total")?;

        // The inputs digest and the split only read the recipients: a large plan hashes
        // on a second thread while this one splits (inline where threads are missing).
        let digest = || inputs_digest(params, inputs, utility, &recipients, lowered_by_room);
        let large = recipients.iter().map(Vec::len).sum::<usize>() >= PARALLEL_MIN;
        let (inputs_digest, paid) = std::thread::scope(|scope| {
            let helper = large
                .then(|| std::thread::Builder::new().spawn_scoped(scope, digest).ok())
                .flatten();
            let paid = pay_categories(params, inputs, &recipients, total);
            // proof: hashing cannot panic; were the thread lost, hash again here.
            let digest = helper.map_or_else(digest, |h| h.join().unwrap_or_else(|_| digest()));
            (digest, paid)
        });
        drop(recipients);
        let (categories, transfers) = paid?;
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

    /// Whether a mint room ([`EpochPlan::build_within`]) lowered this plan's mint: it
    /// mints less than its rewards ask (`emission - unmet_burned - from_pool`) and less
    /// than `max_supply - minted_supply` allows.
    pub fn mint_lowered_by_room(&self, max_supply: Amount, minted_supply: Amount) -> bool {
        let wanted = self
            .emission
            .saturating_sub(self.unmet_burned)
            .saturating_sub(self.from_pool);
        self.from_mint < wanted && self.from_mint < max_supply.saturating_sub(minted_supply)
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
            h.transfer(
                transfer.category.index() as u8,
                &transfer.to,
                transfer.amount,
            );
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
