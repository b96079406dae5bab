//! Paying an epoch's pending transfers and journaling what the chain confirms: the
//! in-memory set of confirmed transfers, the scan for transfers a chain already applied,
//! and the send with its journal writer.
//!
//! A confirmation is journaled only after the chain confirmed it; one lost before its
//! commit (a kill) means the transfer is sent again under its same key, which the chain
//! answers with its first result.

use std::sync::Arc;

use tokenomics_core::EpochPlan;

use crate::error::Result;
use crate::executor::EpochExecutor;
use crate::metrics;
use crate::report::Progress;
use crate::seam::PayoutChain;
use payout_journal::{ConfirmWriter, PaidBy};

/// Which transfers of a plan are confirmed, in memory.
#[derive(Debug)]
pub(crate) struct Confirmed {
    marks: Vec<bool>,
    pub(crate) count: u64,
}

impl Confirmed {
    pub(crate) fn new(transfers: usize, confirmed: &[u32]) -> Confirmed {
        let mut set = Confirmed {
            marks: vec![false; transfers],
            count: 0,
        };
        for &index in confirmed {
            set.mark(index);
        }
        set
    }

    pub(crate) fn mark(&mut self, index: u32) {
        if let Some(mark) = self.marks.get_mut(index as usize).filter(|m| !**m) {
            *mark = true;
            self.count += 1;
        }
    }

    fn pending(&self) -> Vec<u32> {
        (0..self.marks.len() as u32)
            .filter(|&i| !self.marks[i as usize])
            .collect()
    }
}

impl<C: PayoutChain> EpochExecutor<C> {
    /// Journals every unconfirmed transfer the chain already applied; returns how many.
    pub(crate) async fn scan(
        &mut self,
        plan: &EpochPlan,
        confirmed: &mut Confirmed,
    ) -> Result<u64> {
        let found = self.chain.applied(plan, &confirmed.pending()).await?;
        self.journal.confirm(plan.epoch, &found)?;
        for (index, _) in &found {
            confirmed.mark(*index);
        }
        Ok(found.len() as u64)
    }

    /// Pays every unconfirmed transfer, journaling confirmations as the chain gives
    /// them; returns how many were confirmed now.
    pub(crate) async fn send(
        &mut self,
        plan: &EpochPlan,
        confirmed: &mut Confirmed,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<u64> {
        let pending = confirmed.pending();
        if pending.is_empty() {
            return Ok(0);
        }
        let (epoch, total) = (plan.epoch, plan.transfers.len() as u64);
        let stop = Arc::clone(&self.stop);
        // Journaled behind the sending task (a file journal): see `ConfirmWriter`.
        let mut writer = self.journal.confirm_writer(epoch)?;
        let (chain, journal) = (&self.chain, &mut self.journal);
        let mut confirmed_now = 0u64;
        let mut sink = |group: &[(u32, PaidBy)]| -> Result<()> {
            match writer.as_mut() {
                Some(writer) => writer.write(group.to_vec())?,
                None => journal.confirm(epoch, group)?,
            }
            for (index, _) in group {
                confirmed.mark(*index);
            }
            let count = group.len() as u64;
            confirmed_now += count;
            metrics::transfers_confirmed(count);
            progress(Progress::Confirmed {
                epoch,
                confirmed: confirmed.count,
                transfers: total,
            });
            Ok(())
        };
        let paid = chain.pay(plan, &pending, &stop, &mut sink).await;
        // Whatever was handed over is committed before anything else is journaled, also
        // when paying stopped early.
        let written = writer.as_mut().map_or(Ok(()), ConfirmWriter::finish);
        paid?;
        written?;
        Ok(confirmed_now)
    }
}
