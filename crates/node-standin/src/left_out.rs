//! Behaviour 5's aftermath: [`LeftOut`], transactions "executed but left out" of a block,
//! whose nonce anvil must see used (`anvil_setNonce`) once the nonces below it are mined,
//! and the sender's later transactions, held back until then (anvil does not take up a
//! queued transaction when a nonce is set under it).

use alloy_primitives::Address;
use serde_json::json;

use crate::upstream::Upstream;
use crate::StandInError;

/// A later transaction of a sender with a left-out nonce below it, held back.
#[derive(Debug)]
struct Held {
    sender: Address,
    nonce: u64,
    raw: String,
}

/// Left-out nonces not yet used on anvil, and the transactions waiting behind them.
#[derive(Debug, Default)]
pub(crate) struct LeftOut {
    nonces: Vec<(Address, u64)>,
    held: Vec<Held>,
}

impl LeftOut {
    /// Whether anything waits for anvil to catch up.
    pub(crate) fn is_empty(&self) -> bool {
        self.nonces.is_empty() && self.held.is_empty()
    }

    /// `sender`'s transaction at `nonce` was left out.
    pub(crate) fn leave_out(&mut self, sender: Address, nonce: u64) {
        self.nonces.push((sender, nonce));
    }

    /// Whether `sender`'s transaction at `nonce` must wait behind a left-out nonce.
    pub(crate) fn blocks(&self, sender: Address, nonce: u64) -> bool {
        self.nonces.iter().any(|&(s, n)| s == sender && n < nonce)
    }

    /// Holds `raw` (`0x` hex) back until the left-out nonces below it are used.
    pub(crate) fn hold(&mut self, sender: Address, nonce: u64, raw: String) {
        self.held.push(Held { sender, nonce, raw });
    }

    /// Uses each left-out nonce whose sender's nonces below it are all mined (forgets those
    /// the account has passed), then sends the held transactions nothing blocks any more,
    /// in nonce order (anvil's answers to them are not looked at: the client sees them
    /// through receipts, as on the node).
    pub(crate) async fn settle(&mut self, node: &Upstream) -> Result<(), StandInError> {
        let mut waiting = Vec::new();
        for (sender, nonce) in std::mem::take(&mut self.nonces) {
            let params = json!([format!("{sender:#x}"), "latest"]);
            let latest = node.quantity("eth_getTransactionCount", params).await?;
            if latest == nonce {
                let next = format!("{:#x}", nonce.saturating_add(1));
                node.call("anvil_setNonce", json!([format!("{sender:#x}"), next]))
                    .await?;
            } else if latest < nonce {
                waiting.push((sender, nonce));
            }
        }
        self.nonces = waiting;
        let (mut free, held): (Vec<_>, Vec<_>) = std::mem::take(&mut self.held)
            .into_iter()
            .partition(|h| !self.blocks(h.sender, h.nonce));
        self.held = held;
        free.sort_by_key(|h| (h.sender, h.nonce));
        for tx in free {
            let call = json!({"jsonrpc": "2.0", "id": 1, "method": "eth_sendRawTransaction", "params": [tx.raw]});
            node.forward(&call).await?;
        }
        Ok(())
    }
}
