//! [`LuxtensorPayout`] as a [`PayoutChain`]: each step of the seam in Luxtensor calls.
//!
//! The epoch opens with `luxtensor_mint` under `mint:<epoch>` carrying the plan memo;
//! each transfer is `luxtensor_transfer` under `transfer:<epoch>:<index>`. The node
//! answers a replayed key with its first result and refuses a key reused with other
//! values, so the keys alone make every write happen once.

use std::sync::atomic::AtomicBool;

use rpc_resilience::MetricsSnapshot;
use tokenomics_core::{Address, Amount, EpochPlan};

use payout_executor::{
    Baseline, ConfirmedSink, Opening, PaidBy, PayoutChain, PayoutPreview, Result, Verified,
};

use crate::open::check_opening;
use crate::protocol::{mint_key, LuxtensorPayout};
use crate::verify::verify;

impl PayoutPreview for LuxtensorPayout {
    /// The configured treasury.
    fn payer(&self) -> Address {
        self.config.treasury
    }

    fn metrics(&self) -> MetricsSnapshot {
        self.client().metrics()
    }

    async fn minted_supply(&self) -> Result<Amount> {
        Ok(self.total_supply().await?)
    }

    async fn opening(&self, epoch: u64) -> Result<Option<Opening>> {
        Ok(self
            .opening_record(epoch)
            .await?
            .map(|(_, opening)| opening))
    }

    async fn is_open(&self, epoch: u64) -> Result<bool> {
        Ok(self.record(&mint_key(epoch)).await?.is_some())
    }

    async fn baseline(&self, plan: &EpochPlan, sample: usize) -> Result<Baseline> {
        self.baseline_before_mint(plan, self.payer(), sample).await
    }

    /// The mint's record under `mint:<epoch>`: its memo, recipient and amount.
    async fn opened_with(&self, plan: &EpochPlan, opening: &Opening) -> Result<bool> {
        match self.record(&mint_key(plan.epoch)).await? {
            Some(found) => check_opening(plan, self.payer(), opening, &found).map(|()| true),
            None => Ok(false),
        }
    }

    async fn funds_needed(&self, plan: &EpochPlan, owed: Amount) -> Result<Amount> {
        Ok(self.check_pool(plan, self.payer(), owed).await?.needed)
    }

    /// The records of the `pending` transfers' keys ([`PayoutChain::applied`]).
    async fn unpaid(&self, plan: &EpochPlan, pending: &[u32]) -> Result<usize> {
        let applied = self.applied(plan, pending).await?;
        Ok(pending.len() - applied.len())
    }
}

impl PayoutChain for LuxtensorPayout {
    async fn open(&self, plan: &EpochPlan, opening: &Opening, owed: Amount) -> Result<bool> {
        self.open_epoch(plan, opening, self.payer(), owed).await
    }

    async fn applied(&self, plan: &EpochPlan, pending: &[u32]) -> Result<Vec<(u32, PaidBy)>> {
        let in_flight = self.config.batches_in_flight.get();
        self.applied_on_chain(plan, self.payer(), pending, in_flight)
            .await
    }

    async fn pay(
        &self,
        plan: &EpochPlan,
        pending: &[u32],
        stop: &AtomicBool,
        confirmed: &mut ConfirmedSink<'_>,
    ) -> Result<()> {
        self.send_rounds(plan, self.payer(), pending, stop, confirmed)
            .await
    }

    async fn verify(
        &self,
        plan: &EpochPlan,
        opening: &Opening,
        baseline: Option<&Baseline>,
        sample: usize,
    ) -> Result<Verified> {
        verify(self, opening, baseline, plan, sample).await
    }
}
