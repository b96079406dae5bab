//! [`EvmSender`]: opens the journal after checking the chain id and the nonces, journals each
//! operation's signed transaction before sending it, and sends the same bytes again on resume.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use alloy_primitives::{Address, Bytes, B256};
use rpc_resilience::ResilientClient;

use crate::journal::{Journal, OpRecord, OpState};
use crate::rpc;
use crate::{Confirmation, Error, EvmReader, Result, SenderConfig, Signer, TxRequest};

mod nonces;
mod room;
mod signing;
mod status;

pub use status::{Mined, OpStatus};

/// Sends transactions exactly once per operation id, by nonce. See the crate docs.
#[derive(Debug)]
pub struct EvmSender {
    pub(crate) config: SenderConfig,
    pub(crate) client: ResilientClient,
    pub(crate) signer: Signer,
    journal: Mutex<Journal>,
    /// The node's gas price and when it was read ([`SenderConfig::gas_price_ttl`]).
    node_price: Mutex<Option<(tokio::time::Instant, u128)>>,
    /// The latest block's `gasLimit` at open, else [`SenderConfig::block_gas_limit`].
    pub(crate) block_gas_limit: u64,
}

/// An operation as journaled: its nonce and its newest signed transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpHandle {
    /// The caller's operation id.
    pub op_id: String,
    /// The nonce the journal gave it.
    pub nonce: u64,
    /// The hash of its newest signed transaction.
    pub tx_hash: B256,
    /// `true` when this call journaled it; `false` when it was already in the journal.
    pub created: bool,
}

/// Requests of one look while waiting for an operation: [`EvmSender::op_status`] (a batch
/// and the head) and a caller's view of what it did.
pub const REQUESTS_PER_LOOK: u32 = 3;

impl EvmSender {
    /// Checks the configuration, that `eth_chainId` is `config.chain_id`, opens (or creates)
    /// the journal at `journal_path` bound to this chain (its id, and block 0's hash when the
    /// node has one: [`Error::OtherChain`]) and signer, and checks the account's nonces
    /// against it (operations whose blocks a reorg took are sent again). Sends nothing new.
    pub async fn open(
        config: SenderConfig,
        client: ResilientClient,
        signer: Signer,
        journal_path: impl AsRef<Path>,
    ) -> Result<Self> {
        config.validate()?;
        let actual = rpc::chain_id(&client).await?;
        if actual != config.chain_id {
            return Err(Error::ChainIdMismatch {
                expected: config.chain_id,
                actual,
            });
        }
        // Block 0's hash tells chains with one chain id apart (a node restarted empty).
        let genesis = rpc::block_hash(&client, 0)
            .await?
            .filter(|hash| !hash.is_zero());
        let journal = Journal::open(journal_path.as_ref())?;
        journal.bind(config.chain_id, signer.address())?;
        if let Some(genesis) = genesis {
            if let Some(recorded) = journal.bind_genesis(genesis)? {
                return Err(Error::OtherChain {
                    path: journal_path.as_ref().to_path_buf(),
                    journal: recorded,
                    actual: genesis.to_string(),
                });
            }
        }
        let block_gas_limit = rpc::block_gas_limit(&client)
            .await?
            .unwrap_or(config.block_gas_limit);
        let sender = Self {
            config,
            client,
            signer,
            journal: Mutex::new(journal),
            node_price: Mutex::new(None),
            block_gas_limit,
        };
        sender.check_nonces(true).await?;
        Ok(sender)
    }

    /// The sending account.
    pub fn address(&self) -> Address {
        self.signer.address()
    }

    /// The client its calls go through (for its metrics).
    pub fn client(&self) -> &ResilientClient {
        &self.client
    }

    /// The configuration in force.
    pub fn config(&self) -> &SenderConfig {
        &self.config
    }

    /// The interval between two looks while waiting: `poll_interval`, or longer when the
    /// client's request budget allows N requests per window, so that looks of
    /// [`REQUESTS_PER_LOOK`] requests take at most half of it (the rest for sending and the
    /// reads between).
    pub fn poll_interval(&self) -> Duration {
        let configured = self.config.poll_interval;
        let Some((max, window)) = self.client.request_budget().limit() else {
            return configured;
        };
        let per_look = window
            .checked_mul(2 * REQUESTS_PER_LOOK)
            .map_or(window, |spread| spread / max.max(1));
        configured.max(per_look)
    }

