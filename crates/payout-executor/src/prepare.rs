//! `EpochExecutor::prepare`: plans an epoch as a run would and refuses what the journal
//! or the chain says cannot be paid this way; reads only.
//!
//! Without a journal record the chain says whether (and with what plan) the epoch
//! opened, and a run that lost its journal plans the epoch with the minted supply its
//! opening recorded, exactly as before.
//!
//! The mint room rule (a chain with a cap of its own, [`PayoutPreview::mint_room`]): the
//! plan is built within the journaled `from_mint`, else within what the epoch's opening
//! minted on chain, else within the room read now (less what a dry run's earlier epochs
//! would mint). A plan's own `from_mint` as its room rebuilds the same plan
//! ([`EpochPlan::build_within`]), so every run of an epoch, with or without its
//! journal, plans it the same.

use tokenomics_core::{check_recipients, Amount, EpochInputs, EpochPlan};

use crate::error::{ExecutorError, Result};
use crate::executor::{EpochExecutor, MintedSupply};
use crate::seam::Opening;
use crate::seam::PayoutPreview;
use payout_journal::EpochRecord;

/// An epoch planned and checked against the journal and the chain, nothing written.
#[derive(Debug)]
pub(crate) struct Prepared {
    /// The plan, built with the minted supply the rule of [`MintedSupply`] gives.
    pub(crate) plan: EpochPlan,
    /// What the epoch's opening carries.
    pub(crate) memo: Opening,
    /// Whether the chain's mint room lowered the plan's mint.
    pub(crate) capped_by_chain: bool,
    /// The journal's record of the epoch, if it has one.
    pub(crate) journaled: Option<EpochRecord>,
}

impl<C: PayoutPreview> EpochExecutor<C> {
    /// Plans `inputs` and checks the plan against the journal and the chain. `ahead` is
    /// added to a minted supply read from the chain and taken from a mint room read from
    /// it (what a dry run's earlier epochs would mint; 0 for a run).
    pub(crate) async fn prepare(
        &self,
        inputs: &mut EpochInputs,
        minted: MintedSupply,
        ahead: Amount,
    ) -> Result<Prepared> {
        let epoch = inputs.epoch;
        // Before anything is read or written: a recipient this chain refuses would
        // strand the epoch half paid.
        check_recipients(inputs, &self.chain.refused_recipients())?;
        let journaled = self.journal.epoch(epoch)?;
        // Without a journal record, the chain tells whether (and with what) the epoch
        // opened. The supply is read first: if the opening is absent at the second read,
        // it was absent at the first, so a run opening the epoch meanwhile cannot make
        // this one plan on a supply that already holds the epoch's own mint.
        let (opening, supply_before, mint_room) = match &journaled {
            None => {
                let supply = self.chain.minted_supply().await?;
                let opening = self.chain.opening(epoch).await?;
                let room = self.chain.mint_room(epoch).await?;
                let room = match opening {
                    Some(_) => room,
                    None => room.map(|room| room.saturating_sub(ahead)),
                };
                (opening, supply, room)
            }
            Some(_) => (None, Amount::ZERO, self.journal.from_mint(epoch)?),
        };
        if minted == MintedSupply::FromChain {
            inputs.minted_supply = match (&journaled, &opening) {
                (Some(record), _) => record.minted_supply,
                (None, Some(memo)) => memo.minted_supply,
                (None, None) => supply_before.checked_add(ahead, "minted supply")?,
            };
        }
        let plan = EpochPlan::build_within(&self.params, inputs, mint_room)?;
        let capped_by_chain =
            plan.mint_lowered_by_room(self.params.emission.max_supply, inputs.minted_supply);
        let memo = Opening {
            plan_hash: plan.plan_hash,
            minted_supply: inputs.minted_supply,
        };
        let payer = self.payer();
        match &journaled {
            Some(record) if record.plan_hash != plan.plan_hash => {
                return Err(ExecutorError::Conflict {
                    epoch,
                    journaled: record.plan_hash,
                    new: plan.plan_hash,
                })
            }
            Some(record) if record.treasury != payer => {
                return Err(ExecutorError::TreasuryChanged {
                    epoch,
                    journaled: record.treasury,
                    configured: payer,
                })
            }
            Some(_) => {}
            None => {
                if let Some(on_chain) = opening.as_ref().filter(|m| **m != memo) {
                    return Err(ExecutorError::ChainConflict {
                        epoch,
                        detail: format!(
                            "on chain plan {}, these inputs plan {}",
                            on_chain.plan_hash, plan.plan_hash
                        ),
                    });
                }
            }
        }
        Ok(Prepared {
            plan,
            memo,
            capped_by_chain,
            journaled,
        })
    }
}
