//! Confirmation: an operation is done when the account's nonce has passed it and one of its
//! journaled hashes has a status-1 receipt at least `confirmations` deep, in the canonical
//! block at that height (a non-zero hash equal to `eth_getBlockByNumber`'s) with
//! [`ConfirmBy::BlockHash`], at that depth whatever its hash with [`ConfirmBy::Depth`]. Until then its newest bytes are sent again when the node no longer
//! knows them (dropped, or taken by a reorg), never on every poll.

use crate::journal::{now_ms, OpRecord, OpState};
use crate::{rpc, ConfirmBy, Confirmation, Error, EvmSender, Result};

/// What the chain says about one operation.
#[derive(Debug)]
pub(crate) enum Look {
    Final(Confirmation, bool),
    Mined,
    Unmined,
    NonceTaken,
}

/// The head and the account's nonce, read once per round.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChainView {
    pub(crate) head: u64,
    pub(crate) nonce: u64,
}

impl EvmSender {
    /// Waits until `op_id` is confirmed (checking it on chain again even if the journal says
    /// it is), sending its bytes again while they are not mined. A status-0 receipt is
    /// [`Error::Reverted`]; a nonce taken by an unknown transaction is [`Error::ForeignNonce`].
    pub async fn wait_confirmed(&self, op_id: &str) -> Result<Confirmation> {
        let started = tokio::time::Instant::now();
        loop {
            let op = self
                .journal()?
                .find(op_id)?
                .ok_or_else(|| Error::UnknownOp {
                    op_id: op_id.into(),
                })?;
            let view = self.view().await?;
            if let Some(done) = self.advance(&op, view).await? {
                return Ok(done);
            }
            self.pause(op_id, started).await?;
        }
    }

    /// Waits until every journaled operation is confirmed: the pending ones, and the confirmed
    /// ones within `reorg_depth` blocks of the head (checked again). Returns how many
    /// operations were checked in the last round; stops at the first error.
    pub async fn confirm_all(&self) -> Result<usize> {
        let started = tokio::time::Instant::now();
        loop {
            let view = self.view().await?;
            let from = view.head.saturating_sub(self.config.reorg_depth);
            let ops = self.journal()?.to_check(from)?;
            let mut waiting = None;
            for op in &ops {
                if self.advance(op, view).await?.is_none() && waiting.is_none() {
                    waiting = Some(op.op_id.clone());
                }
            }
            match waiting {
                None => return Ok(ops.len()),
                Some(op_id) => self.pause(&op_id, started).await?,
            }
        }
    }

    pub(crate) async fn view(&self) -> Result<ChainView> {
        let head = rpc::head(&self.client).await?;
        let nonce = rpc::nonce(&self.client, self.address(), "latest").await?;
        self.reopen_gap(nonce).await?;
        Ok(ChainView { head, nonce })
    }

    async fn pause(&self, op_id: &str, started: tokio::time::Instant) -> Result<()> {
        if let Some(limit) = self.config.confirm_timeout {
            if started.elapsed() >= limit {
                return Err(Error::ConfirmTimeout {
                    op_id: op_id.into(),
                    waited_ms: u64::try_from(limit.as_millis()).unwrap_or(u64::MAX),
                });
            }
        }
        tokio::time::sleep(self.poll_interval()).await;
        Ok(())
    }

