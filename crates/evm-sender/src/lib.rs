//! Exactly-once Ethereum transactions over JSON-RPC: legacy EIP-155 (type 0) transactions
//! signed locally, a SQLite nonce journal, broadcast and canonical confirmation, every call
//! through [`rpc_resilience::ResilientClient`]. Knows nothing of what the transactions mean.
//!
//! # Main types
//!
//! | type | role |
//! |---|---|
//! | [`Signer`] | the key (`0x` + 64 hex, one line; a key file open to group or others is refused); Debug shows the address only |
//! | [`SenderConfig`], [`FeeBump`] | chain id, confirmations, gas price and limit rules, polling, opt-in fee bumps |
//! | [`TxRequest`] | what an operation sends: a call, a transfer, a contract creation |
//! | [`EvmSender`] | `open` (checks chain id and nonces), `submit` / `prepare`, `wait_confirmed`, `confirm_all`, `call` |
//! | [`EvmReader`] | read-only: `eth_call` at a block, the chain id, the newest block `confirmations` deep; no key, no journal, sends nothing |
//! | [`OpHandle`], [`Confirmation`] | an operation as journaled; where it was mined |
//! | [`OpStatus`], [`Mined`], [`ConfirmBy`] | one look at an operation (nonce used, newest receipt: hints); how `wait_confirmed` trusts a receipt |
//! | [`EvmClassifier`] | the retry classifier to build the client with: a node's JSON-RPC error answer is not retried |
//! | [`anvil::Anvil`] | a local anvil for tests and tools: found ([`anvil::find`]), started on 127.0.0.1 port 0, killed on drop; [`anvil::DEV_KEY`] |
//! | [`Error`] | the one error type; [`Error::is_retryable`] says whether trying again can help |
//!
//! # The rules
//!
//! - **The journal assigns nonces.** At [`EvmSender::open`] and before each new operation the
//!   account's `latest` nonce is checked against it (the `pending` nonce only at open: new
//!   nonces never depend on it, and a node that ignores the tag only hides unknown pooled
//!   transactions). Transactions in the pool the journal does not know stop it
//!   ([`Error::UnknownPending`]: wait until they are mined); nonces mined by such transactions with none left in the pool are skipped (new
//!   operations take the chain's nonce). A journaled operation whose nonce was taken by a
//!   transaction the journal does not know is [`Error::ForeignNonce`]: it can never be
//!   mined; nothing is re-issued. A nonce found passed with no receipt of ours is looked at
//!   again a `poll_interval` later before it counts as foreign: a node may show the nonce a
//!   moment before the receipt.
//! - **Bytes before sending.** An operation is signed at its nonce and its raw bytes and hash
//!   are committed to the journal before they are sent. After a crash the same bytes are sent
//!   again: one transaction per nonce (with [`FeeBump`] on, replacements of that same nonce,
//!   each journaled first).
//! - **Done = a receipt deep enough.** [`EvmSender::wait_confirmed`] counts an operation
//!   confirmed when the account's nonce has passed it and a journaled hash has a receipt with
//!   status 1 `confirmations` deep: with [`ConfirmBy::BlockHash`] (the default) its block
//!   hash must be the canonical block's at that height, not zero (a node answering zero
//!   hashes is [`Error::NoBlockHash`]); with [`ConfirmBy::Depth`] any hash. A receipt in
//!   another block (a reorg, or a node's made-up receipt for a pooled transaction) is not
//!   trusted by hash; a reorg puts the operation back to pending. A caller that can read
//!   what the transaction did decides by that instead: [`EvmSender::op_status`] (one look,
//!   nothing sent), [`EvmSender::keep_sent`], [`EvmSender::mark_confirmed`]. Journaled bytes are sent again only when the node
//!   no longer knows their hash (`eth_getTransactionByHash` is null), never on every poll: a
//!   node keeps a duplicate's pending slot. Status 0 is
//!   [`Error::Reverted`]. The journal's "confirmed" is a cache: whenever the account's
//!   `latest` nonce is read (at open, before each new operation, each round of waiting),
//!   operations journaled as mined at or above it (a reorg took their blocks, leaving a
//!   nonce gap later nonces would wait behind) go back to pending and their bytes are sent
//!   again, in nonce order.
//! - **One chain per journal.** The journal records the chain id and, when the node has
//!   one, block 0's hash; a node serving another chain with the same id (restarted empty
//!   at the same URL) is [`Error::OtherChain`] at open, before anything is sent.
//! - **"Look at the chain" answers.** `nonce too low`, `already known` / `imported`,
//!   `already pending`, `replacement transaction underpriced` to `eth_sendRawTransaction`
//!   are not failures ([`rpc::LOOK_AT_CHAIN`]).
//! - **Gas.** Price `max(eth_gasPrice * 1.25, 1 gwei)`, fixed per operation; limit
//!   `eth_estimateGas * 1.2` and at least the intrinsic gas `21,000 + 68 per calldata byte`
//!   (configurable), capped by `max_gas_per_tx` (integers and basis points only).
//! - **Within the node's limits.** A new operation is journaled and sent only while this
//!   sender has fewer than `max_pending` (16) unmined transactions whose gas limits, with
//!   its own, fit the block gas limit (the latest block's `gasLimit` at open, else
//!   `block_gas_limit`); otherwise it waits for the nonce to move ([`Error::NoRoom`] after
//!   `confirm_timeout`). A gas limit above the block's is [`Error::GasAboveBlock`].
//!
//! # Example
//!
//! ```no_run
//! use evm_sender::{EvmClassifier, EvmSender, SenderConfig, Signer, TxRequest};
//! use rpc_resilience::ResilientClient;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = ResilientClient::builder()
//!     .endpoint("http://127.0.0.1:8545")
//!     .classifier(EvmClassifier)
//!     .build()?;
//! let signer = Signer::from_file("signer.key")?; // mode 0600
//! let sender = EvmSender::open(SenderConfig::new(31337), client, signer, "nonces.sqlite").await?;
//!
//! let to = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8".parse()?;
//! let op = sender.submit("pay:alice:1", TxRequest::transfer(to, 1_000u64.try_into()?)).await?;
//! // Submitting "pay:alice:1" again returns the same journaled transaction.
//! let done = sender.wait_confirmed(&op.op_id).await?;
//! println!("{} mined in block {}", done.tx_hash, done.block_number);
//! # Ok(())
//! # }
//! ```
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod anvil;
mod config;
mod confirm;
mod confirmation;
mod error;
mod journal;
mod logs;
mod reader;
pub mod rpc;
mod sender;
mod signer;
mod tx;

pub use alloy_primitives::{Address, Bytes, B256, U256};
pub use config::{ConfirmBy, FeeBump, SenderConfig, GWEI, MIN_FEE_BUMP_BPS};
pub use confirmation::Confirmation;
pub use error::{Error, Result};
pub use logs::{Log, Receipt, RECEIPTS_PER_BATCH};
pub use reader::EvmReader;
pub use rpc::EvmClassifier;
pub use sender::{EvmSender, Mined, OpHandle, OpStatus, REQUESTS_PER_LOOK};
pub use signer::Signer;
pub use tx::{SignedTx, TxRequest};
