//! Exactly-once epoch payouts for ModernTensor, through a seam any payout backend
//! implements.
//!
//! [`EpochExecutor`] runs one epoch: it builds the plan with `tokenomics-core`, writes
//! it to the `payout-journal` [`Journal`] before anything is sent, opens the epoch on
//! chain (which mints `from_mint` into the payer), pays the transfers, journals each
//! confirmed one, verifies on chain, and marks the epoch done. How each step is done on a
//! chain is the backend's, behind [`PayoutChain`] (the writes) and [`PayoutPreview`] (the
//! reads, all a dry run needs). This crate names no backend; the backends are crates of
//! their own:
//!
//! | backend | opens with | pays with | verifies |
//! |---|---|---|---|
//! | `payout-luxtensor`'s `LuxtensorPayout` (the Luxtensor protocol; the embedded devnet) | `luxtensor_mint` under `mint:<epoch>` with the plan memo | keyed `luxtensor_transfer` JSON-RPC batches | the mint's and a sample of transfers' records; balances when nothing else wrote meanwhile |
//! | `payout-evm`'s `EvmPayout` (MDT ERC-20 + `EpochPayout`) | `openEpoch(epoch, planHash, mintedSupplyBefore, fromMint)` | `payout(epoch, chunk, to[], amounts[])` per chunk of 300 | the epoch's record, every chunk's bit, and the token `Transfer` logs of a sample of chunks; never balances |
//!
//! The seam speaks core types only: the plan, addresses, amounts, [`Opening`] (how an
//! epoch was opened), [`PaidBy`] (what paid a transfer). Errors come in layers: the
//! journal's [`JournalError`], each backend's own (as a [`BackendError`] that keeps its
//! type and says whether a retry helps and whether it is bad input), and
//! [`ExecutorError`] on top. Along the way the executor emits `tokenomics_*` series
//! through the `metrics` facade ([`metrics`]).
//!
//! # Why it is exactly once
//!
//! Every backend makes the chain decide: an epoch opens once with one plan hash, and
//! each transfer is paid under a record that depends only on the epoch and its position,
//! so a lost answer, a timeout, a killed process, a lost journal or a concurrent run
//! never pays twice and never skips anyone; the journal only saves reads. The same
//! epoch with other inputs has another plan hash and is refused by the journal
//! ([`ExecutorError::Conflict`]) or by the chain ([`ExecutorError::ChainConflict`]).
//!
//! # Example
//!
//! ```no_run
//! use payout_executor::{
//!     EpochExecutor, EpochReport, ExecutorConfig, MintedSupply, PayoutChain, Result,
//! };
//! use tokenomics_core::{EpochInputs, Params};
//!
//! /// Pays one epoch on any backend, journaling in `journal.sqlite`.
//! async fn pay<C: PayoutChain>(chain: C, inputs: EpochInputs) -> Result<EpochReport> {
//!     let mut executor = EpochExecutor::open(
//!         Params::default(),
//!         ExecutorConfig::default(),
//!         chain,
//!         "journal.sqlite".as_ref(),
//!     )?;
//!     executor
//!         .run_epoch(inputs, MintedSupply::FromChain, &mut |step| println!("{step:?}"))
//!         .await
//! }
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
mod run;
pub mod sample;
mod seam;
mod status_check;

pub use close::{CloseProgress, ClosedEpoch, ClosesEpochs};
pub use dry_run::{DryRunAhead, DryRunReport, OnChain, SampleBalance};
pub use error::{BackendError, BackendFailure, ExecutorError, PoolShortfall, Result};
pub use executor::{EpochExecutor, ExecutorConfig, MintedSupply};
pub use payout_journal::{
    read_status, Closing, EpochRecord, EpochStage, EpochStatus, Journal, JournalError,
    JournaledEpoch, NextEpoch, Stage,
};
pub use report::{EpochReport, Outcome, Progress};
pub use seam::{
    Baseline, ChainShows, ConfirmedSink, Opening, PaidBy, PaidWay, PayoutChain, PayoutPreview,
    TxHash, Verified,
};
pub use status_check::{check_status, compare, ChainView, CheckedEpoch, ShowsChain};
