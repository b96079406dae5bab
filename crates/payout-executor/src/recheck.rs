//! `EpochExecutor::recheck`: a journaled epoch checked again against what the chain shows;
//! what the journal claims beyond it is taken back, to be done again.

use tokenomics_core::EpochPlan;

use crate::error::Result;
use crate::executor::{disappeared, EpochExecutor};
use crate::seam::PayoutChain;
use payout_journal::{EpochRecord, Stage};

impl<C: PayoutChain> EpochExecutor<C> {
    /// Re-checks a journaled epoch against what the chain shows, when it can tell cheaply
    /// ([`PayoutPreview::shows`]): the journal's stage and confirmations are caches, and
    /// where they claim more than the chain shows (a reorg deeper than the confirmations,
    /// on EVM) they are taken back, so this run opens and pays again what is missing.
    pub(crate) async fn recheck(
        &mut self,
        plan: &EpochPlan,
        record: EpochRecord,
    ) -> Result<EpochRecord> {
        if record.stage == Stage::Planned {
            return Ok(record); // nothing journaled as done yet
        }
        let Some(shows) = self.chain.shows(plan).await? else {
            return Ok(record);
        };
        let epoch = plan.epoch;
        let paid = |index: u32| shows.paid.get(index as usize).copied().unwrap_or(false);
        let gone: Vec<u32> = self
            .journal
            .confirmed_indices(epoch)?
            .into_iter()
            .filter(|&index| !paid(index))
            .collect();
        let stage = match (shows.opened, gone.is_empty()) {
            (false, _) => Stage::Planned,
            (true, true) => record.stage,
            (true, false) => record.stage.min(Stage::Minted),
        };
        if stage == record.stage && gone.is_empty() {
            return Ok(record);
        }
        tracing::warn!(
            epoch,
            journal = record.stage.as_str(),
            chain = stage.as_str(),
            transfers = gone.len(),
            "the chain does not show what the journal says (a reorg deeper than the confirmations?): taken back, to be done again"
        );
        self.journal.take_back(epoch, stage, &gone)?;
        self.journal.epoch(epoch)?.ok_or_else(|| disappeared(epoch))
    }
}
