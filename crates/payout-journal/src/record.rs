//! What the journal knows of an epoch: its [`Stage`], its [`EpochRecord`], and where a
//! run without inputs carries on ([`NextEpoch`]).

use tokenomics_core::{Address, Amount, Hash256};

use crate::corrupt;
use crate::error::Result;

/// How far an epoch has got; each stage is committed before the next one starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The plan and its transfers are journaled; nothing is known to be sent.
    Planned,
    /// The mint is confirmed (or there was nothing to mint).
    Minted,
    /// Every transfer is confirmed.
    Paid,
    /// Balances were verified on chain: the epoch is finished.
    Done,
    /// Closed for good on chain (`tokenomics close-epoch`): it could never complete and
    /// pays nothing more; what it did not pay stays with the payer.
    Closed,
}

impl Stage {
    /// The stage as the journal and `status` name it.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Planned => "planned",
            Stage::Minted => "minted",
            Stage::Paid => "paid",
            Stage::Done => "done",
            Stage::Closed => "closed",
        }
    }

    pub(crate) fn parse(text: &str) -> Result<Stage> {
        Ok(match text {
            "planned" => Stage::Planned,
            "minted" => Stage::Minted,
            "paid" => Stage::Paid,
            "done" => Stage::Done,
            "closed" => Stage::Closed,
            other => return Err(corrupt(format!("unknown stage {other:?}"))),
        })
    }
}

/// Where the journal says a run without inputs carries on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextEpoch {
    /// An epoch the journal started and did not finish: resume it.
    Unfinished(u64),
    /// Every journaled epoch is done: the first epoch after them (0 when none).
    After(u64),
}

/// What the journal knows about one epoch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpochRecord {
    /// The epoch.
    pub epoch: u64,
    /// The hash of the plan being paid.
    pub plan_hash: Hash256,
    /// The minted supply the plan was computed with.
    pub minted_supply: Amount,
    /// The address paying out.
    pub treasury: Address,
    /// The treasury's balance before the mint, once read.
    pub treasury_before: Option<Amount>,
    /// The backend's mark of the balances above ([`Baseline::mark`](crate::Baseline::mark)),
    /// set only when the epoch had not started on chain yet (so they are a true start).
    pub baseline: Option<u128>,
    /// How far the epoch has got.
    pub stage: Stage,
}
