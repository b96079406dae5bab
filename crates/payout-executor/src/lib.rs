//! Exactly-once epoch payouts for ModernTensor, on the Luxtensor protocol or an EVM chain.
//!
//! [`EpochExecutor`] runs one epoch: it builds the plan with `tokenomics-core`, writes
//! it to a SQLite [`Journal`] before anything is sent, opens the epoch on chain (which
//! mints `from_mint` into the payer), pays the transfers, marks each confirmed transfer,
//! verifies on chain, and marks the epoch done. How each step is done on a chain is
//! the backend's, behind the [`PayoutChain`] trait:
//!
//! | backend | opens with | pays with | verifies |
//! |---|---|---|---|
//! | [`Chain`] (Luxtensor protocol; the embedded devnet) | `luxtensor_mint` under `mint:<epoch>` with the plan memo | keyed `luxtensor_transfer` JSON-RPC batches | the mint's and a sample of transfers' records; balances when nothing else wrote meanwhile |
//! | [`evm::EvmPayout`] (MDT ERC-20 + `EpochPayout`) | `openEpoch(epoch, planHash, mintedSupplyBefore, fromMint)` | `payout(epoch, chunk, to[], amounts[])` per chunk of 300 | the epoch's record (plan, figures, chunks paid, total paid), every chunk's bit, and the token `Transfer` logs of the transactions that paid a sample of chunks; never balances |
//!
//! Along the way it emits `tokenomics_*` series through the `metrics` facade
//! ([`metrics`]): a binary that installs a recorder gets them.
//!
//! # Why it is exactly once
//!
//! Every write carries an idempotency key derived from the epoch and the transfer's
//! index only (`luxtensor_protocol::mint_key`, `transfer_key`), and the epoch's mint carries the plan
//! hash and the minted supply it used ([`Opening`]). Anything not confirmed is sent
//! again with the same key, and the node answers a replayed key with its first result,
//! so a lost answer, a timeout, a killed process, a lost journal or a concurrent run
//! never pays twice and never skips anyone: the chain decides, the journal only saves
//! reads. The same epoch with other inputs has another plan hash and is refused by the
//! journal ([`ExecutorError::Conflict`]) or by the chain ([`ExecutorError::ChainConflict`]).
//!
//! # Example
//!
//! ```no_run
//! use rpc_resilience::ResilientClient;
//! use tokenomics_core::{EpochInputs, Params};
//! use payout_executor::{Chain, EpochExecutor, ExecutorConfig, MintedSupply};
//!
//! # async fn run(inputs: EpochInputs) -> Result<(), Box<dyn std::error::Error>> {
//! let client = ResilientClient::builder()
//!     .endpoint("http://127.0.0.1:8545")
//!     .idempotency(luxtensor_protocol::policy()) // keyed writes are replay-safe
//!     .classifier(luxtensor_protocol::classifier()) // Luxtensor's final and rate-limit codes
//!     .bearer_token(Some("secret"))
//!     .build()?;
//! let treasury = "0x7472656173757279000000000000000000000000".parse()?;
//! let mut executor = EpochExecutor::open(
//!     Params::default(),
//!     ExecutorConfig::new(treasury),
//!     Chain::new(client),
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

mod close;
mod confirmed;
mod dry_run;
mod error;
mod executor;
mod executor_config;
pub mod metrics;
mod next_epoch;
mod prepare;
mod recheck;
mod report;
pub mod sample;
mod seam;
mod status_check;

pub use close::{CloseProgress, ClosedEpoch, ClosesEpochs};
pub use dry_run::{DryRunAhead, DryRunReport, OnChain, SampleBalance};
pub use error::{BackendError, BackendFailure, ExecutorError, Result};
pub use executor::{EpochExecutor, ExecutorConfig, MintedSupply};
pub use payout_journal::{
    read_status, Closing, EpochRecord, EpochStage, EpochStatus, Journal, JournalError,
    JournaledEpoch, NextEpoch, Stage,
};
pub use report::{EpochReport, Outcome, Progress};
pub use seam::{
    Baseline, ChainShows, ConfirmedSink, Opening, PaidBy, PayoutChain, PayoutPreview, TxHash,
    Verified,
};
pub use status_check::{check_status, compare, ChainView, CheckedEpoch, ShowsChain};
