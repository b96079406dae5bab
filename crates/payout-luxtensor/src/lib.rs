//! The Luxtensor-protocol payout backend: epochs opened with `luxtensor_mint` and paid
//! with keyed `luxtensor_transfer` JSON-RPC batches (the embedded devnet speaks it).
//!
//! [`LuxtensorPayout`] implements `payout-executor`'s seam ([`payout_executor::PayoutChain`]):
//!
//! | step | how |
//! |---|---|
//! | open | `luxtensor_mint` of `from_mint` to the treasury under `mint:<epoch>`, its memo the plan hash and the minted supply ([`memo_text`]) |
//! | pay | `luxtensor_transfer` under `transfer:<epoch>:<index>`, in batches of `[rpc] batch_size`, [`LuxtensorConfig::batches_in_flight`] at once, rounds over what failed |
//! | applied / shows | the records under those keys (`luxtensor_getTransfer`) |
//! | verify | the mint's and a sample of transfers' records; balances when nothing else wrote meanwhile |
//!
//! # Why it is exactly once
//!
//! Every write carries an idempotency key derived from the epoch and the transfer's
//! index only (`luxtensor_protocol::mint_key`, `transfer_key`), and the epoch's mint
//! carries the plan hash and the minted supply it used. Anything not confirmed is sent
//! again with the same key, and the node answers a replayed key with its first result,
//! so a lost answer, a timeout, a killed process, a lost journal or a concurrent run
//! never pays twice and never skips anyone.
//!
//! # Example
//!
//! ```no_run
//! use payout_executor::{EpochExecutor, ExecutorConfig, MintedSupply};
//! use payout_luxtensor::{LuxtensorConfig, LuxtensorPayout};
//! use rpc_resilience::ResilientClient;
//! use tokenomics_core::{EpochInputs, Params};
//!
//! # async fn run(inputs: EpochInputs) -> Result<(), Box<dyn std::error::Error>> {
//! let client = ResilientClient::builder()
//!     .endpoint("http://127.0.0.1:8545")
//!     .idempotency(luxtensor_protocol::policy()) // keyed writes are replay-safe
//!     .classifier(luxtensor_protocol::classifier()) // Luxtensor's final and rate-limit codes
//!     .bearer_token(Some("secret"))
//!     .build()?;
//! let treasury = "0x7472656173757279000000000000000000000000".parse()?;
//! let chain = LuxtensorPayout::new(client, LuxtensorConfig::new(treasury));
//! let mut executor = EpochExecutor::open(
//!     Params::default(),
//!     ExecutorConfig::default(),
//!     chain,
//!     "journal.sqlite".as_ref(),
//! )?;
//! let report = executor
//!     .run_epoch(inputs, MintedSupply::FromChain, &mut |step| println!("{step:?}"))
//!     .await?;
//! println!("paid {} MDT to {} recipients", report.paid, report.recipients);
//! # Ok(())
//! # }
//! ```

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod batch;
mod config;
mod error;
mod hex;
mod open;
mod payout;
mod protocol;
mod send;
mod shows;
mod verify;

pub use config::{LuxtensorConfig, DEFAULT_TREASURY};
pub use error::LuxtensorError;
pub use protocol::{memo_text, parse_memo, LuxtensorPayout, Receipt, TransferCall, WriteRecord};
