//! What the payout contract shows of an epoch at a given block: its full record and which
//! chunks are paid. The executor re-checks its journal against this, read `confirmations`
//! deep ([`EvmSender::confirmed_block`](evm_sender::EvmSender::confirmed_block)), and
//! verification reads it at the head.

use alloy_primitives::U256;
use tokenomics_core::Amount;

use super::abi::{to_amount, to_hash, IEpochPayout};
use super::EvmPayout;
use crate::chain::EpochMemo;
use crate::error::Result;

/// The payout contract's record of an opened epoch (`epochRecord`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EpochState {
    /// The plan hash and the minted supply before the epoch.
    pub memo: EpochMemo,
    /// What the opening minted.
    pub from_mint: Amount,
    /// How many chunks are paid.
    pub chunks_paid: u32,
    /// What the paid chunks transferred in total.
    pub paid_total: Amount,
}

impl EvmPayout {
    /// The epoch's record at `block` (`None`: the latest), or `None` when it is not open
    /// there.
    pub async fn epoch_state(&self, epoch: u64, block: Option<u64>) -> Result<Option<EpochState>> {
        let payout = self.contracts.payout;
        let call = IEpochPayout::epochRecordCall { epoch };
        let record = self.view_at("payout", payout, call, block).await?;
        if !record.opened {
            return Ok(None);
        }
        Ok(Some(EpochState {
            memo: EpochMemo {
                plan_hash: to_hash("epochRecord", record.planHash)?,
                minted_supply: to_amount("epochRecord", record.mintedSupplyBefore)?,
            },
            from_mint: to_amount("epochRecord", record.fromMint)?,
            chunks_paid: record.chunksPaid,
            paid_total: to_amount("epochRecord", record.paidTotal)?,
        }))
    }

    /// Which of the epoch's first `count` chunks the contract marks paid at `block`
    /// (`None`: the latest), one `paidChunkWord` call per 256 chunks.
    pub async fn paid_chunks_at(
        &self,
        epoch: u64,
        count: usize,
        block: Option<u64>,
    ) -> Result<Vec<bool>> {
        let payout = self.contracts.payout;
        let mut paid = Vec::with_capacity(count);
        for word in 0..count.div_ceil(256) {
            let call = IEpochPayout::paidChunkWordCall {
                epoch,
                word: U256::from(word),
            };
            let bits = self.view_at("payout", payout, call, block).await?;
            let left = count.saturating_sub(paid.len()).min(256);
            paid.extend((0..left).map(|bit| bits.bit(bit)));
        }
        Ok(paid)
    }
}
