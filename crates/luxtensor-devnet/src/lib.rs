//! `luxtensor-devnet`: an embedded Luxtensor dev node, so the tokenomics tool runs
//! on a fresh machine with no chain and every client test talks to a real server.
//!
//! It serves the wire protocol of the repository's docs/SPEC.md (JSON-RPC 2.0 over HTTP: `eth_chainId`,
//! `eth_blockNumber`, `eth_getBalance`, `luxtensor_totalSupply`, `luxtensor_mint`,
//! `luxtensor_transfer`, `luxtensor_getTransfer`) over a SQLite ledger, on loopback
//! only, and can inject seeded, reproducible faults.
//!
//! Main types:
//! - [`Devnet::start`] takes a [`DevnetConfig`] and returns a [`DevnetHandle`]
//!   (address, URL, token, [`DevnetHandle::set_faults`], `shutdown().await`);
//! - [`Ledger`]: balances, supply capped at `max_supply`, a block number that
//!   advances with each write, idempotency keys shared by mints and transfers;
//!   a file ledger is held by one node at a time (an exclusive lock on
//!   `<file>.lock` naming the holder's pid, else [`DevnetError::LedgerInUse`]),
//!   and one whose supply is already above `max_supply` is refused
//!   ([`DevnetError::SupplyAboveCap`]);
//! - [`FaultConfig`]: error / drop / 429 / 503 / late-answer rates and latency,
//!   drawn per HTTP request from a ChaCha8 stream seeded by `seed`;
//! - [`DevnetError`]: every failure, with its wire code ([`DevnetError::rpc_code`])
//!   and whether a retry can help ([`DevnetError::is_retryable`]).
//!
//! Writes need `Authorization: Bearer <token>` (the scheme in any case; else
//! -32004); the token is never logged, and one that could never authenticate
//! (empty, whitespace, control or non-ASCII characters) is refused at start.
//! Errors: -32602 bad params (names the field), -32001 insufficient balance,
//! -32002 max supply exceeded, -32003 idempotency conflict, -32004 unauthorized,
//! -32005 rate limited. An error shows a client's value (address, quantity, key)
//! past 64 characters only as its first 32, "…" and its length ([`codec::excerpt`]).
//!
//! A JSON-RPC batch runs in one SQLite transaction that commits once, but it is
//! not all-or-nothing: each call is answered on its own, a refused call (bad
//! params, insufficient balance, max supply, key conflict, unauthorized) applies
//! nothing, and the calls that succeed are kept. Only a storage failure (a SQLite
//! error or a corrupt stored value) half-way through a write rolls back the whole
//! batch, which is then answered with one -32603 error instead of the array.
//!
//! ```
//! use luxtensor_devnet::{Devnet, DevnetConfig};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), luxtensor_devnet::DevnetError> {
//! let devnet = Devnet::start(DevnetConfig::default()).await?;
//! assert!(devnet.url().starts_with("http://127.0.0.1:"));
//! devnet.ledger().mint("0x00000000000000000000000000000000000000aa", 1_000, None)?;
//! assert_eq!(devnet.total_supply(), 1_000);
//! devnet.shutdown().await;
//! # Ok(())
//! # }
//! ```

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod auth;
pub mod codec;
mod config;
mod error;
mod faults;
pub mod http;
mod ledger;
pub mod rpc;
mod server;

pub use config::{DevnetConfig, LedgerPath, Limits, DEFAULT_CHAIN_ID, DEFAULT_MAX_SUPPLY};
pub use error::{
    DevnetError, IDEMPOTENCY_CONFLICT, INSUFFICIENT_BALANCE, INTERNAL_ERROR, INVALID_PARAMS,
    MAX_SUPPLY_EXCEEDED, RATE_LIMITED, UNAUTHORIZED,
};
pub use faults::{Fault, FaultConfig, FaultInjector};
pub use ledger::{BatchTx, Ledger, Receipt, WriteKind, WriteRecord, WriteRequest};
pub use server::{Devnet, DevnetHandle};
