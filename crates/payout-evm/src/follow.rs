//! The payout contract's state is the authority: an operation (an opening, a chunk's
//! payout) is done when the contract shows it, read at the newest block `confirmations`
//! deep, whatever the sender's receipts and block hashes say.
//!
//! While it does not, its transaction is tracked by one look per the sender's poll
//! interval, three requests (`op_status`: the account's nonce, whether the node knows the
//! transaction and its receipts in one batch, then the head; then the contract at the
//! block `confirmations` below that head): an unused nonce keeps its journaled bytes sent
//! (again only when the node lost them); a nonce used by a transaction that, once the
//! contract is read past that block, did not do it (left out of a block, a receipt made
//! up, a transaction the journal does not know) is sent again under the next operation id
//! (`<id>:retry<n>`, a new nonce): the contract refuses an epoch's other opening and a
//! chunk paid twice, so this is safe. A status-0 receipt stops with its revert.
//!
//! Deploying and closing follow the same rule ([`Follow::for_deploy`]): a contract created
//! at the address of the sender's account and the operation's nonce answers `owner()`,
//! the token's `owner()` is the payout contract, the contract's `epochClosed`.

use alloy_primitives::{Address, Bytes};
use alloy_sol_types::SolCall;
use evm_sender::{Confirmation, EvmSender, OpStatus, TxRequest};
use tokenomics_core::EpochPlan;

use crate::abi::{IEpochPayout, IMDTToken};
use crate::deploy::Contracts;
use crate::state::PayoutReader;
use crate::{op_id, EvmPayout, MAX_RETRY_IDS};
use payout_executor::{Opening, Result};

/// What the contract shows when an operation is done.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Proof<'a> {
    /// The epoch's record with this plan's memo and mint.
    Open(&'a EpochPlan, &'a Opening),
    /// Chunk `.1`'s bit of epoch `.0`.
    Chunk(u64, u32),
    /// The epoch's `epochClosed`.
    Closed(u64),
    /// A contract at the address the tracked operation's nonce creates: its `owner()`
    /// answers (no code, no answer).
    Created,
    /// The `owner()` of contract `.0` is `.1`.
    OwnedBy(Address, Address),
}

/// Follows operations: the sender that sends them and the reader of what the contracts
/// show.
#[derive(Debug)]
pub(crate) struct Follow<'a> {
    sender: &'a EvmSender,
    reader: PayoutReader,
}

impl EvmPayout {
    /// Follows this backend's operations.
    pub(crate) fn follow(&self) -> Follow<'_> {
        Follow {
            sender: &self.sender,
            reader: self.reader.clone(),
        }
    }
}

/// An operation tracked: its base id, the retry id in force (with its nonce) and its
/// request; `op` is `None` when nothing of ours is tracked (done by another run: only the
/// contract is read).
#[derive(Debug, Clone)]
pub(crate) struct Tracked {
    base: String,
    n: u32,
    op: Option<String>,
    nonce: Option<u64>,
    request: Option<TxRequest>,
}

impl Tracked {
    /// Nothing of ours: wait for the contract only.
    pub(crate) fn nothing(base: &str) -> Tracked {
        Tracked {
            base: base.into(),
            n: 0,
            op: None,
            nonce: None,
            request: None,
        }
    }

    /// The address a contract creation by `from` at the tracked nonce has.
    pub(crate) fn created_address(&self, from: Address) -> Option<Address> {
        self.nonce.map(|nonce| from.create(nonce))
    }
}

/// How following an operation ended.
#[derive(Debug)]
pub(crate) enum Ended {
    /// The contract shows it; our transaction that did it, when one is known.
    Shown(Option<Confirmation>),
    /// The sender's error for it: a revert (status 0, or refused before sending), a gas
    /// limit, the wait's time limit.
    Failed(evm_sender::Error),
    /// Every retry id used its nonce without the contract showing it done.
    GaveUp(u32),
}