    /// One look at `op`: records a final answer, or sends its bytes again; `Some` when done.
    async fn advance(&self, op: &OpRecord, view: ChainView) -> Result<Option<Confirmation>> {
        let mut look = self.look(op, view).await?;
        if matches!(look, Look::NonceTaken) {
            // The nonce passed with no canonical receipt of ours: look once more, a poll
            // interval later, before calling it foreign (a reorg may have happened between the
            // two reads, and a node may show the new nonce a moment before the receipt: anvil
            // does, for about one look in eight right after it mines).
            tokio::time::sleep(self.poll_interval()).await;
            look = self.look(op, self.view().await?).await?;
        }
        match look {
            Look::Final(confirmation, true) => {
                let state = OpState::Confirmed(confirmation);
                if op.state != state {
                    self.journal()?.set_state(&op.op_id, &state)?;
                }
                Ok(Some(confirmation))
            }
            Look::Final(c, false) => {
                self.journal()?
                    .set_state(&op.op_id, &OpState::Reverted(c))?;
                Err(Error::Reverted {
                    op_id: op.op_id.clone(),
                    tx_hash: c.tx_hash,
                    block_number: c.block_number,
                    gas_used: c.gas_used,
                })
            }
            Look::Mined => {
                self.back_to_pending(op)?;
                Ok(None)
            }
            Look::Unmined => {
                self.back_to_pending(op)?;
                let op = self.bump_if_due(op)?;
                self.resend_if_lost(&op).await?; // a bump's new bytes are unknown: sent
                Ok(None)
            }
            Look::NonceTaken => {
                self.journal()?.mark_foreign(op.nonce, view.nonce)?;
                Err(Error::ForeignNonce {
                    op_id: op.op_id.clone(),
                    nonce: op.nonce,
                    chain_nonce: view.nonce,
                })
            }
        }
    }

    pub(crate) async fn look(&self, op: &OpRecord, view: ChainView) -> Result<Look> {
        for attempt in op.attempts.iter().rev() {
            let Some(receipt) = rpc::receipt(&self.client, attempt.signed.hash).await? else {
                continue;
            };
            if self.config.confirm_by == ConfirmBy::BlockHash {
                let canonical = rpc::block_hash(&self.client, receipt.block_number).await?;
                if canonical.is_some_and(|hash| hash.is_zero()) {
                    return Err(Error::NoBlockHash {
                        op_id: op.op_id.clone(),
                        block_number: receipt.block_number,
                    });
                }
                if receipt.block_hash.is_zero() || canonical != Some(receipt.block_hash) {
                    continue; // not in the canonical chain (or a made-up receipt): not mined
                }
            }
            let depth = view
                .head
                .checked_sub(receipt.block_number)
                .map_or(0, |d| d.saturating_add(1));
            if view.nonce <= op.nonce || depth < self.config.confirmations {
                return Ok(Look::Mined);
            }
            let confirmation = Confirmation {
                tx_hash: attempt.signed.hash,
                block_number: receipt.block_number,
                block_hash: receipt.block_hash,
                gas_used: receipt.gas_used,
                contract_address: receipt.contract_address,
            };
            return Ok(Look::Final(confirmation, receipt.success));
        }
        Ok(if view.nonce > op.nonce {
            Look::NonceTaken
        } else {
            Look::Unmined
        })
    }

    fn back_to_pending(&self, op: &OpRecord) -> Result<()> {
        if op.state != OpState::Pending {
            tracing::warn!(op_id = op.op_id, "reorged out: pending again");
            self.journal()?.set_state(&op.op_id, &OpState::Pending)?;
        }
        Ok(())
    }

    /// With fee bumping on and the newest attempt old enough: a new attempt, same nonce,
    /// higher price, journaled before it is sent.
    fn bump_if_due(&self, op: &OpRecord) -> Result<OpRecord> {
        let (Some(bump), Some(latest)) = (self.config.fee_bump, op.latest()) else {
            return Ok(op.clone());
        };
        let after = u64::try_from(bump.after.as_millis()).unwrap_or(u64::MAX);
        if now_ms().saturating_sub(latest.created_ms) < after {
            return Ok(op.clone());
        }
        let Some(price) = bump.next_price(latest.gas_price) else {
            return Ok(op.clone());
        };
        let attempt = self.sign(&op.request, op.nonce, price, latest.gas_limit)?;
        self.journal()?.add_attempt(op, &attempt)?;
        tracing::info!(op_id = op.op_id, gas_price = price, "fee bump");
        let mut bumped = op.clone();
        bumped.attempts.push(attempt);
        Ok(bumped)
    }
}
