//! The node's transaction pool in front of anvil's: `eth_sendRawTransaction` through the
//! minimum gas price (4c), the per-sender slots (2), the intrinsic gas rule (4a) and the
//! block's gas (5), in the node's order. Transactions are read with alloy's consensus types
//! (decode, hash, signer); one that cannot be read goes to anvil as it came.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::Duration;

use alloy_consensus::transaction::SignerRecoverable;
use alloy_consensus::{Transaction, TxEnvelope};
use alloy_eips::eip2718::Decodable2718;
use alloy_primitives::{hex, Address, B256};
use serde_json::{json, Value};
use tokio::time::Instant;

use crate::config::StandInConfig;
use crate::counters::{Counters, Dropped};
use crate::left_out::LeftOut;
use crate::rewrite::ZERO_HASH;
use crate::rpc::RpcError;
use crate::upstream::Upstream;
use crate::StandInError;

/// Gas every transaction pays (the node's intrinsic gas base).
pub const TX_BASE_GAS: u64 = 21_000;
/// Gas per calldata byte, zero or not (the node's rule).
pub const GAS_PER_DATA_BYTE: u64 = 68;

/// One pending transaction's place in its sender's quota.
#[derive(Debug)]
struct Slot {
    hash: B256,
    added: Instant,
    /// The first slot of its hash: given back when the hash is mined with status 1. A
    /// resent duplicate's slot never is (it waits for the TTL).
    first: bool,
}

/// The pool's state, behind one lock: sends are handled one at a time.
#[derive(Debug, Default)]
pub(crate) struct Pool {
    slots: HashMap<Address, VecDeque<Slot>>,
    seen: HashSet<B256>,
    /// Anvil's head when `gas_in_block` started counting.
    head: Option<u64>,
    gas_in_block: u64,
    /// Left-out nonces to use on anvil, and the transactions waiting behind them.
    left_out: LeftOut,
    /// Transactions taken into the pool (forwarded or swallowed): the node fabricates a
    /// receipt for them while anvil has none.
    pooled: HashMap<B256, Pooled>,
}

/// A transaction the pool took, as a fabricated receipt names it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pooled {
    hash: B256,
    from: Address,
    to: Option<Address>,
    added: Instant,
    /// Its gas limit, counted in the block's gas when anvil takes it (behaviour 5 on).
    gas: Option<u64>,
}

/// What the pool says about one `eth_sendRawTransaction`.
#[derive(Debug)]
pub(crate) enum Verdict {
    /// Answered by the stand-in (a hash, or a refusal); anvil never sees it.
    Answer(Result<Value, RpcError>),
    /// Sent to anvil as it came; [`Pool::forwarded`] with `tx` when anvil takes it.
    Forward { tx: Option<Pooled> },
}

/// What the pool reads of a transaction.
struct Read {
    hash: B256,
    sender: Address,
    to: Option<Address>,
    nonce: u64,
    gas_limit: u64,
    gas_price: u128,
    data_len: usize,
}

fn read(raw: &str) -> Option<Read> {
    let bytes = hex::decode(raw).ok()?;
    let tx = TxEnvelope::decode_2718(&mut bytes.as_slice()).ok()?;
    Some(Read {
        hash: *tx.tx_hash(),
        sender: tx.recover_signer().ok()?,
        to: tx.to(),
        nonce: tx.nonce(),
        gas_limit: tx.gas_limit(),
        gas_price: tx.gas_price().unwrap_or(tx.max_fee_per_gas()),
        data_len: tx.input().len(),
    })
}

/// The intrinsic gas of a transaction with `data_len` bytes of calldata, by the node's rule.
pub fn intrinsic_gas(data_len: usize) -> u64 {
    let per_byte = u64::try_from(data_len)
        .unwrap_or(u64::MAX)
        .saturating_mul(GAS_PER_DATA_BYTE);
    TX_BASE_GAS.saturating_add(per_byte)
}