impl<'a> Follow<'a> {
    /// Follows `sender`'s deployment: no contracts yet (only [`Proof::Created`] and
    /// [`Proof::OwnedBy`] are read).
    pub(crate) fn for_deploy(sender: &'a EvmSender) -> Follow<'a> {
        let none = Contracts {
            token: Address::ZERO,
            payout: Address::ZERO,
        };
        Follow {
            sender,
            reader: PayoutReader::new(sender.reader(), none),
        }
    }

    /// Sends `base`'s operation, or picks up one an earlier run sent: the first retry id
    /// from `from` that is not journaled (sent now) or whose transaction may still do it
    /// (not reverted). `Err`: the sender refused to send it (a revert, its gas).
    pub(crate) async fn start(
        &self,
        base: &str,
        request: TxRequest,
        from: u32,
    ) -> Result<std::result::Result<Tracked, Ended>> {
        for n in from..MAX_RETRY_IDS {
            let op = op_id(base, n);
            let status = self
                .sender
                .op_status(&op)
                .await
                .map_err(crate::error::sender)?;
            let reverted = status
                .is_some_and(|s| s.nonce_used() && s.mined.is_some_and(|mined| !mined.success));
            if reverted {
                continue; // reverted in an earlier run: the next id
            }
            let handle = match self.sender.submit(&op, request.clone()).await {
                Ok(handle) => handle,
                Err(error) => return Ok(Err(Ended::Failed(error))),
            };
            return Ok(Ok(Tracked {
                base: base.into(),
                n,
                op: Some(op),
                nonce: Some(handle.nonce),
                request: Some(request),
            }));
        }
        Ok(Err(Ended::GaveUp(MAX_RETRY_IDS)))
    }

    /// Whether the contract shows `proof` (of `tracked`) at `block`.
    async fn shown(&self, proof: Proof<'_>, tracked: &Tracked, block: u64) -> Result<bool> {
        Ok(match proof {
            Proof::Open(plan, memo) => self
                .reader
                .epoch_state(plan.epoch, Some(block))
                .await?
                .is_some_and(|s| s.memo == *memo && s.from_mint == plan.from_mint),
            Proof::Chunk(epoch, k) => self.reader.chunk_paid_at(epoch, k, Some(block)).await?,
            Proof::Closed(epoch) => self.reader.epoch_closed_at(epoch, Some(block)).await?,
            Proof::Created => match tracked.created_address(self.sender.address()) {
                Some(at) => !self.owner_at(at, block).await?.is_empty(),
                None => false,
            },
            Proof::OwnedBy(contract, owner) => {
                let answer = self.owner_at(contract, block).await?;
                IMDTToken::ownerCall::abi_decode_returns(&answer).is_ok_and(|found| found == owner)
            }
        })
    }

    /// `owner()` of `contract` at `block`, as the node answers it (empty: no code there).
    async fn owner_at(&self, contract: Address, block: u64) -> Result<Bytes> {
        let call = IEpochPayout::ownerCall {}.abi_encode();
        let answer = self.reader.reader().call(contract, call, Some(block)).await;
        answer.map_err(crate::error::sender)
    }

    /// Follows `tracked` until the contract shows `proof` `confirmations` deep (see the
    /// module docs); gives up with the sender's `ConfirmTimeout` after its `confirm_timeout`.
    pub(crate) async fn until_shown(
        &self,
        tracked: &mut Tracked,
        proof: Proof<'_>,
    ) -> Result<Ended> {
        let config = self.sender.config();
        let started = tokio::time::Instant::now();
        // The head by which a transaction used the tracked operation's nonce.
        let mut used_by = None;
        loop {
            // One look: the operation (nonce, receipts, known: one batch; the head after),
            // then the contract at the block `confirmations` below that head.
            let status = match tracked.op.clone() {
                Some(op) => match self.sender.op_status(&op).await {
                    Ok(Some(status)) => Some(status),
                    Ok(None) => {
                        return Ok(Ended::Failed(evm_sender::Error::UnknownOp { op_id: op }))
                    }
                    Err(error) => return Err(crate::error::sender(error)),
                },
                None => None,
            };
            let chain = self.reader.reader();
            let block = match &status {
                Some(status) => chain.confirmed_below(status.head),
                None => chain
                    .confirmed_block()
                    .await
                    .map_err(crate::error::sender)?,
            };
            if self.shown(proof, tracked, block).await? {
                return Ok(Ended::Shown(self.paid_by(tracked, status.as_ref()).await?));
            }
            if let Some(status) = status {
                if !status.nonce_used() {
                    used_by = None;
                    self.sender
                        .keep_sent(&status)
                        .await
                        .map_err(crate::error::sender)?;
                } else if block >= *used_by.get_or_insert(status.head) {
                    // Read past the block that used the nonce, the contract does not show it.
                    if let Some(mined) = status.mined.filter(|mined| !mined.success) {
                        return Ok(Ended::Failed(evm_sender::Error::Reverted {
                            op_id: status.op_id,
                            tx_hash: mined.at.tx_hash,
                            block_number: mined.at.block_number,
                            gas_used: mined.at.gas_used,
                        }));
                    }
                    tracing::warn!(
                        op_id = status.op_id,
                        nonce = status.nonce,
                        "the nonce was used and the payout contract does not show the operation done: sent again under the next id"
                    );
                    let Some(request) = tracked.request.clone() else {
                        return Ok(Ended::GaveUp(tracked.n));
                    };
                    *tracked = match self.start(&tracked.base, request, tracked.n + 1).await? {
                        Ok(next) => next,
                        Err(ended) => return Ok(ended),
                    };
                    used_by = None;
                }
            }
            if let Some(limit) = config.confirm_timeout {
                if started.elapsed() >= limit {
                    let op_id = tracked.op.clone().unwrap_or_else(|| tracked.base.clone());
                    let waited_ms = u64::try_from(limit.as_millis()).unwrap_or(u64::MAX);
                    let error = evm_sender::Error::ConfirmTimeout { op_id, waited_ms };
                    return Ok(Ended::Failed(error));
                }
            }
            tokio::time::sleep(self.sender.poll_interval()).await;
        }
    }

    /// The transaction of ours that did what the contract shows: the tracked operation's
    /// successful receipt (journaled as confirmed), else the newest retry id of its base
    /// journaled as confirmed or with a successful receipt; `None`: another run's.
    /// `status`, when given, is this look's at the tracked operation: its answer is used
    /// without asking the node again.
    pub(crate) async fn paid_by(
        &self,
        tracked: &Tracked,
        status: Option<&OpStatus>,
    ) -> Result<Option<Confirmation>> {
        if let Some(status) = status.filter(|s| tracked.op.as_deref() == Some(s.op_id.as_str())) {
            if let Some(done) = status.confirmed {
                return Ok(Some(done));
            }
            if let Some(mined) = status.mined.filter(|mined| mined.success) {
                self.sender
                    .mark_confirmed(&status.op_id, mined.at)
                    .map_err(crate::error::sender)?;
                return Ok(Some(mined.at));
            }
        }
        let newest_first = (0..MAX_RETRY_IDS).rev().map(|n| op_id(&tracked.base, n));
        for op in tracked.op.iter().cloned().chain(newest_first) {
            let status = self.sender.op_status(&op).await;
            let Some(status) = status.map_err(crate::error::sender)? else {
                continue;
            };
            if let Some(done) = status.confirmed {
                return Ok(Some(done));
            }
            if let Some(mined) = status.mined.filter(|mined| mined.success) {
                self.sender
                    .mark_confirmed(&op, mined.at)
                    .map_err(crate::error::sender)?;
                return Ok(Some(mined.at));
            }
        }
        Ok(None)
    }
}
