//! Closing an epoch that can never complete (`closeEpoch`, `close:<epoch>`): the proof that
//! it cannot, and the one transaction that ends it.
//!
//! An epoch is unpayable when one of its unpaid chunks, simulated now from the owner with
//! `eth_call`, reverts for a reason other than the payout contract being short of funds
//! (`ERC20InsufficientBalance`, which more funds would cure): the token refusing a
//! recipient (`ERC20InvalidReceiver`), for instance. The contract refuses to close an
//! epoch whose chunks are all paid, and a closed epoch pays nothing more; what it did not
//! pay stays in the contract, where later epochs' `from_pool` is paid from.

use alloy_primitives::Bytes;
use alloy_sol_types::SolCall;
use evm_sender::{TxRequest, B256};
use payout_executor::{CloseProgress, ClosesEpochs, PayoutPreview, TxHash};
use tokenomics_core::{refusal, Amount, Transfer};

use crate::abi::{to_amount, IEpochPayout};
use crate::error::EvmError;
use crate::follow::{Ended, Proof};
use crate::pay::{payout_call, CHUNK_SIZE};
use crate::EvmPayout;
use payout_executor::Result;

/// The revert reason of a chunk that more funds in the payout contract would let through.
const SHORT_OF_FUNDS: &str = "ERC20InsufficientBalance";

/// Where an epoch stands on the payout contract, for closing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EpochProgress {
    /// Chunks paid.
    pub chunks_paid: u32,
    /// What the paid chunks transferred in all.
    pub paid_total: Amount,
    /// Whether the epoch was closed.
    pub closed: bool,
}

/// The operation id of an epoch's closing.
pub(crate) fn close_op(epoch: u64) -> String {
    format!("close:{epoch}")
}

impl EvmPayout {
    /// The epoch's progress on the contract, `None` when it was never opened.
    pub async fn epoch_progress(&self, epoch: u64) -> Result<Option<EpochProgress>> {
        let payout = self.contracts.payout;
        let record = self
            .view("payout", payout, IEpochPayout::epochRecordCall { epoch })
            .await?;
        if !record.opened {
            return Ok(None);
        }
        let closed = self.epoch_closed(epoch).await?;
        Ok(Some(EpochProgress {
            chunks_paid: record.chunksPaid,
            paid_total: to_amount("epochRecord", record.paidTotal)?,
            closed,
        }))
    }

    /// Whether the contract has `epoch` closed (`epochClosed`).
    pub async fn epoch_closed(&self, epoch: u64) -> Result<bool> {
        self.reader.epoch_closed(epoch).await
    }

    /// The first unpaid chunk of `transfers` (the epoch's plan, in plan order) whose
    /// `payout`, simulated now, reverts for a reason other than the payout contract being
    /// short of funds, with that reason; `None` when every unpaid chunk could still be
    /// paid. Reads only.
    pub async fn unpayable_chunk(
        &self,
        epoch: u64,
        transfers: &[Transfer],
    ) -> Result<Option<(u32, String)>> {
        let chunks = transfers.len().div_ceil(CHUNK_SIZE);
        let paid = self.paid_chunks(epoch, chunks).await?;
        for (k, part) in transfers.chunks(CHUNK_SIZE).enumerate() {
            if paid.get(k).copied().unwrap_or(false) {
                continue;
            }
            let k = u32::try_from(k).map_err(|_| EvmError::Malformed {
                call: "payout",
                reason: format!("chunk {k} does not fit a uint32"),
            })?;
            let data = payout_call(epoch, k, part);
            if let Some(reason) = self.reason_now(self.contracts.payout, data).await {
                if !reason.contains(SHORT_OF_FUNDS) {
                    return Ok(Some((k, reason)));
                }
            }
        }
        Ok(None)
    }

    /// Closes `epoch` (`closeEpoch(epoch, chunks)` as `close:<epoch>`, once per sender
    /// journal) and waits until the contract shows it closed `confirmations` deep
    /// (`follow.rs`); returns its transaction hash. Refused
    /// by the contract (an epoch not opened, closed, or with all `chunks` paid):
    /// [`EvmError::Reverted`] with the reason, nothing mined.
    pub async fn close_epoch(&self, epoch: u64, chunks: u32) -> Result<B256> {
        let data = Bytes::from(IEpochPayout::closeEpochCall { epoch, chunks }.abi_encode());
        let request = TxRequest::call(self.contracts.payout, data.clone());
        let refused = |tx_hash, reason: Option<String>| EvmError::Reverted {
            epoch,
            what: "close".into(),
            tx_hash,
            reason: reason.unwrap_or_else(|| "unknown (the call succeeds now)".into()),
        };
        let follow = self.follow();
        let ended = match follow.start(&close_op(epoch), request, 0).await? {
            Ok(mut tracked) => {
                follow
                    .until_shown(&mut tracked, Proof::Closed(epoch))
                    .await?
            }
            Err(ended) => ended,
        };
        let tx_hash = match ended {
            Ended::Shown(Some(done)) => return Ok(done.tx_hash),
            // Closed, by no transaction of this journal: ours reverted (closed already).
            Ended::Shown(None) | Ended::Failed(evm_sender::Error::WouldRevert { .. }) => None,
            Ended::Failed(evm_sender::Error::Reverted { tx_hash, .. }) => Some(tx_hash),
            Ended::Failed(error) => return Err(crate::error::sender(error)),
            Ended::GaveUp(attempts) => {
                let what = "close".into();
                return Err(EvmError::NotShown {
                    epoch,
                    what,
                    attempts,
                }
                .into());
            }
        };
        let reason = self.reason_now(self.contracts.payout, data).await;
        Err(refused(tx_hash, reason).into())
    }
}

/// Closing on EVM: the payout contract's `closeEpoch`, for an epoch whose unpaid chunk
/// pays a recipient the chain refuses or reverts now for a reason other than the payout
/// contract being short of funds.
impl ClosesEpochs for EvmPayout {
    fn units(&self, transfers: usize) -> u64 {
        transfers.div_ceil(CHUNK_SIZE) as u64
    }

    async fn close_progress(&self, epoch: u64) -> Result<Option<CloseProgress>> {
        Ok(self
            .epoch_progress(epoch)
            .await?
            .map(|progress| CloseProgress {
                units_paid: progress.chunks_paid,
                paid_total: progress.paid_total,
                closed: progress.closed,
            }))
    }

    async fn stranding(&self, epoch: u64, transfers: &[Transfer]) -> Result<Option<String>> {
        let chunks = transfers.len().div_ceil(CHUNK_SIZE);
        let paid = self.paid_chunks(epoch, chunks).await?;
        let refused = self.refused_recipients();
        for (index, transfer) in transfers.iter().enumerate() {
            if paid.get(index / CHUNK_SIZE).copied().unwrap_or(false) {
                continue;
            }
            if let Some(what) = refusal(transfer.to, &refused) {
                return Ok(Some(format!(
                    "transfer {index} (chunk {}) pays {}, {what}, which the chain refuses as a recipient",
                    index / CHUNK_SIZE,
                    transfer.to
                )));
            }
        }
        Ok(self
            .unpayable_chunk(epoch, transfers)
            .await?
            .map(|(k, why)| format!("chunk {k} reverts now: {why}")))
    }

    async fn close(&self, epoch: u64, units: u32) -> Result<TxHash> {
        Ok(TxHash(self.close_epoch(epoch, units).await?.0))
    }
}
