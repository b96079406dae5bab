//! `EpochExecutor::next_epoch`: where a run without inputs carries on, from the journal
//! and, past its last epoch, from the epochs the chain shows opened.

use crate::error::Result;
use crate::executor::EpochExecutor;
use crate::seam::PayoutPreview;
use payout_journal::NextEpoch;

impl<C: PayoutPreview> EpochExecutor<C> {
    /// Where a run without inputs carries on: the journal's first unfinished epoch;
    /// else the one after its last, unless the chain shows that one opened (by a run
    /// with another journal, or before the journal was lost): then the last epoch
    /// opened on chain, to resume or confirm it.
    pub async fn next_epoch(&self) -> Result<u64> {
        let from = match self.journal.next_epoch()? {
            NextEpoch::Unfinished(epoch) => return Ok(epoch),
            NextEpoch::After(epoch) => epoch,
        };
        if !self.chain.is_open(from).await? {
            return Ok(from);
        }
        let low = self.last_open_from(from).await?;
        // A closed epoch is finished: carry on after it.
        if self.chain.closed(low).await? {
            return Ok(low.saturating_add(1));
        }
        Ok(low)
    }

    /// The last epoch open on chain, `from` being open.
    async fn last_open_from(&self, from: u64) -> Result<u64> {
        // Epochs are opened in order: probe doubling steps, then bisect.
        let (mut low, mut step) = (from, 1u64);
        let mut high = loop {
            let probe = low.saturating_add(step);
            if probe == low || !self.chain.is_open(probe).await? {
                break probe;
            }
            (low, step) = (probe, step.saturating_mul(2));
        };
        while high - low > 1 {
            let mid = low + (high - low) / 2;
            if self.chain.is_open(mid).await? {
                low = mid;
            } else {
                high = mid;
            }
        }
        Ok(low)
    }
}