impl Pool {
    /// The verdict on `eth_sendRawTransaction(raw)`.
    pub(crate) async fn send(
        &mut self,
        config: &StandInConfig,
        node: &Upstream,
        counters: &Counters,
        raw: &str,
    ) -> Result<Verdict, StandInError> {
        let Some(tx) = read(raw) else {
            return Ok(Verdict::Forward { tx: None });
        };
        let mut pooled = Pooled {
            hash: tx.hash,
            from: tx.sender,
            to: tx.to,
            added: Instant::now(),
            gas: None,
        };
        if config.low_gas_price && tx.gas_price < config.min_gas_price {
            counters.dropped(Dropped::LowGasPrice);
            return Ok(Verdict::Answer(Err(RpcError::mempool(format!(
                "Gas price too low: {} (min: {})",
                tx.gas_price, config.min_gas_price
            )))));
        }
        if config.sender_slots && !self.take_slot(config, node, &tx).await? {
            counters.dropped(Dropped::SenderLimit);
            return Ok(Verdict::Answer(Err(RpcError::mempool(format!(
                "Sender {:#x} has reached limit of {} pending transactions",
                tx.sender, config.max_pending_per_sender
            )))));
        }
        let hash = json!(format!("{:#x}", tx.hash));
        if config.intrinsic_gas && tx.gas_limit < intrinsic_gas(tx.data_len) {
            counters.dropped(Dropped::IntrinsicGas);
            self.pooled.insert(tx.hash, pooled);
            return Ok(Verdict::Answer(Ok(hash)));
        }
        if config.block_gas_overflow && self.left_out.blocks(tx.sender, tx.nonce) {
            self.left_out.hold(tx.sender, tx.nonce, format!("0x{raw}"));
            self.pooled.insert(tx.hash, pooled);
            return Ok(Verdict::Answer(Ok(hash)));
        }
        if config.block_gas_overflow {
            let head = node.quantity("eth_blockNumber", json!([])).await?;
            if self.head != Some(head) {
                self.head = Some(head);
                self.gas_in_block = 0;
            }
            if self.gas_in_block.saturating_add(tx.gas_limit) > config.block_gas_limit {
                counters.dropped(Dropped::BlockGas);
                self.left_out.leave_out(tx.sender, tx.nonce);
                self.settle_left_out(node).await?;
                return Ok(Verdict::Answer(Ok(hash)));
            }
            pooled.gas = Some(tx.gas_limit);
        }
        Ok(Verdict::Forward { tx: Some(pooled) })
    }

    /// Anvil took a forwarded transaction: it is pooled, and the block has its gas limit
    /// less room.
    pub(crate) fn forwarded(&mut self, tx: Pooled) {
        if let Some(gas) = tx.gas {
            self.gas_in_block = self.gas_in_block.saturating_add(gas);
        }
        self.pooled.insert(tx.hash, tx);
    }

    /// The receipt the node makes up for a transaction still in its pool (taken less than
    /// `ttl` ago): status 1 in block 0 with a zero hash, a transfer's gas, no logs.
    pub(crate) fn fabricated_receipt(&self, hash: &str, ttl: Duration) -> Option<Value> {
        let tx = self.pooled.get(&hash.parse::<B256>().ok()?)?;
        if Instant::now().saturating_duration_since(tx.added) >= ttl {
            return None;
        }
        Some(json!({
            "transactionHash": format!("{:#x}", tx.hash),
            "transactionIndex": "0x0",
            "blockHash": ZERO_HASH,
            "blockNumber": "0x0",
            "from": format!("{:#x}", tx.from),
            "to": tx.to.map(|to| format!("{to:#x}")),
            "contractAddress": null,
            "cumulativeGasUsed": "0x5208",
            "gasUsed": "0x5208",
            "status": "0x1",
            "logs": [],
        }))
    }

    /// Whether any left-out transaction still waits for its nonce to be used.
    pub(crate) fn has_left_out(&self) -> bool {
        !self.left_out.is_empty()
    }

    /// Uses the left-out nonces anvil can take now and sends what waited behind them.
    pub(crate) async fn settle_left_out(&mut self, node: &Upstream) -> Result<(), StandInError> {
        self.left_out.settle(node).await
    }

    /// Takes a slot of the sender's quota for `tx`; false when they are all taken, after
    /// giving back the expired ones and those whose transaction is mined with status 1.
    async fn take_slot(
        &mut self,
        config: &StandInConfig,
        node: &Upstream,
        tx: &Read,
    ) -> Result<bool, StandInError> {
        let now = Instant::now();
        let slots = self.slots.entry(tx.sender).or_default();
        slots.retain(|slot| now.saturating_duration_since(slot.added) < config.slot_ttl);
        if slots.len() >= config.max_pending_per_sender {
            let mut kept = VecDeque::with_capacity(slots.len());
            for slot in std::mem::take(slots) {
                if !(slot.first && mined(node, slot.hash).await?) {
                    kept.push_back(slot);
                }
            }
            *slots = kept;
        }
        if slots.len() >= config.max_pending_per_sender {
            return Ok(false);
        }
        slots.push_back(Slot {
            hash: tx.hash,
            added: now,
            first: self.seen.insert(tx.hash),
        });
        Ok(true)
    }
}

/// Whether anvil has a receipt with status 1 for `hash`.
async fn mined(node: &Upstream, hash: B256) -> Result<bool, StandInError> {
    let receipt = node
        .call("eth_getTransactionReceipt", json!([format!("{hash:#x}")]))
        .await?;
    Ok(receipt.get("status").and_then(Value::as_str) == Some("0x1"))
}
