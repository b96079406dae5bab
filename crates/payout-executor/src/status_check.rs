//! `check_status`: a journal compared with what the chain shows, epoch by epoch, reading
//! both and writing neither (`tokenomics status --check-chain`).
//!
//! The journal is read as [`read_status`] reads it (read-only, no lock); then, per epoch, its
//! stage and confirmations (one read transaction), and only after them the chain
//! ([`ShowsChain`]), so a run paying meanwhile cannot make the journal look ahead of the
//! chain: it journals a confirmation only after the chain confirmed it. The chain is read as
//! a run counts it confirmed (on EVM, `confirmations` deep). Where the journal claims more
//! than the chain shows (an epoch opened, or transfers confirmed, that the chain does not
//! show; an epoch open with another plan), [`ChainView::agrees`] is `false` and
//! [`ChainView::problem`] says what differs. The chain showing more than the journal (a
//! run in flight, or one with another journal) is not a disagreement.

use std::path::Path;

use payout_journal::{read_status, EpochStatus, JournalReader, JournaledEpoch, Stage};
use serde::Serialize;
use tokenomics_core::Hash256;

use crate::error::Result;
use crate::seam::ChainShows;

/// A chain `status --check-chain` can read an epoch from, with reads only.
// Awaited in place by one caller, as `PayoutChain`: no `Send` bound on the futures.
#[allow(async_fn_in_trait)]
pub trait ShowsChain: std::fmt::Debug {
    /// What the chain shows of `epoch` as confirmed: its opening and each transfer paid.
    async fn shows_journaled(&self, epoch: &JournaledEpoch) -> Result<ChainShows>;
}

/// What the chain shows of one epoch, beside what the journal says
/// (`tokenomics status --check-chain --json`: the `chain` object; docs/SPEC.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainView {
    /// The epoch is open on chain.
    pub opened: bool,
    /// The plan hash it was opened with (`None`: not open, or opened without a plan of
    /// this tool).
    pub plan_hash: Option<Hash256>,
    /// Transfers of the plan the chain shows paid.
    pub paid: u64,
    /// Transfers the journal marks confirmed that the chain does not show paid.
    pub missing: u64,
    /// The chain shows everything the journal claims.
    pub agrees: bool,
    /// What the journal claims that the chain does not show, in words (`None` when it
    /// agrees).
    pub problem: Option<String>,
}

/// One epoch of `status --check-chain`: the journal's figures and the chain's view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckedEpoch {
    /// What the journal holds ([`read_status`]).
    #[serde(flatten)]
    pub journal: EpochStatus,
    /// What the chain shows.
    pub chain: ChainView,
}

/// Every epoch of the journal at `path` (read-only, see the module), each compared with
/// what `chain` shows.
pub async fn check_status(path: &Path, chain: &impl ShowsChain) -> Result<Vec<CheckedEpoch>> {
    let epochs = read_status(path)?;
    let mut reader = JournalReader::open(path)?;
    let mut checked = Vec::with_capacity(epochs.len());
    for journal in epochs {
        let journaled = reader.epoch(journal.epoch)?;
        let shows = chain.shows_journaled(&journaled).await?;
        checked.push(CheckedEpoch {
            chain: compare(&journaled, &shows),
            journal,
        });
    }
    Ok(checked)
}

/// The chain's view of `journaled`, and what it does not show of the journal's claims.
pub fn compare(journaled: &JournaledEpoch, shows: &ChainShows) -> ChainView {
    let paid_at = |index: usize| shows.paid.get(index).copied().unwrap_or(false);
    let paid = (0..journaled.transfers.len())
        .filter(|&i| paid_at(i))
        .count() as u64;
    let missing = journaled
        .transfers
        .iter()
        .enumerate()
        .filter(|(i, (_, _, confirmed))| *confirmed && !paid_at(*i))
        .count() as u64;
    let claims = format!(
        "the journal says {} with {} of {} transfers confirmed",
        journaled.stage.as_str(),
        journaled.confirmed(),
        journaled.transfers.len()
    );
    let mut problems = Vec::new();
    match (shows.opened, shows.plan_hash) {
        (false, _) if journaled.stage >= Stage::Minted => {
            problems.push("the epoch is not open on chain".to_string());
        }
        (true, Some(hash)) if hash != journaled.plan_hash => {
            problems.push(format!("the chain has it open with another plan, {hash}"));
        }
        (true, None) if journaled.stage >= Stage::Minted => {
            problems.push("the chain has it open without a plan of this tool".to_string());
        }
        _ => {}
    }
    if missing > 0 {
        problems.push(format!(
            "the chain shows {paid} paid: {missing} confirmed transfers are not paid on chain"
        ));
    }
    ChainView {
        opened: shows.opened,
        plan_hash: shows.plan_hash,
        paid,
        missing,
        agrees: problems.is_empty(),
        problem: (!problems.is_empty()).then(|| format!("{claims}; {}", problems.join("; "))),
    }
}
