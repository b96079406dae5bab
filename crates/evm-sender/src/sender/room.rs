//! Room for a new operation within the node's limits, counted by this sender from its own
//! journal: at most `max_pending` unmined transactions (journaled, pending, nonce at or above
//! the account's `latest`), whose gas limits add up to at most the block gas limit. Without
//! room a new operation waits for the account's nonce to move, sending again only a
//! transaction the node lost (it no longer knows its hash), never on every poll.

use crate::journal::OpRecord;
use crate::{rpc, Error, Result};

use super::EvmSender;

/// This sender's unmined transactions: how many, and their gas limits together.
#[derive(Debug, Clone, Copy)]
pub(super) struct InFlight {
    pub(super) count: u64,
    pub(super) gas: u64,
}

impl EvmSender {
    /// Whether a new transaction with `gas_limit` fits beside `in_flight`: always when
    /// nothing is in flight (it fits a block alone: checked before), else within
    /// `max_pending` and the block gas limit.
    pub(super) fn fits(&self, in_flight: InFlight, gas_limit: u64) -> bool {
        in_flight.count == 0
            || (in_flight.count < u64::from(self.config.max_pending)
                && in_flight
                    .gas
                    .checked_add(gas_limit)
                    .is_some_and(|gas| gas <= self.block_gas_limit))
    }

    /// [`Error::GasAboveBlock`] when `gas_limit` could never fit a block.
    pub(super) fn check_block_gas(&self, op_id: &str, gas_limit: u64) -> Result<()> {
        if gas_limit > self.block_gas_limit {
            return Err(Error::GasAboveBlock {
                op_id: op_id.into(),
                gas_limit,
                block_gas_limit: self.block_gas_limit,
            });
        }
        Ok(())
    }

    /// One wait for room: a poll interval, then the account's `latest` nonce (reopening
    /// operations a reorg took) and the lowest unmined operation sent again if the node lost
    /// it. [`Error::NoRoom`] once `confirm_timeout` has passed since `started`.
    pub(super) async fn wait_for_room(
        &self,
        op_id: &str,
        in_flight: InFlight,
        started: tokio::time::Instant,
    ) -> Result<u64> {
        if let Some(limit) = self.config.confirm_timeout {
            if started.elapsed() >= limit {
                return Err(Error::NoRoom {
                    op_id: op_id.into(),
                    pending: in_flight.count,
                    gas_in_flight: in_flight.gas,
                    max_pending: self.config.max_pending,
                    block_gas_limit: self.block_gas_limit,
                    waited_ms: u64::try_from(limit.as_millis()).unwrap_or(u64::MAX),
                });
            }
        }
        tracing::debug!(
            op_id,
            pending = in_flight.count,
            gas = in_flight.gas,
            "waiting for room among this sender's unmined transactions"
        );
        tokio::time::sleep(self.poll_interval()).await;
        let latest = rpc::nonce(&self.client, self.address(), "latest").await?;
        self.reopen_gap(latest).await?;
        let lowest = self.journal()?.first_pending_from(latest)?;
        if let Some(op) = lowest {
            self.resend_if_lost(&op).await?;
        }
        Ok(latest)
    }

    /// Sends `op`'s newest journaled bytes again only when the node does not know their hash
    /// (`eth_getTransactionByHash` answers null: dropped from its pool, taken by a reorg, or
    /// never sent after a crash). A node keeps a duplicate's slot, so sending on every poll
    /// would fill the account's pending slots with copies.
    pub(crate) async fn resend_if_lost(&self, op: &OpRecord) -> Result<()> {
        let Some(attempt) = op.latest() else {
            return Ok(());
        };
        if rpc::transaction_known(&self.client, attempt.signed.hash).await? {
            return Ok(());
        }
        tracing::info!(
            op_id = op.op_id,
            nonce = op.nonce,
            "the node does not know the transaction: its journaled bytes sent again"
        );
        self.broadcast(op).await
    }
}
