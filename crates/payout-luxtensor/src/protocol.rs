//! The Luxtensor wire protocol, typed: hex quantities, receipts, write records, keys.
//!
//! Every write carries an idempotency key that depends only on the epoch and the
//! transfer's position (`mint:<epoch>`, `transfer:<epoch>:<index>`), never on a value read from
//! the chain, so a run that lost its journal sends the very same keys again. The
//! epoch's first write (the mint) also carries the [`Opening`]: the plan hash and the
//! minted supply the plan used. The node compares it on replay, so another plan for a
//! started epoch is refused at the mint, and a run without its journal reads it back
//! to plan the epoch the same way.

use payout_executor::{Opening, TxHash};
use rpc_resilience::{ResilientClient, RpcError};
use serde::Deserialize;
use serde_json::value::RawValue;
use tokenomics_core::{Address, Amount};

use crate::error::LuxtensorError;
/// Results of the wire layer: the backend's own error.
type Result<T, E = LuxtensorError> = std::result::Result<T, E>;
use crate::config::LuxtensorConfig;
use crate::hex::transfer_params;

pub(crate) use luxtensor_protocol::code::IDEMPOTENCY_CONFLICT;
pub(crate) use luxtensor_protocol::{mint_key, transfer_key};
use luxtensor_protocol::{
    BLOCK_NUMBER, CHAIN_ID, GET_BALANCE, GET_TRANSFER, MINT, TOTAL_SUPPLY, TRANSFER,
};

/// An amount as an Ethereum-style hex quantity (`0x3e8`; zero is `0x0`).
pub(crate) fn to_hex(amount: Amount) -> String {
    luxtensor_protocol::format_quantity(amount.base_units())
}

/// Reads a hex quantity the node answered `call` with.
pub(crate) fn from_hex(call: &'static str, text: &str) -> Result<Amount> {
    luxtensor_protocol::parse_quantity(text)
        .map(Amount::from_base_units)
        .map_err(|_| LuxtensorError::Malformed {
            call,
            reason: format!("{:?} is not a hex quantity", value_echo::shorten(text)),
        })
}

/// The memo the epoch's mint carries: how it was opened, as
/// `plan=<plan hash>;minted_supply=<base units>`.
pub fn memo_text(opening: &Opening) -> String {
    format!(
        "plan={};minted_supply={}",
        opening.plan_hash,
        opening.minted_supply.base_units()
    )
}

/// Reads a mint's memo; `None` when it is not one of this tool's (another tool's mint).
pub fn parse_memo(text: &str) -> Option<Opening> {
    let (plan, supply) = text.split_once(';')?;
    Some(Opening {
        plan_hash: plan.strip_prefix("plan=")?.parse().ok()?,
        minted_supply: Amount::from_base_units(
            supply.strip_prefix("minted_supply=")?.parse().ok()?,
        ),
    })
}

/// What the node answers to an applied write.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Receipt {
    /// The transaction's hash.
    #[serde(rename = "txHash", deserialize_with = "tx_hash")]
    pub tx_hash: TxHash,
}

/// A transaction hash on the wire: `0x` and 64 hex digits.
fn tx_hash<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<TxHash, D::Error> {
    let text = String::deserialize(deserializer)?;
    text.parse().map_err(|_| {
        serde::de::Error::custom(format!(
            "{:?} is not a transaction hash",
            value_echo::shorten(&text)
        ))
    })
}

/// A write the node applied under an idempotency key (`luxtensor_getTransfer`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteRecord {
    /// The sender (`None` for a mint).
    pub from: Option<Address>,
    /// The recipient.
    pub to: Address,
    /// How much.
    pub amount: Amount,
    /// The memo it carried, if any.
    pub memo: Option<String>,
    /// The transaction's hash.
    pub tx_hash: TxHash,
}

/// The wire form of [`WriteRecord`].
#[derive(Debug, Deserialize)]
struct RawRecord {
    from: Option<String>,
    to: String,
    amount: String,
    memo: Option<String>,
    #[serde(rename = "txHash", deserialize_with = "tx_hash")]
    tx_hash: TxHash,
}

impl RawRecord {
    fn typed(self) -> Result<WriteRecord> {
        const CALL: &str = GET_TRANSFER.name;
        let address = |text: &str| {
            text.parse::<Address>()
                .map_err(|_| LuxtensorError::Malformed {
                    call: CALL,
                    reason: format!("{:?} is not an address", value_echo::shorten(text)),
                })
        };
        Ok(WriteRecord {
            from: self.from.as_deref().map(address).transpose()?,
            to: address(&self.to)?,
            amount: from_hex(CALL, &self.amount)?,
            memo: self.memo,
            tx_hash: self.tx_hash,
        })
    }
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

/// The Luxtensor-protocol payout backend: a Luxtensor node reached through a
/// [`ResilientClient`], paying from `config.treasury`.
#[derive(Debug, Clone)]
pub struct LuxtensorPayout {
    client: ResilientClient,
    pub(crate) config: LuxtensorConfig,
}

impl LuxtensorPayout {
    /// The backend paying through the node behind `client`.
    pub fn new(client: ResilientClient, config: LuxtensorConfig) -> LuxtensorPayout {
        LuxtensorPayout { client, config }
    }

    /// The client (for its metrics).
    pub fn client(&self) -> &ResilientClient {
        &self.client
    }

    fn rpc(call: &'static str) -> impl FnOnce(RpcError) -> LuxtensorError {
        move |source| LuxtensorError::Rpc { call, source }
    }

