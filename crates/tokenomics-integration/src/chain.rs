//! The Luxtensor wire protocol, typed: hex quantities, addresses, receipts, idempotency keys.
//!
//! Every write carries an idempotency key derived from the epoch, the plan hash and
//! the transfer's index, so a resend after a lost answer is replay-safe: the node
//! answers with the first result and changes nothing.

use rpc_resilience::{ResilientClient, RpcError};
use serde::Deserialize;
use tokenomics_core::{Address, Amount, Hash256};

use crate::error::{ExecutorError, Result};

/// The idempotency key of an epoch's mint: `mint:<epoch>:<plan_hash>`.
pub fn mint_key(epoch: u64, plan_hash: &Hash256) -> String {
    format!("mint:{epoch}:{plan_hash}")
}

/// The idempotency key of transfer `index` of a plan: `transfer:<epoch>:<plan_hash>:<index>`.
pub fn transfer_key(epoch: u64, plan_hash: &Hash256, index: u32) -> String {
    format!("transfer:{epoch}:{plan_hash}:{index}")
}

/// An amount as an Ethereum-style hex quantity (`0x3e8`; zero is `0x0`).
pub fn to_hex(amount: Amount) -> String {
    format!("{:#x}", amount.base_units())
}

/// Reads a hex quantity (`0x` and 1 to 32 hex digits).
pub fn from_hex(call: &'static str, text: &str) -> Result<Amount> {
    let malformed = || ExecutorError::Malformed {
        call,
        reason: format!("{text:?} is not a hex quantity"),
    };
    let digits = text.strip_prefix("0x").ok_or_else(malformed)?;
    if digits.is_empty() || digits.len() > 32 {
        return Err(malformed());
    }
    u128::from_str_radix(digits, 16)
        .map(Amount::from_base_units)
        .map_err(|_| malformed())
}

/// What the node answers to an applied write.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Receipt {
    /// The transaction's hash.
    #[serde(rename = "txHash")]
    pub tx_hash: String,
}

/// One transfer to send: recipient, amount, idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferCall {
    /// The recipient.
    pub to: Address,
    /// How much.
    pub amount: Amount,
    /// Its idempotency key.
    pub key: String,
}

/// `luxtensor_transfer` params: from, to, hex amount, idempotency key.
type TransferParams<'a> = (&'a str, String, String, &'a str);

/// A Luxtensor node reached through a [`ResilientClient`].
#[derive(Debug, Clone)]
pub struct Chain {
    client: ResilientClient,
}

impl Chain {
    /// The node behind `client`.
    pub fn new(client: ResilientClient) -> Chain {
        Chain { client }
    }

    /// The client (for its metrics).
    pub fn client(&self) -> &ResilientClient {
        &self.client
    }

    fn rpc(call: &'static str) -> impl FnOnce(RpcError) -> ExecutorError {
        move |source| ExecutorError::Rpc { call, source }
    }

    /// `luxtensor_totalSupply`.
    pub async fn total_supply(&self) -> Result<Amount> {
        const CALL: &str = "luxtensor_totalSupply";
        let hex: String = self.client.call(CALL, ()).await.map_err(Chain::rpc(CALL))?;
        from_hex(CALL, &hex)
    }

    /// `eth_getBalance` at the latest block.
    pub async fn balance(&self, address: Address) -> Result<Amount> {
        const CALL: &str = "eth_getBalance";
        let hex: String = self
            .client
            .call(CALL, (address.to_string(), "latest"))
            .await
            .map_err(Chain::rpc(CALL))?;
        from_hex(CALL, &hex)
    }

    /// Balances of many addresses, in JSON-RPC batches.
    pub async fn balances(&self, addresses: &[Address]) -> Result<Vec<Amount>> {
        const CALL: &str = "eth_getBalance";
        let items: Vec<(&str, (String, &str))> = addresses
            .iter()
            .map(|a| (CALL, (a.to_string(), "latest")))
            .collect();
        let answers: Vec<std::result::Result<String, RpcError>> =
            self.client.batch(&items).await.map_err(Chain::rpc(CALL))?;
        answers
            .into_iter()
            .map(|answer| from_hex(CALL, &answer.map_err(Chain::rpc(CALL))?))
            .collect()
    }

    /// `luxtensor_mint` with an idempotency key.
    pub async fn mint(&self, to: Address, amount: Amount, key: &str) -> Result<Receipt> {
        const CALL: &str = "luxtensor_mint";
        self.client
            .call(CALL, (to.to_string(), to_hex(amount), key))
            .await
            .map_err(Chain::rpc(CALL))
    }

    /// `luxtensor_transfer` from `from` for each call, as JSON-RPC batches; one result
    /// per call, in order (the client retries only the failed, keyed items).
    pub async fn transfers(
        &self,
        from: Address,
        calls: &[TransferCall],
    ) -> Result<Vec<std::result::Result<Receipt, RpcError>>> {
        const CALL: &str = "luxtensor_transfer";
        let from = from.to_string();
        if let [single] = calls {
            // One transfer is one plain call, not a batch of one.
            let params = (
                from.as_str(),
                single.to.to_string(),
                to_hex(single.amount),
                single.key.as_str(),
            );
            return Ok(vec![self.client.call(CALL, params).await]);
        }
        let items: Vec<(&str, TransferParams<'_>)> = calls
            .iter()
            .map(|c| {
                (
                    CALL,
                    (
                        from.as_str(),
                        c.to.to_string(),
                        to_hex(c.amount),
                        c.key.as_str(),
                    ),
                )
            })
            .collect();
        self.client.batch(&items).await.map_err(Chain::rpc(CALL))
    }
}
