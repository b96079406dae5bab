//! Verification on an EVM chain rests on what the payout contract did, never on balances
//! (anyone holding MDT can move those, before, during or after an epoch):
//!
//! - the epoch's record is this plan's (plan hash, minted supply before, `fromMint`), its
//!   `chunksPaid` is the plan's chunk count and its `paidTotal` the plan's total;
//! - every chunk's bit is set;
//! - for a sample of chunks, spread evenly as `sample.rs` spreads transfers, the receipt of
//!   the transaction that paid the chunk holds the contract's `ChunkPaid(epoch, chunk)` and
//!   token `Transfer` logs from the payout contract equal to exactly that chunk's
//!   `(to, amount)` list, in order (a recipient that is the payout contract itself shows as
//!   a transfer to itself). The paying transaction is the one this sender's journal
//!   confirmed for `payout:<epoch>:<chunk>` (or a retry id), else the one `eth_getLogs`
//!   finds emitting `ChunkPaid(epoch, chunk)`; a node refusing that search leaves the chunk
//!   checked by its bit and the record's totals only. The journaled transactions'
//!   receipts are read a few per JSON-RPC batch (`evm_sender::RECEIPTS_PER_BATCH`).

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolEvent;
use evm_sender::Receipt;
use tokenomics_core::{Amount, EpochPlan};

use crate::abi::{to_evm, to_u256, IEpochPayout, IMDTToken};
use crate::pay::{chunk, chunk_count, payout_op};
use crate::{op_id, EvmPayout, MAX_RETRY_IDS};
use payout_executor::sample::spread;
use payout_executor::Opening;
use payout_executor::Verified;
use payout_executor::{ExecutorError, Result};

impl EvmPayout {
    /// Verifies `plan`'s epoch, planned on `minted_supply`, as the module docs say, reading
    /// the logs of up to `sample` chunks. `records` counts the transfers whose `Transfer`
    /// logs were read back and matched; `balances` is always 0.
    pub async fn verify_paid(
        &self,
        plan: &EpochPlan,
        minted_supply: Amount,
        sample: usize,
    ) -> Result<Verified> {
        let epoch = plan.epoch;
        let unverified = |reason: String| ExecutorError::Unverified { epoch, reason };
        let memo = Opening {
            plan_hash: plan.plan_hash,
            minted_supply,
        };
        let Some(state) = self.epoch_state(epoch, None).await? else {
            return Err(unverified("the payout contract has no record".into()));
        };
        if state.memo != memo || state.from_mint != plan.from_mint {
            return Err(ExecutorError::ChainConflict {
                epoch,
                detail: format!(
                    "on chain plan {}, paid plan {}",
                    state.memo.plan_hash, plan.plan_hash
                ),
            });
        }
        let count = chunk_count(plan);
        if usize::try_from(state.chunks_paid).ok() != Some(count) || state.paid_total != plan.total
        {
            return Err(unverified(format!(
                "the payout contract records {} of {count} chunks paid, {} MDT of {} MDT",
                state.chunks_paid, state.paid_total, plan.total
            )));
        }
        let paid = self.paid_chunks(epoch, count).await?;
        if let Some(k) = paid.iter().position(|paid| !paid) {
            return Err(unverified(format!("chunk {k} is not paid")));
        }
        let mut records = 0u64;
        let sampled = spread(count, sample);
        // The journaled paying transactions' receipts, a few per JSON-RPC batch.
        let journaled = sampled
            .iter()
            .map(|&k| self.journaled_payer(epoch, k))
            .collect::<Result<Vec<_>>>()?;
        let hashes: Vec<B256> = journaled.iter().flatten().copied().collect();
        let receipts = self.sender.receipts(&hashes).await;
        let mut receipts = receipts.map_err(crate::error::sender)?.into_iter();
        for (&k, journaled) in sampled.iter().zip(journaled) {
            let found = match journaled {
                Some(tx_hash) => receipts
                    .next()
                    .flatten()
                    .filter(|receipt| receipt.success)
                    .map(|receipt| (tx_hash, receipt)),
                None => self.logged_payer(epoch, k).await?,
            };
            match found {
                Some((tx_hash, receipt)) => {
                    self.check_logs(plan, k, tx_hash, &receipt)?;
                    records += chunk(plan, k).len() as u64;
                }
                None => tracing::info!(
                    epoch,
                    chunk = k,
                    "no receipt of the chunk's transaction found: checked by its bit only"
                ),
            }
        }
        Ok(Verified {
            records,
            balances: 0,
        })
    }

