//! The Luxtensor-protocol backend: [`Chain`] as a [`PayoutChain`].
//!
//! The epoch opens with `luxtensor_mint` under `mint:<epoch>` carrying the plan memo;
//! each transfer is `luxtensor_transfer` under `transfer:<epoch>:<index>`. The node
//! answers a replayed key with its first result and refuses a key reused with other
//! values, so the keys alone make every write happen once.

mod batch;
mod open;
mod send;
mod shows;
mod verify;

use std::sync::atomic::AtomicBool;

use rpc_resilience::MetricsSnapshot;
use tokenomics_core::{Address, Amount, EpochPlan};

use crate::chain::{mint_key, Chain, EpochMemo};
use crate::error::Result;
use crate::executor::ExecutorConfig;
use crate::journal::EpochRecord;
use crate::payout_chain::{Baseline, ConfirmedSink, PayoutChain, PayoutPreview, Verified};

impl PayoutPreview for Chain {
    fn payer(&self, configured: Address) -> Address {
        configured
    }

    fn metrics(&self) -> MetricsSnapshot {
        self.client().metrics()
    }

    async fn minted_supply(&self) -> Result<Amount> {
        self.total_supply().await
    }

    async fn opening(&self, epoch: u64) -> Result<Option<EpochMemo>> {
        Ok(self.opening_record(epoch).await?.map(|(_, memo)| memo))
    }

    async fn is_open(&self, epoch: u64) -> Result<bool> {
        Ok(self.record(&mint_key(epoch)).await?.is_some())
    }

    async fn baseline(&self, plan: &EpochPlan, payer: Address, sample: usize) -> Result<Baseline> {
        self.baseline_before_mint(plan, payer, sample).await
    }

    /// The mint's record under `mint:<epoch>`: its memo, recipient and amount.
    async fn opened_with(
        &self,
        plan: &EpochPlan,
        memo: &EpochMemo,
        payer: Address,
    ) -> Result<bool> {
        match self.record(&mint_key(plan.epoch)).await? {
            Some(found) => open::check_opening(plan, payer, memo, &found).map(|()| true),
            None => Ok(false),
        }
    }

    async fn funds_needed(&self, plan: &EpochPlan, payer: Address, owed: Amount) -> Result<Amount> {
        Ok(self.check_pool(plan, payer, owed).await?.needed)
    }

    /// The records of the `pending` transfers' keys ([`PayoutChain::applied`]).
    async fn unpaid(
        &self,
        plan: &EpochPlan,
        payer: Address,
        pending: &[u32],
        config: &ExecutorConfig,
    ) -> Result<usize> {
        let applied = self.applied(plan, payer, pending, config).await?;
        Ok(pending.len() - applied.len())
    }
}

impl PayoutChain for Chain {
    async fn open(
        &self,
        plan: &EpochPlan,
        memo: &EpochMemo,
        payer: Address,
        owed: Amount,
    ) -> Result<bool> {
        self.open_epoch(plan, memo, payer, owed).await
    }

    async fn applied(
        &self,
        plan: &EpochPlan,
        payer: Address,
        pending: &[u32],
        config: &ExecutorConfig,
    ) -> Result<Vec<(u32, String)>> {
        self.applied_on_chain(plan, payer, pending, config.batches_in_flight.get())
            .await
    }

    async fn pay(
        &self,
        plan: &EpochPlan,
        payer: Address,
        pending: &[u32],
        config: &ExecutorConfig,
        stop: &AtomicBool,
        confirmed: &mut ConfirmedSink<'_>,
    ) -> Result<()> {
        self.send_rounds(plan, payer, pending, config, stop, confirmed)
            .await
    }

    async fn verify(
        &self,
        plan: &EpochPlan,
        record: &EpochRecord,
        samples: &[(Address, Amount)],
        sample: usize,
    ) -> Result<Verified> {
        verify::verify(self, record, samples, plan, sample).await
    }
}
