//! [`ClaimsPayout`] on the executor's seam: the reads are the push backend's (the same
//! contracts, token and epoch record) except what "paid" means; an epoch is paid in full
//! once the contract shows it opened by `openClaims` and a current root at least as late.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use payout_evm::EvmPayout;
use payout_executor::{
    Baseline, ChainShows, ConfirmedSink, Opening, PaidBy, PaidWay, PayoutChain, PayoutPreview,
    Result, TxHash, Verified,
};
use payout_journal::ClaimsLedger;
use rpc_resilience::MetricsSnapshot;
use tokenomics_core::{Address, Amount, EpochInputs, EpochPlan, Params, Refused};

use crate::reader::ClaimsReader;

/// The operation id of an epoch's `openClaims`.
pub(crate) fn claims_op(epoch: u64) -> String {
    format!("claims:{epoch}")
}

/// The inputs of earlier claims epochs, to rebuild a lost cumulative table from: each
/// planned on the minted supply and within the mint its epoch record on chain holds
/// (unless the inputs gave `minted_supply`), and checked against the record's plan hash.
#[derive(Debug, Clone, Default)]
pub struct ClaimsHistory {
    pub(crate) params: Option<Params>,
    pub(crate) inputs: BTreeMap<u64, (EpochInputs, bool)>,
}

impl ClaimsHistory {
    /// History planned under `params`.
    pub fn new(params: Params) -> ClaimsHistory {
        ClaimsHistory {
            params: Some(params),
            inputs: BTreeMap::new(),
        }
    }

    /// Adds one epoch's inputs; `minted_given`: the inputs named `minted_supply`.
    pub fn add(&mut self, inputs: EpochInputs, minted_given: bool) {
        self.inputs.insert(inputs.epoch, (inputs, minted_given));
    }
}

/// The claims backend: the push backend's connection (sender, contracts, reads), the
/// claims views, the cumulative table (in the run's journal) and the history to rebuild
/// it from.
#[derive(Debug)]
pub struct ClaimsPayout {
    pub(crate) evm: EvmPayout,
    pub(crate) claims: ClaimsReader,
    pub(crate) ledger: RefCell<ClaimsLedger>,
    pub(crate) history: ClaimsHistory,
}

impl ClaimsPayout {
    /// Claims over a connected push backend (`EvmPayout::connect` checked the chain and
    /// the owners), with the run's cumulative table and the history to rebuild it from.
    pub fn new(evm: EvmPayout, ledger: ClaimsLedger, history: ClaimsHistory) -> ClaimsPayout {
        let claims = ClaimsReader::new(evm.sender().reader(), evm.contracts().payout);
        ClaimsPayout {
            evm,
            claims,
            ledger: RefCell::new(ledger),
            history,
        }
    }

    /// The claims views.
    pub fn claims(&self) -> &ClaimsReader {
        &self.claims
    }

    /// The push backend underneath (sender, contracts).
    pub fn evm(&self) -> &EvmPayout {
        &self.evm
    }

    /// Whether the contract shows `plan`'s epoch opened by `openClaims` with this plan and
    /// a root at least as late, at `block`.
    pub(crate) async fn shown(&self, plan: &EpochPlan, block: Option<u64>) -> Result<bool> {
        let Some(state) = self.evm.epoch_state(plan.epoch, block).await? else {
            return Ok(false);
        };
        if state.memo.plan_hash != plan.plan_hash || state.from_mint != plan.from_mint {
            return Ok(false);
        }
        if !self.claims.is_claims(plan.epoch, block).await? {
            return Ok(false);
        }
        let current = self.claims.current_root(block).await?;
        Ok(current.is_some_and(|root| root.epoch >= plan.epoch))
    }

    /// What paid an epoch: our `openClaims` when the sender's journal confirmed it.
    fn paid_by(&self, epoch: u64) -> Result<PaidBy> {
        let done = self
            .evm
            .sender()
            .journaled_confirmation(&claims_op(epoch))
            .map_err(crate::error::sender)?;
        Ok(done.map_or(PaidBy::AnotherRun, |c| PaidBy::Tx(TxHash(c.tx_hash.0))))
    }
}

