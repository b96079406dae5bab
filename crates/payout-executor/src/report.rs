//! What an epoch run reports: progress while it runs and an `EpochReport` at the end.

use rpc_resilience::MetricsSnapshot;
use serde::Serialize;
use tokenomics_core::{Amount, EpochPlan, Hash256};

/// A step of an epoch, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Progress {
    /// The plan is journaled: `transfers` in all, `confirmed` of them already.
    Planned {
        /// The epoch.
        epoch: u64,
        /// Transfers in the plan.
        transfers: u64,
        /// Already confirmed (a resumed run).
        confirmed: u64,
    },
    /// The mint is confirmed.
    Minted {
        /// The epoch.
        epoch: u64,
        /// How much the epoch mints.
        amount: Amount,
        /// `true` when the epoch was found open on chain (an earlier run, or one with
        /// another journal, opened it and minted): this run minted nothing.
        earlier: bool,
        /// Whether the chain's own cap lowered it (see [`EpochReport::mint_capped_by_chain`]).
        capped_by_chain: bool,
    },
    /// More transfers are confirmed.
    Confirmed {
        /// The epoch.
        epoch: u64,
        /// Confirmed so far.
        confirmed: u64,
        /// Transfers in the plan.
        transfers: u64,
    },
    /// Balances on chain match the plan.
    Verified {
        /// The epoch.
        epoch: u64,
    },
}

/// How the run of an epoch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// This run paid (or finished paying) the epoch.
    Paid,
    /// The journal says the epoch was already done: nothing was sent.
    AlreadyDone,
    /// The chain shows the epoch already paid (by a run with another journal, or one
    /// that lost it): nothing was sent, everything was verified.
    AlreadyPaidOnChain,
    /// The epoch was closed for good (`tokenomics close-epoch`): nothing was sent, and
    /// nothing ever will be; the report's figures are zero.
    Closed,
}

impl Outcome {
    /// The words a person reads.
    pub fn describe(self) -> &'static str {
        match self {
            Outcome::Paid => "paid",
            Outcome::AlreadyDone => "already done",
            Outcome::AlreadyPaidOnChain => "already paid on chain",
            Outcome::Closed => "closed (never paid further)",
        }
    }
}

/// The result of one epoch: the plan's figures, what was sent, and how the RPC went.
#[derive(Debug, Clone, Serialize)]
pub struct EpochReport {
    /// The epoch.
    pub epoch: u64,
    /// Paid now, or already done before.
    pub outcome: Outcome,
    /// The plan paid.
    pub plan_hash: Hash256,
    /// Emission of the epoch.
    pub emission: Amount,
    /// Withheld for low quality.
    pub unmet_burned: Amount,
    /// Burned fees and penalties.
    pub fees_burned: Amount,
    /// Paid from the recycling pool.
    pub from_pool: Amount,
    /// Minted.
    pub minted: Amount,
    /// Whether the chain's own cap (on EVM what the token's emission category can still
    /// mint) lowered `minted` below what the epoch's rewards and max supply allow.
    pub mint_capped_by_chain: bool,
    /// Paid out in all.
    pub paid: Amount,
    /// Recycling pool after the epoch.
    pub recycling_pool_after: Amount,
    /// Transfers in the plan.
    pub transfers: u64,
    /// Distinct recipients.
    pub recipients: u64,
    /// Transfers confirmed by this run (0 when already done).
    pub confirmed_now: u64,
    /// Transfers this run found already applied on chain (sent by an earlier run
    /// whose confirmations the journal does not have).
    pub found_on_chain: u64,
    /// Transfers whose on-chain records were read back and matched the plan.
    pub verified_records: u64,
    /// Recipients whose balances were compared on chain (0 when other writes during
    /// the epoch made balances unable to tell; the records still were).
    pub verified_recipients: u64,
    /// Wall time of this run of the epoch, in milliseconds.
    pub elapsed_ms: u64,
    /// RPC retries during this epoch.
    pub retries: u64,
    /// Circuit-breaker trips during this epoch.
    pub breaker_trips: u64,
    /// The client's metrics at the end of the epoch.
    pub rpc: MetricsSnapshot,
    /// How the epoch is paid: `push` (transfers) or `claims` (one root).
    pub payout: &'static str,
    /// For a claims epoch, the root it published.
    pub claims_root: Option<String>,
    /// For a claims epoch, the sum of every leaf of its root.
    pub cumulative_total: Option<Amount>,
}

impl EpochReport {
    /// The report of an epoch closed for good: its plan hash, every figure zero.
    pub(crate) fn closed(epoch: u64, plan_hash: Hash256, rpc: MetricsSnapshot) -> EpochReport {
        EpochReport {
            epoch,
            outcome: Outcome::Closed,
            plan_hash,
            emission: Amount::ZERO,
            unmet_burned: Amount::ZERO,
            fees_burned: Amount::ZERO,
            from_pool: Amount::ZERO,
            minted: Amount::ZERO,
            mint_capped_by_chain: false,
            paid: Amount::ZERO,
            recycling_pool_after: Amount::ZERO,
            transfers: 0,
            recipients: 0,
            confirmed_now: 0,
            found_on_chain: 0,
            verified_records: 0,
            verified_recipients: 0,
            elapsed_ms: 0,
            retries: 0,
            breaker_trips: 0,
            rpc,
            payout: "push",
            claims_root: None,
            cumulative_total: None,
        }
    }

    /// Records how the epoch is paid.
    pub(crate) fn paid_way(&mut self, way: crate::seam::PaidWay) {
        self.payout = way.payout;
        self.claims_root = way.claims_root;
        self.cumulative_total = way.cumulative_total;
    }

    /// The report of `plan` with this outcome: the plan's figures, the counts of this run
    /// still zero (the executor fills them in).
    pub(crate) fn new(plan: &EpochPlan, outcome: Outcome, rpc: MetricsSnapshot) -> EpochReport {
        let mut recipients: Vec<_> = plan.transfers.iter().map(|t| t.to).collect();
        recipients.sort_unstable();
        recipients.dedup();
        EpochReport {
            outcome,
            emission: plan.emission,
            unmet_burned: plan.unmet_burned,
            fees_burned: plan.fees_burned,
            from_pool: plan.from_pool,
            minted: plan.from_mint,
            paid: plan.total,
            recycling_pool_after: plan.recycling_pool_after,
            transfers: plan.transfers.len() as u64,
            recipients: recipients.len() as u64,
            ..EpochReport::closed(plan.epoch, plan.plan_hash, rpc)
        }
    }
}
