//! What the payout contract shows of an epoch at a given block: its full record and which
//! chunks are paid, read through [`PayoutReader`] (no key, no journal, sends nothing).
//!
//! [`PayoutReader::shows`] is the one rule for "what the contract shows as confirmed": the
//! record and the chunk bits at the newest block `confirmations` deep. The executor
//! re-checks its journal against it ([`EvmPayout`]'s `shows`), `tokenomics status
//! --check-chain` compares a journal with it, and verification reads the same state at
//! the head.

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::SolCall;
use evm_sender::EvmReader;
use tokenomics_core::Amount;

use crate::abi::{to_amount, to_hash, IEpochPayout};
use crate::deploy::Contracts;
use crate::error::EvmError;
use crate::pay::{chunks_for, CHUNK_SIZE};
use crate::EvmPayout;
use payout_executor::ChainShows;
use payout_executor::Opening;
use payout_executor::Result;
use payout_executor::{JournaledEpoch, ShowsChain};

/// The payout contract's record of an opened epoch (`epochRecord`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EpochState {
    /// The plan hash and the minted supply before the epoch.
    pub memo: Opening,
    /// What the opening minted.
    pub from_mint: Amount,
    /// How many chunks are paid.
    pub chunks_paid: u32,
    /// What the paid chunks transferred in total.
    pub paid_total: Amount,
}

/// Read-only views of the token and its payout contract (see the module docs).
#[derive(Debug, Clone)]
pub struct PayoutReader {
    reader: EvmReader,
    contracts: Contracts,
}

impl PayoutReader {
    /// Views of `contracts` through `reader` (its `confirmations` set what
    /// [`PayoutReader::shows`] counts as confirmed).
    pub fn new(reader: EvmReader, contracts: Contracts) -> PayoutReader {
        PayoutReader { reader, contracts }
    }

    /// The two contracts.
    pub fn contracts(&self) -> Contracts {
        self.contracts
    }

    /// The chain reader.
    pub fn reader(&self) -> &EvmReader {
        &self.reader
    }

    /// `eth_call` of a view at `block` (`None`: the latest); an empty answer means no
    /// contract at `to` ([`EvmError::NoContract`], naming `what`).
    pub(super) async fn view_at<C: SolCall>(
        &self,
        what: &'static str,
        to: Address,
        call: C,
        block: Option<u64>,
    ) -> Result<C::Return> {
        let data = Bytes::from(call.abi_encode());
        let answer = self
            .reader
            .call(to, data, block)
            .await
            .map_err(crate::error::sender)?;
        if answer.is_empty() {
            return Err(EvmError::NoContract { what, address: to }.into());
        }
        C::abi_decode_returns(&answer).map_err(|e| {
            EvmError::Malformed {
                call: C::SIGNATURE,
                reason: e.to_string(),
            }
            .into()
        })
    }

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
            memo: Opening {
                plan_hash: to_hash(record.planHash),
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

    /// Whether the contract marks chunk `k` of `epoch` paid at `block` (`None`: the
    /// latest): one `paidChunkWord` call.
    pub async fn chunk_paid_at(&self, epoch: u64, k: u32, block: Option<u64>) -> Result<bool> {
        let call = IEpochPayout::paidChunkWordCall {
            epoch,
            word: U256::from(k / 256),
        };
        let bits = self
            .view_at("payout", self.contracts.payout, call, block)
            .await?;
        Ok(bits.bit((k % 256) as usize))
    }

    /// What the contract shows of an epoch of `transfers` transfers at the newest block
    /// `confirmations` deep (a chunk mined but not confirmed yet is not shown): the record
    /// and, when open, its chunk bits spread over the transfers (chunk `k` is transfers
    /// `[300k, 300k + 300)`). Two calls and one per 256 chunks.
    pub async fn shows(&self, epoch: u64, transfers: usize) -> Result<ChainShows> {
        let block = Some(
            self.reader
                .confirmed_block()
                .await
                .map_err(crate::error::sender)?,
        );
        let state = self.epoch_state(epoch, block).await?;
        let mut paid = vec![false; transfers];
        if state.is_some() {
            let chunks = self
                .paid_chunks_at(epoch, chunks_for(transfers), block)
                .await?;
            for (k, _) in chunks.iter().enumerate().filter(|(_, paid)| **paid) {
                let first = k * CHUNK_SIZE;
                let end = (first + CHUNK_SIZE).min(paid.len());
                paid[first..end].fill(true);
            }
        }
        Ok(ChainShows {
            opened: state.is_some(),
            plan_hash: state.map(|state| state.memo.plan_hash),
            paid,
        })
    }
}

impl EvmPayout {
    /// [`PayoutReader::epoch_state`] through this backend's reader.
    pub async fn epoch_state(&self, epoch: u64, block: Option<u64>) -> Result<Option<EpochState>> {
        self.reader.epoch_state(epoch, block).await
    }

    /// [`PayoutReader::paid_chunks_at`] through this backend's reader.
    pub async fn paid_chunks_at(
        &self,
        epoch: u64,
        count: usize,
        block: Option<u64>,
    ) -> Result<Vec<bool>> {
        self.reader.paid_chunks_at(epoch, count, block).await
    }
}

/// `status --check-chain` on EVM: [`PayoutReader::shows`] for the journal's transfer count.
impl ShowsChain for PayoutReader {
    async fn shows_journaled(&self, epoch: &JournaledEpoch) -> Result<ChainShows> {
        self.shows(epoch.epoch, epoch.transfers.len()).await
    }
}
