//! [`EvmReader`]: read-only access to a chain, no key and no journal: `eth_call` at the
//! latest block or at a given one, the chain id, and the newest block `confirmations` deep.
//!
//! It sends nothing and takes no lock, so a tool can look at what the chain shows while
//! the sender that owns the key keeps working. `EvmSender` reads through one of these too
//! (`EvmSender::reader`), so the "confirmed block" rule is written once, here.

use alloy_primitives::{Address, Bytes};
use rpc_resilience::ResilientClient;

use crate::{rpc, Error, Result, TxRequest};

/// Read-only calls to a chain (see the module docs). Cheap to clone.
#[derive(Debug, Clone)]
pub struct EvmReader {
    client: ResilientClient,
    from: Address,
    confirmations: u64,
}

impl EvmReader {
    /// Reads through `client`; a block counts as confirmed `confirmations` deep (0 counts
    /// as 1: the head). Calls are made from the zero address.
    pub fn new(client: ResilientClient, confirmations: u64) -> EvmReader {
        EvmReader::from_address(client, Address::ZERO, confirmations)
    }

    /// [`EvmReader::new`] whose calls are made from `from` (a view that checks its caller).
    pub fn from_address(client: ResilientClient, from: Address, confirmations: u64) -> EvmReader {
        EvmReader {
            client,
            from,
            confirmations: confirmations.max(1),
        }
    }

    /// The client its calls go through.
    pub fn client(&self) -> &ResilientClient {
        &self.client
    }

    /// How deep a block must be to count as confirmed (at least 1).
    pub fn confirmations(&self) -> u64 {
        self.confirmations
    }

    /// `eth_chainId`.
    pub async fn chain_id(&self) -> Result<u64> {
        rpc::chain_id(&self.client).await
    }

    /// `eth_call` of `to` with `data` at `block` (`None`: the latest).
    pub async fn call(
        &self,
        to: Address,
        data: impl Into<Bytes>,
        block: Option<u64>,
    ) -> Result<Bytes> {
        rpc::eth_call(&self.client, self.from, &TxRequest::call(to, data), block).await
    }

    /// [`EvmReader::call`] of a view that must return data: an empty answer (`"0x"`, what
    /// some nodes answer for a revert, and every node for a call of an address without
    /// code) is [`Error::NoReturnData`], not an empty result.
    pub async fn call_for_data(
        &self,
        to: Address,
        data: impl Into<Bytes>,
        block: Option<u64>,
    ) -> Result<Bytes> {
        let answer = self.call(to, data, block).await?;
        if answer.is_empty() {
            return Err(Error::NoReturnData { to, block });
        }
        Ok(answer)
    }

    /// The newest block `confirmations` deep (the head when `confirmations` is 1): where a
    /// read sees only what counts as confirmed.
    pub async fn confirmed_block(&self) -> Result<u64> {
        let head = rpc::head(&self.client).await?;
        Ok(self.confirmed_below(head))
    }

    /// The newest block `confirmations` deep when the head is `head`.
    pub fn confirmed_below(&self, head: u64) -> u64 {
        head.saturating_sub(self.confirmations - 1)
    }
}