    /// Journals `op_id` and sends its transaction, once this sender's unmined transactions
    /// leave room for it ([`SenderConfig::max_pending`], the block gas limit: it waits up to
    /// `confirm_timeout`, then [`Error::NoRoom`]). Idempotent per `op_id`: a journaled
    /// operation is not signed again; its newest bytes are sent again if it is pending and
    /// the node does not know them.
    pub async fn submit(&self, op_id: &str, request: TxRequest) -> Result<OpHandle> {
        let (op, created) = self.journal_op(op_id, request).await?;
        match op.state {
            OpState::Pending if created => self.broadcast(&op).await?,
            OpState::Pending => self.resend_if_lost(&op).await?,
            _ => {}
        }
        handle(&op, created)
    }

    /// Journals `op_id` (signs it at the next nonce and commits the bytes) without sending:
    /// the next [`EvmSender::submit`], [`EvmSender::wait_confirmed`] or
    /// [`EvmSender::confirm_all`] sends it. Idempotent per `op_id`, like `submit`.
    pub async fn prepare(&self, op_id: &str, request: TxRequest) -> Result<OpHandle> {
        let (op, created) = self.journal_op(op_id, request).await?;
        handle(&op, created)
    }

    /// Read-only calls from the sender's address, `confirmations` deep ([`EvmReader`]).
    pub fn reader(&self) -> EvmReader {
        EvmReader::from_address(
            self.client.clone(),
            self.address(),
            self.config.confirmations,
        )
    }

    /// `eth_call` of `to` with `data` from the sender's address, at the latest block.
    pub async fn call(&self, to: Address, data: impl Into<Bytes>) -> Result<Bytes> {
        self.reader().call(to, data, None).await
    }

    /// `eth_call` as [`EvmSender::call`], at block `block`.
    pub async fn call_at(&self, to: Address, data: impl Into<Bytes>, block: u64) -> Result<Bytes> {
        self.reader().call(to, data, Some(block)).await
    }

    /// The newest block `confirmations` deep (the head when `confirmations` is 1): where a
    /// read sees only what this sender would call confirmed ([`EvmReader::confirmed_block`]).
    pub async fn confirmed_block(&self) -> Result<u64> {
        self.reader().confirmed_block().await
    }

    /// The receipt of `tx_hash` with its logs (`None`: not mined). Not checked against
    /// the canonical chain: the caller decides what the logs prove.
    pub async fn receipt(&self, tx_hash: B256) -> Result<Option<crate::Receipt>> {
        crate::logs::receipt_with_logs(&self.client, tx_hash).await
    }

    /// [`EvmSender::receipt`] of each of `hashes`, in order, a few per JSON-RPC batch
    /// ([`crate::RECEIPTS_PER_BATCH`]): one request for several receipts.
    pub async fn receipts(&self, hashes: &[B256]) -> Result<Vec<Option<crate::Receipt>>> {
        crate::logs::receipts_with_logs(&self.client, hashes).await
    }

    /// `eth_getLogs`: `address`'s logs whose topics match `topics` position by position
    /// (`None` matches any), in blocks `from..=to` (`None`: the latest).
    pub async fn logs(
        &self,
        address: Address,
        topics: &[Option<B256>],
        from: u64,
        to: Option<u64>,
    ) -> Result<Vec<crate::Log>> {
        crate::logs::logs(&self.client, address, topics, from, to).await
    }

    /// The confirmation the journal holds for `op_id` (no chain read): `None` when it is
    /// not journaled or not confirmed.
    pub fn journaled_confirmation(&self, op_id: &str) -> Result<Option<Confirmation>> {
        Ok(match self.journal()?.find(op_id)? {
            Some(OpRecord {
                state: OpState::Confirmed(done),
                ..
            }) => Some(done),
            _ => None,
        })
    }

    pub(crate) fn journal(&self) -> Result<MutexGuard<'_, Journal>> {
        // A panic while holding the lock cannot leave SQLite half-written: take it back.
        Ok(self.journal.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

fn handle(op: &OpRecord, created: bool) -> Result<OpHandle> {
    let attempt = op.latest().ok_or_else(|| Error::UnknownOp {
        op_id: op.op_id.clone(),
    })?;
    Ok(OpHandle {
        op_id: op.op_id.clone(),
        nonce: op.nonce,
        tx_hash: attempt.signed.hash,
        created,
    })
}
