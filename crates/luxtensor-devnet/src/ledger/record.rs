//! What the ledger stores about each applied write, and what it answers with.
//!
//! Kept apart from the SQL so the RPC layer can turn records into JSON without
//! knowing the schema.

use crate::codec::format_quantity;

/// The two kinds of writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteKind {
    /// New supply credited to an address.
    Mint,
    /// Balance moved between two addresses.
    Transfer,
}

impl WriteKind {
    /// The name stored in the ledger and sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            WriteKind::Mint => "mint",
            WriteKind::Transfer => "transfer",
        }
    }
}

/// A write as asked for: what an idempotency key is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteRequest {
    /// Mint or transfer.
    pub kind: WriteKind,
    /// Sender (transfers only), lowercase.
    pub from: Option<String>,
    /// Recipient, lowercase.
    pub to: String,
    /// Amount in base units.
    pub amount: u128,
    /// A caller's note bound to the key with the rest (e.g. the plan an epoch's
    /// first write opens); compared on replay like every other param.
    pub memo: Option<String>,
}

/// What an applied write answers: its hash and the block it landed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// "0x" + 64 hex digits.
    pub tx_hash: String,
    /// Block number the write advanced the ledger to.
    pub block_number: u64,
}

impl Receipt {
    /// The wire form: `{"txHash", "blockNumber"}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "txHash": self.tx_hash,
            "blockNumber": format_quantity(u128::from(self.block_number)),
        })
    }
}

/// An applied write found by its idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteRecord {
    /// What was asked.
    pub request: WriteRequest,
    /// What it answered.
    pub receipt: Receipt,
}

impl WriteRecord {
    /// The wire form of `luxtensor_getTransfer`'s answer.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "status": "applied",
            "kind": self.request.kind.as_str(),
            "txHash": self.receipt.tx_hash,
            "blockNumber": format_quantity(u128::from(self.receipt.block_number)),
            "from": self.request.from,
            "to": self.request.to,
            "amount": format_quantity(self.request.amount),
            "memo": self.request.memo,
        })
    }
}