impl PayoutPreview for ClaimsPayout {
    fn payer(&self) -> Address {
        self.evm.payer()
    }

    fn metrics(&self) -> MetricsSnapshot {
        self.evm.metrics()
    }

    fn refused_recipients(&self) -> Vec<Refused> {
        self.evm.refused_recipients()
    }

    async fn minted_supply(&self) -> Result<Amount> {
        PayoutPreview::minted_supply(&self.evm).await
    }

    async fn mint_room(&self, epoch: u64) -> Result<Option<Amount>> {
        self.evm.mint_room(epoch).await
    }

    async fn opening(&self, epoch: u64) -> Result<Option<Opening>> {
        self.evm.opening(epoch).await
    }

    async fn shows(&self, plan: &EpochPlan) -> Result<Option<ChainShows>> {
        let block = Some(self.claims.confirmed_block().await?);
        let state = self.evm.epoch_state(plan.epoch, block).await?;
        let paid = self.shown(plan, block).await?;
        Ok(Some(ChainShows {
            opened: state.is_some(),
            plan_hash: state.map(|s| s.memo.plan_hash),
            paid: vec![paid; plan.transfers.len()],
        }))
    }

    async fn baseline(&self, plan: &EpochPlan, sample: usize) -> Result<Baseline> {
        self.evm.baseline(plan, sample).await
    }

    /// `claims`, with the root and cumulative total the journal holds for the epoch.
    async fn paid_way(&self, epoch: u64) -> Result<PaidWay> {
        let epochs = self.ledger.borrow().epochs()?;
        let ours = epochs.into_iter().find(|e| e.epoch == epoch);
        Ok(PaidWay {
            payout: "claims",
            claims_root: ours.as_ref().map(|e| e.root.clone()),
            cumulative_total: ours.map(|e| e.cumulative_total),
        })
    }

    async fn opened_with(&self, plan: &EpochPlan, opening: &Opening) -> Result<bool> {
        self.evm.opened_with(plan, opening).await
    }

    /// What the payout contract must hold before the mint: the claims outstanding, the
    /// epoch's total (its new leaves) and `owed`, less the epoch's mint.
    async fn funds_needed(&self, plan: &EpochPlan, owed: Amount) -> Result<Amount> {
        self.check_funds(plan, owed).await
    }

    async fn unpaid(&self, plan: &EpochPlan, pending: &[u32]) -> Result<usize> {
        Ok(if self.shown(plan, None).await? {
            0
        } else {
            pending.len()
        })
    }
}

impl PayoutChain for ClaimsPayout {
    async fn open(&self, plan: &EpochPlan, opening: &Opening, owed: Amount) -> Result<bool> {
        self.open_claims(plan, opening, owed).await
    }

    async fn applied(&self, plan: &EpochPlan, pending: &[u32]) -> Result<Vec<(u32, PaidBy)>> {
        let block = Some(self.claims.confirmed_block().await?);
        if !self.shown(plan, block).await? {
            return Ok(Vec::new());
        }
        let paid_by = self.paid_by(plan.epoch)?;
        Ok(pending.iter().map(|&index| (index, paid_by)).collect())
    }

    /// The opening paid every transfer (each recipient claims it): once the contract shows
    /// it, every pending transfer is confirmed under the `openClaims` transaction.
    async fn pay(
        &self,
        plan: &EpochPlan,
        pending: &[u32],
        _stop: &AtomicBool,
        confirmed: &mut ConfirmedSink<'_>,
    ) -> Result<()> {
        let applied = self.applied(plan, pending).await?;
        if applied.len() != pending.len() {
            return Err(crate::ClaimsError::NotShown {
                epoch: plan.epoch,
                attempts: 0,
            }
            .into());
        }
        confirmed(&applied)
    }

    async fn verify(
        &self,
        plan: &EpochPlan,
        opening: &Opening,
        _baseline: Option<&Baseline>,
        _sample: usize,
    ) -> Result<Verified> {
        self.verify_claims(plan, opening).await
    }
}