    async fn quantity<P>(&self, call: &'static str, params: P) -> Result<Amount>
    where
        P: serde::Serialize + Send + Sync,
    {
        let hex: String = self
            .client
            .call(call, params)
            .await
            .map_err(LuxtensorPayout::rpc(call))?;
        from_hex(call, &hex)
    }

    /// `eth_chainId`.
    pub async fn chain_id(&self) -> Result<u64> {
        const CALL: &str = CHAIN_ID.name;
        let id = self.quantity(CALL, ()).await?.base_units();
        u64::try_from(id).map_err(|_| LuxtensorError::Malformed {
            call: CALL,
            reason: format!("chain id {id} does not fit 64 bits"),
        })
    }

    /// `eth_blockNumber` (on the Luxtensor protocol, every applied write is a block).
    pub async fn block_number(&self) -> Result<u128> {
        Ok(self.quantity(BLOCK_NUMBER.name, ()).await?.base_units())
    }

    /// `luxtensor_totalSupply`.
    pub async fn total_supply(&self) -> Result<Amount> {
        self.quantity(TOTAL_SUPPLY.name, ()).await
    }

    /// `eth_getBalance` at the latest block.
    pub async fn balance(&self, address: Address) -> Result<Amount> {
        self.quantity(GET_BALANCE.name, (address.to_string(), "latest"))
            .await
    }

    /// Balances of many addresses, in JSON-RPC batches (none asked for, nothing sent).
    pub async fn balances(&self, addresses: &[Address]) -> Result<Vec<Amount>> {
        const CALL: &str = GET_BALANCE.name;
        if addresses.is_empty() {
            return Ok(Vec::new());
        }
        let items: Vec<(&str, (String, &str))> = addresses
            .iter()
            .map(|a| (CALL, (a.to_string(), "latest")))
            .collect();
        let answers: Vec<std::result::Result<String, RpcError>> =
            self.client
                .batch(&items)
                .await
                .map_err(LuxtensorPayout::rpc(CALL))?;
        answers
            .into_iter()
            .map(|answer| from_hex(CALL, &answer.map_err(LuxtensorPayout::rpc(CALL))?))
            .collect()
    }

    /// The writes applied under `keys` (`None` where nothing was), in JSON-RPC batches.
    pub async fn records(&self, keys: &[String]) -> Result<Vec<Option<WriteRecord>>> {
        const CALL: &str = GET_TRANSFER.name;
        let items: Vec<(&str, (&str,))> = keys.iter().map(|k| (CALL, (k.as_str(),))).collect();
        let answers: Vec<std::result::Result<Option<RawRecord>, RpcError>> = self
            .client
            .batch(&items)
            .await
            .map_err(LuxtensorPayout::rpc(CALL))?;
        answers
            .into_iter()
            .map(|answer| {
                answer
                    .map_err(LuxtensorPayout::rpc(CALL))?
                    .map(RawRecord::typed)
                    .transpose()
            })
            .collect()
    }

    /// The write applied under `key`, if any.
    pub async fn record(&self, key: &str) -> Result<Option<WriteRecord>> {
        const CALL: &str = GET_TRANSFER.name;
        let raw: Option<RawRecord> = self
            .client
            .call(CALL, (key,))
            .await
            .map_err(LuxtensorPayout::rpc(CALL))?;
        raw.map(RawRecord::typed).transpose()
    }

    /// `luxtensor_mint` of an epoch's opening: its key, and the memo the node compares.
    pub async fn mint(
        &self,
        to: Address,
        amount: Amount,
        key: &str,
        memo: &Opening,
    ) -> Result<Receipt> {
        const CALL: &str = MINT.name;
        self.client
            .call(CALL, (to.to_string(), to_hex(amount), key, memo_text(memo)))
            .await
            .map_err(LuxtensorPayout::rpc(CALL))
    }

    /// `luxtensor_transfer` from `from` for each call, as JSON-RPC batches; one result
    /// per call, in order (the client retries only the failed, keyed items).
    pub async fn transfers<'a>(
        &self,
        from: Address,
        calls: impl ExactSizeIterator<Item = &'a TransferCall>,
    ) -> Result<Vec<std::result::Result<Receipt, RpcError>>> {
        const CALL: &str = TRANSFER.name;
        let from = from.to_string();
        let params = calls
            .map(|c| transfer_params(&from, &c.to, c.amount, &c.key))
            .collect::<serde_json::Result<Vec<_>>>()
            .map_err(|e| {
                LuxtensorPayout::rpc(CALL)(RpcError::InvalidRequest {
                    reason: e.to_string(),
                })
            })?;
        let mut items: Vec<(&str, &RawValue)> = params.iter().map(|p| (CALL, &**p)).collect();
        if items.len() == 1 {
            // One transfer is one plain call, not a batch of one.
            if let Some((_, single)) = items.pop() {
                return Ok(vec![self.client.call(CALL, single).await]);
            }
        }
        self.client
            .batch(&items)
            .await
            .map_err(LuxtensorPayout::rpc(CALL))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_malformed_answer_is_echoed_by_the_workspace_rule() {
        let error = from_hex(CHAIN_ID.name, &"z".repeat(100)).map(|_| ());
        let expected = format!(
            "eth_chainId: malformed answer: \"{}… (100 characters)\" is not a hex quantity",
            "z".repeat(32)
        );
        assert_eq!(error.map_err(|e| e.to_string()), Err(expected));
    }
}
