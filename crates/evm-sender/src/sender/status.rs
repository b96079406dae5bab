//! One look at an operation without waiting: whether the account's nonce has passed it
//! and what its receipts say ([`OpStatus`], hints a caller weighs against its own proof,
//! such as a contract's state); keeping it sent (its bytes again only when the node lost
//! them); and journaling it as confirmed when the caller's proof says it is done.

use alloy_primitives::B256;
use serde_json::{json, Value};

use crate::journal::{OpRecord, OpState};
use crate::{rpc, Confirmation, Error, Result};

use super::EvmSender;

/// What the chain says of one journaled operation at one look: hints, not a proof (a node
/// may make up receipts, or answer zero block hashes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpStatus {
    /// The operation.
    pub op_id: String,
    /// Its nonce.
    pub nonce: u64,
    /// The account's `latest` nonce, read first.
    pub account_nonce: u64,
    /// The head, read after the nonce: a transaction that used the nonce is in this block
    /// or below.
    pub head: u64,
    /// The newest of its journaled transactions that has a receipt, if any (any block
    /// hash, any depth: not checked against the canonical chain); read only once the nonce
    /// is used.
    pub mined: Option<Mined>,
    /// The journal holds it as confirmed (a cache of an earlier look, or of
    /// [`EvmSender::mark_confirmed`]).
    pub confirmed: Option<Confirmation>,
    /// Its newest journaled transaction at this look, when the node knew it
    /// (`eth_getTransactionByHash`); `None`: the node did not know it.
    pub known: Option<B256>,
}

impl OpStatus {
    /// The account's nonce has passed the operation's: some transaction used it (ours, or
    /// one this journal does not know).
    pub fn nonce_used(&self) -> bool {
        self.account_nonce > self.nonce
    }
}

/// A receipt of one of an operation's transactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mined {
    /// Where the receipt says it was mined (its block hash as the node gave it).
    pub at: Confirmation,
    /// Status 1.
    pub success: bool,
}

impl EvmSender {
    /// One look at `op_id` (`None`: not journaled): the account's `latest` nonce, the
    /// receipts of its journaled transactions and whether the node knows the newest, in one
    /// JSON-RPC batch, then the head (read after the nonce). Two requests whatever the
    /// attempts. Sends nothing, waits for nothing, writes nothing: a caller that can read
    /// what the operation did decides.
    pub async fn op_status(&self, op_id: &str) -> Result<Option<OpStatus>> {
        let Some(op) = self.journal()?.find(op_id)? else {
            return Ok(None);
        };
        let address = self.address().to_string();
        let mut reads = vec![("eth_getTransactionCount", json!([address, "latest"]))];
        let newest = op.latest().map(|attempt| attempt.signed.hash);
        if let Some(hash) = newest {
            reads.push(("eth_getTransactionByHash", json!([hash.to_string()])));
        }
        for attempt in op.attempts.iter().rev() {
            let hash = attempt.signed.hash.to_string();
            reads.push(("eth_getTransactionReceipt", json!([hash])));
        }
        let mut answers = rpc::batch(&self.client, &reads).await?.into_iter();
        let mut next = || answers.next().unwrap_or(Ok(Value::Null));
        let account_nonce = rpc::quantity("eth_getTransactionCount", &next()?)?;
        let known = match newest {
            Some(hash) => (!next()?.is_null()).then_some(hash),
            None => None,
        };
        let mut receipts = Vec::with_capacity(op.attempts.len());
        for attempt in op.attempts.iter().rev() {
            receipts.push((attempt.signed.hash, next()?));
        }
        let head = rpc::head(&self.client).await?;
        // Before its nonce is used no transaction of it is mined: a receipt would be made up.
        let mut mined = None;
        for (tx_hash, receipt) in receipts.iter().filter(|_| account_nonce > op.nonce) {
            if let Some(receipt) = rpc::parse_receipt("eth_getTransactionReceipt", receipt)? {
                mined = Some(Mined {
                    at: Confirmation {
                        tx_hash: *tx_hash,
                        block_number: receipt.block_number,
                        block_hash: receipt.block_hash,
                        gas_used: receipt.gas_used,
                        contract_address: receipt.contract_address,
                    },
                    success: receipt.success,
                });
                break;
            }
        }
        let confirmed = match op.state {
            OpState::Confirmed(done) => Some(done),
            OpState::Pending | OpState::Reverted(_) => None,
        };
        Ok(Some(OpStatus {
            op_id: op.op_id,
            nonce: op.nonce,
            account_nonce,
            head,
            mined,
            confirmed,
            known,
        }))
    }

    /// Keeps `status`'s operation sent, as a round of waiting does: operations journaled as
    /// mined at or above the account's nonce go back to pending (a reorg took them), and
    /// the lowest unmined operation and this one, when its nonce is unused, have their
    /// newest journaled bytes sent again if the node no longer knows them. Never a new
    /// transaction, never a resend of bytes the node knows.
    pub async fn keep_sent(&self, status: &OpStatus) -> Result<()> {
        let latest = status.account_nonce;
        self.reopen_gap(latest).await?;
        let (lowest, op) = {
            let journal = self.journal()?;
            (
                journal.first_pending_from(latest)?,
                journal.find(&status.op_id)?,
            )
        };
        let op = op.filter(|op| op.state == OpState::Pending && op.nonce >= latest);
        // This look already asked the node about the operation's newest transaction.
        let known = |other: &OpRecord| {
            status.known.is_some() && other.latest().map(|a| a.signed.hash) == status.known
        };
        if let Some(lowest) = lowest.as_ref().filter(|lowest| !known(lowest)) {
            self.resend_if_lost(lowest).await?;
        }
        if let Some(op) = &op {
            let lowest_is_op = lowest.as_ref().is_some_and(|l| l.op_id == op.op_id);
            if !lowest_is_op && !known(op) {
                self.resend_if_lost(op).await?;
            }
        }
        Ok(())
    }

    /// Journals `op_id` as confirmed at `at`, when the caller's own proof (what the
    /// transaction did, read `confirmations` deep) says it is done; `at.tx_hash` must be
    /// one of its journaled transactions ([`Error::UnknownOp`] otherwise). Like any
    /// confirmation it is a cache: a later read of the account's nonce below it puts it
    /// back to pending and sends its bytes again.
    pub fn mark_confirmed(&self, op_id: &str, at: Confirmation) -> Result<()> {
        let journal = self.journal()?;
        let known = |hash: B256| {
            Ok::<_, Error>(journal.find(op_id)?.is_some_and(|op| {
                op.attempts
                    .iter()
                    .any(|attempt| attempt.signed.hash == hash)
            }))
        };
        if !known(at.tx_hash)? {
            return Err(Error::UnknownOp {
                op_id: op_id.into(),
            });
        }
        journal.set_state(op_id, &OpState::Confirmed(at))
    }
}
