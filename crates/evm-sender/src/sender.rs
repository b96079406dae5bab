//! [`EvmSender`]: opens the journal after checking the chain id and the nonces, journals each
//! operation's signed transaction before sending it, and sends the same bytes again on resume.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use alloy_primitives::{Address, Bytes, B256};
use rpc_resilience::ResilientClient;

use crate::confirm::Look;
use crate::journal::{Attempt, Journal, OpRecord, OpState};
use crate::rpc::{self, EstimateError, SendOutcome};
use crate::tx::{sign_legacy, TxParams};
use crate::{Confirmation, Error, EvmReader, Result, SenderConfig, Signer, TxRequest};

/// Sends transactions exactly once per operation id, by nonce. See the crate docs.
#[derive(Debug)]
pub struct EvmSender {
    pub(crate) config: SenderConfig,
    pub(crate) client: ResilientClient,
    pub(crate) signer: Signer,
    journal: Mutex<Journal>,
    /// The node's gas price and when it was read ([`SenderConfig::gas_price_ttl`]).
    node_price: Mutex<Option<(tokio::time::Instant, u128)>>,
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
        let sender = Self {
            config,
            client,
            signer,
            journal: Mutex::new(journal),
            node_price: Mutex::new(None),
        };
        sender.check_nonces().await?;
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

    /// Journals `op_id` and sends its transaction. Idempotent per `op_id`: a journaled
    /// operation is not signed again; its newest bytes are sent again if it is not confirmed.
    pub async fn submit(&self, op_id: &str, request: TxRequest) -> Result<OpHandle> {
        let (op, created) = self.journal_op(op_id, request).await?;
        if op.state == OpState::Pending {
            self.broadcast(&op).await?;
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

    /// The journaled operation, or a new one at the next nonce (`true`).
    async fn journal_op(&self, op_id: &str, request: TxRequest) -> Result<(OpRecord, bool)> {
        if let Some(op) = self.journal()?.find(op_id)? {
            return same_request(op, &request).map(|op| (op, false));
        }
        let base = self.check_nonces().await?;
        let gas_limit = match request.gas_limit {
            Some(fixed) => self.config.gas_limit(op_id, fixed).map(|_| fixed)?,
            None => match rpc::estimate_gas(&self.client, self.address(), &request).await {
                Ok(estimate) => self.config.gas_limit(op_id, estimate)?,
                Err(EstimateError::Reverts(reason)) => {
                    return Err(Error::WouldRevert {
                        op_id: op_id.into(),
                        reason,
                    })
                }
                Err(EstimateError::Other(error)) => return Err(error),
            },
        };
        let gas_price = self.config.gas_price(self.node_gas_price().await?)?;
        let mut journal = self.journal()?;
        if let Some(op) = journal.find(op_id)? {
            // journaled meanwhile by another task
            return same_request(op, &request).map(|op| (op, false));
        }
        let op = journal.insert(op_id, &request, base, |nonce| {
            self.sign(&request, nonce, gas_price, gas_limit)
        })?;
        tracing::debug!(op_id, nonce = op.nonce, "journaled");
        Ok((op, true))
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

    /// Checks the account's nonces against the journal; returns the nonce the next new
    /// operation takes at least (the chain's `latest`).
    ///
    /// - Transactions in the node's pool past the journal's nonces (the pending nonce above
    ///   both the latest and the journal's next) are unknown to this journal: nothing is
    ///   sent until they are mined ([`Error::UnknownPending`]); new nonces would collide.
    /// - Nonces past the journal's mined by transactions it does not know, with nothing
    ///   unknown left in the pool: skipped (logged); the next operation takes the chain's
    ///   nonce. Operations of the journal still pending are settled by confirmation.
    /// - A recorded foreign use ([`Error::ForeignNonce`]) is looked at again: it stands
    ///   while its operation is pending with no receipt of ours; else it is cleared.
    async fn check_nonces(&self) -> Result<u64> {
        let address = self.address();
        let latest = rpc::nonce(&self.client, address, "latest").await?;
        self.reopen_gap(latest).await?;
        let pending = rpc::nonce(&self.client, address, "pending").await?;
        let (range, foreign) = {
            let journal = self.journal()?;
            (journal.nonce_range()?, journal.foreign()?)
        };
        if let Some((nonce, _)) = foreign {
            self.recheck_foreign(nonce).await?;
        }
        let next = match range {
            Some((first, _)) if latest < first => {
                return Err(Error::JournalMismatch {
                    field: "nonce",
                    journal: first.to_string(),
                    actual: latest.to_string(),
                })
            }
            Some((_, next)) => next,
            None => latest,
        };
        let known = next.max(latest);
        if pending > known {
            return Err(Error::UnknownPending {
                account: address,
                from: known,
                to: pending,
            });
        }
        if latest > next {
            tracing::warn!(
                from = next,
                to = latest,
                "nonces used by transactions this nonce journal does not know, none pending: \
                 carrying on from the account's nonce"
            );
        }
        Ok(latest)
    }

    /// The recorded foreign use of `nonce`, looked at again: [`Error::ForeignNonce`] while
    /// the operation holding that nonce is pending with no canonical receipt of ours (it can
    /// never be mined); else the record is cleared (logged).
    async fn recheck_foreign(&self, nonce: u64) -> Result<()> {
        let op = self.journal()?.pending_at(nonce)?;
        if let Some(op) = op {
            let view = self.view().await?;
            if let Look::NonceTaken = self.look(&op, view).await? {
                return Err(Error::ForeignNonce {
                    op_id: op.op_id,
                    nonce,
                    chain_nonce: view.nonce,
                });
            }
        }
        tracing::warn!(
            nonce,
            "the recorded foreign use of this nonce no longer stands: cleared"
        );
        self.journal()?.clear_foreign()
    }

    /// Operations the journal holds as mined at the account's `latest` nonce or above are no
    /// longer on the chain (a reorg took their blocks; a nonce below them is unused): back
    /// to pending, and their newest journaled bytes sent again in nonce order, so later
    /// nonces do not wait behind the gap. Same nonce, same bytes: still one per nonce.
    pub(crate) async fn reopen_gap(&self, latest: u64) -> Result<()> {
        let ops = self.journal()?.mined_from(latest)?;
        for op in &ops {
            tracing::warn!(
                op_id = op.op_id,
                nonce = op.nonce,
                chain_nonce = latest,
                "journaled as mined but the account's nonce is below it: pending again, its bytes sent again"
            );
            self.journal()?.set_state(&op.op_id, &OpState::Pending)?;
        }
        for op in &ops {
            self.broadcast(op).await?;
        }
        Ok(())
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

    pub(crate) fn journal(&self) -> Result<MutexGuard<'_, Journal>> {
        // A panic while holding the lock cannot leave SQLite half-written: take it back.
        Ok(self.journal.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

fn same_request(op: OpRecord, request: &TxRequest) -> Result<OpRecord> {
    if op.request == *request {
        Ok(op)
    } else {
        Err(Error::OpConflict { op_id: op.op_id })
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

pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