    /// The transaction that paid chunk `k` as this sender's journal confirmed it (for
    /// `payout:<epoch>:<k>` or a retry id), if it did.
    fn journaled_payer(&self, epoch: u64, k: u32) -> Result<Option<B256>> {
        let base = payout_op(epoch, k);
        for n in 0..MAX_RETRY_IDS {
            if let Some(done) = self
                .sender
                .journaled_confirmation(&op_id(&base, n))
                .map_err(crate::error::sender)?
            {
                return Ok(Some(done.tx_hash));
            }
        }
        Ok(None)
    }

    /// The hash and receipt (status 1) of a transaction `eth_getLogs` finds emitting
    /// `ChunkPaid(epoch, k)` (a chunk paid by a run with another nonce journal); `None` when
    /// there is none or the node refuses the search.
    async fn logged_payer(&self, epoch: u64, k: u32) -> Result<Option<(B256, Receipt)>> {
        let topics = [
            Some(IEpochPayout::ChunkPaid::SIGNATURE_HASH),
            Some(word(U256::from(epoch))),
            Some(word(U256::from(k))),
        ];
        let logs = self
            .sender
            .logs(self.contracts.payout, &topics, 0, None)
            .await;
        let hashes: Vec<B256> = match logs {
            Ok(logs) => logs
                .iter()
                .rev()
                .filter_map(|l| l.transaction_hash)
                .collect(),
            Err(error) => {
                tracing::info!(epoch, chunk = k, %error, "eth_getLogs refused");
                Vec::new()
            }
        };
        for tx_hash in hashes {
            if let Some(receipt) = self
                .sender
                .receipt(tx_hash)
                .await
                .map_err(crate::error::sender)?
            {
                if receipt.success {
                    return Ok(Some((tx_hash, receipt)));
                }
            }
        }
        Ok(None)
    }

    /// Chunk `k`'s paying transaction emitted `ChunkPaid(epoch, k)`, and its token
    /// `Transfer` logs from the payout contract are exactly the chunk's transfers, in order.
    fn check_logs(&self, plan: &EpochPlan, k: u32, tx_hash: B256, receipt: &Receipt) -> Result<()> {
        let epoch = plan.epoch;
        let unverified = |reason: String| ExecutorError::Unverified { epoch, reason };
        let (payout, token) = (self.contracts.payout, self.contracts.token);
        let chunk_paid = [
            IEpochPayout::ChunkPaid::SIGNATURE_HASH,
            word(U256::from(epoch)),
            word(U256::from(k)),
        ];
        if !receipt
            .logs
            .iter()
            .any(|log| log.address == payout && log.topics == chunk_paid)
        {
            return Err(unverified(format!(
                "chunk {k}: transaction {tx_hash} has no ChunkPaid({epoch}, {k}) event"
            )));
        }
        let from = payout.into_word();
        let sent: Vec<(Address, Option<U256>)> = receipt
            .logs
            .iter()
            .filter(|log| {
                log.address == token
                    && log.topics.len() == 3
                    && log.topics[0] == IMDTToken::Transfer::SIGNATURE_HASH
                    && log.topics[1] == from
            })
            .map(|log| {
                let amount = (log.data.len() == 32).then(|| U256::from_be_slice(&log.data));
                (Address::from_word(log.topics[2]), amount)
            })
            .collect();
        let planned: Vec<(Address, Option<U256>)> = chunk(plan, k)
            .iter()
            .map(|t| (to_evm(t.to), Some(to_u256(t.amount))))
            .collect();
        if sent == planned {
            return Ok(());
        }
        let at = sent
            .iter()
            .zip(&planned)
            .position(|(a, b)| a != b)
            .unwrap_or(sent.len().min(planned.len()));
        Err(unverified(format!(
            "chunk {k}: transaction {tx_hash} made {} transfers from the payout contract, the plan {}; first difference at position {at}: {:?} instead of {:?}",
            sent.len(),
            planned.len(),
            sent.get(at),
            planned.get(at)
        )))
    }
}

/// A `uint256` as a 32-byte topic.
fn word(value: U256) -> B256 {
    B256::from(value.to_be_bytes::<32>())
}
