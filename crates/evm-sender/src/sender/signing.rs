//! Journaling a new operation: its gas limit and price, signing it at a nonce, and
//! sending its newest journaled bytes.

use crate::journal::{now_ms, Attempt, OpRecord};
use crate::rpc::{self, EstimateError, SendOutcome};
use crate::tx::{sign_legacy, TxParams};
use crate::{Error, Result, TxRequest};

use super::room::InFlight;
use super::EvmSender;

impl EvmSender {
    /// The journaled operation, or a new one at the next nonce (`true`), once this sender's
    /// unmined transactions leave room for it (`max_pending`, the block gas limit).
    pub(super) async fn journal_op(
        &self,
        op_id: &str,
        request: TxRequest,
    ) -> Result<(OpRecord, bool)> {
        if let Some(op) = self.journal()?.find(op_id)? {
            return same_request(op, &request).map(|op| (op, false));
        }
        let mut base = self.check_nonces(false).await?;
        let len = request.data.len();
        let gas_limit = match request.gas_limit {
            Some(fixed) => self.config.fixed_gas_limit(op_id, fixed, len)?,
            None => {
                let estimate = self.estimate(op_id, &request).await?;
                self.config.gas_limit(op_id, estimate, len)?
            }
        };
        self.check_block_gas(op_id, gas_limit)?;
        let gas_price = self.config.gas_price(self.node_gas_price().await?)?;
        let started = tokio::time::Instant::now();
        loop {
            let in_flight = {
                let mut journal = self.journal()?;
                if let Some(op) = journal.find(op_id)? {
                    // journaled meanwhile by another task
                    return same_request(op, &request).map(|op| (op, false));
                }
                let (count, gas) = journal.in_flight(base)?;
                let in_flight = InFlight { count, gas };
                if self.fits(in_flight, gas_limit) {
                    let op = journal.insert(op_id, &request, base, |nonce| {
                        self.sign(&request, nonce, gas_price, gas_limit)
                    })?;
                    tracing::debug!(op_id, nonce = op.nonce, "journaled");
                    return Ok((op, true));
                }
                in_flight
            };
            base = self.wait_for_room(op_id, in_flight, started).await?;
        }
    }

    /// `eth_estimateGas`; a revert is [`Error::WouldRevert`]. An estimate below the intrinsic
    /// gas of the calldata looks like a revert (a node that never reports one in an estimate
    /// answers what the call used until it stopped): `eth_call` decides before anything is
    /// signed.
    async fn estimate(&self, op_id: &str, request: &TxRequest) -> Result<u64> {
        let from = self.address();
        let reverts = |reason| Error::WouldRevert {
            op_id: op_id.into(),
            reason,
        };
        let estimate = match rpc::estimate_gas(&self.client, from, request).await {
            Ok(estimate) => estimate,
            Err(EstimateError::Reverts(reason)) => return Err(reverts(reason)),
            Err(EstimateError::Other(error)) => return Err(error),
        };
        if estimate < self.config.intrinsic_gas(request.data.len()) {
            match rpc::call_reverts(&self.client, from, request).await {
                Ok(()) => {}
                Err(EstimateError::Reverts(reason)) => return Err(reverts(reason)),
                Err(EstimateError::Other(error)) => return Err(error),
            }
        }
        Ok(estimate)
    }

    /// Signs one attempt of `request` at `nonce`.
    pub(crate) fn sign(
        &self,
        request: &TxRequest,
        nonce: u64,
        gas_price: u128,
        gas_limit: u64,
    ) -> Result<Attempt> {
        let params = TxParams {
            chain_id: self.config.chain_id,
            nonce,
            gas_price,
            gas_limit,
        };
        Ok(Attempt {
            signed: sign_legacy(&self.signer, request, params)?,
            gas_price,
            gas_limit,
            created_ms: now_ms(),
        })
    }

    /// Sends the newest journaled bytes of `op`; "already known" and the like are fine.
    pub(crate) async fn broadcast(&self, op: &OpRecord) -> Result<()> {
        let Some(attempt) = op.latest() else {
            return Ok(());
        };
        match rpc::send_raw(&self.client, &attempt.signed.raw).await? {
            SendOutcome::Accepted => Ok(()),
            SendOutcome::Refused(message) => Err(Error::Rejected {
                op_id: op.op_id.clone(),
                tx_hash: attempt.signed.hash,
                message,
            }),
        }
    }

    /// `eth_gasPrice`, read again only once the last reading is `gas_price_ttl` old.
    async fn node_gas_price(&self) -> Result<u128> {
        let now = tokio::time::Instant::now();
        let fresh = |read: &(tokio::time::Instant, u128)| {
            now.saturating_duration_since(read.0) < self.config.gas_price_ttl
        };
        // A panic while holding the lock leaves a plain value behind: take it back.
        let cached = *self.node_price.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, price)) = cached.filter(fresh) {
            return Ok(price);
        }
        let price = rpc::gas_price(&self.client).await?;
        *self.node_price.lock().unwrap_or_else(|p| p.into_inner()) = Some((now, price));
        Ok(price)
    }
}

fn same_request(op: OpRecord, request: &TxRequest) -> Result<OpRecord> {
    if op.request == *request {
        Ok(op)
    } else {
        Err(Error::OpConflict { op_id: op.op_id })
    }
}
