//! Exact emission, fee recycling and reward-split math for the ModernTensor network.
//!
//! This crate decides, to the base unit, how many tokens an epoch emits and who gets
//! them. It does no I/O, has no async and no floats in any amount path, so a chain
//! runtime, a simulator and the payout tool all get the same answer on every platform.
//!
//! # Overview
//!
//! - [`Amount`]: base units (1 MDT = 10^18) in a `u128`, checked arithmetic, exact
//!   `a * b / c` through a 256-bit intermediate ([`mul_div`]).
//! - [`Fraction`] and [`Ratio`]: fixed point with 18 decimals, read from decimal text
//!   ("0.1" is exactly 1/10), never through `f64`.
//! - [`Params`]: emission, distribution and burn parameters with the seed's defaults.
//! - [`EpochInputs`]: one epoch's network state and recipients.
//! - [`EpochPlan`]: every figure of the epoch and the ordered [`Transfer`] list, with a
//!   `plan_hash`; [`EpochPlan::build`] is a pure function.
//! - [`SupplyLedger`] (minted, burned, circulating) and [`schedule`] (era by era).
//!
//! # Example
//!
//! ```
//! use tokenomics_core::{Amount, EpochInputs, EpochPlan, Params};
//!
//! let inputs: EpochInputs = serde_json::from_str(r#"{
//!     "epoch": 0,
//!     "utility_score": "1",
//!     "miners": [{"address": "0x00000000000000000000000000000000000000aa", "score": "1"}],
//!     "community_address": "0x00000000000000000000000000000000000000cc",
//!     "dao_address": "0x00000000000000000000000000000000000000dd"
//! }"#)?;
//! let plan = EpochPlan::build(&Params::default(), &inputs)?;
//! // U = 1 and neutral quality emit exactly the base reward.
//! assert_eq!(plan.total, "1000".parse::<Amount>()?);
//! let paid = Amount::checked_sum(plan.transfers.iter().map(|t| t.amount), "paid")?;
//! assert_eq!(paid, plan.total);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![cfg_attr(not(test), deny(clippy::float_arithmetic))]

mod address;
mod amount;
mod decimal;
mod digest;
mod emission;
mod error;
mod fees;
mod fraction;
mod inputs;
mod muldiv;
mod params;
mod pay;
mod plan;
mod quality;
mod recipients;
mod refused;
mod schedule;
mod split;
mod supply;
mod synthetic;

pub use address::Address;
pub use amount::Amount;
pub use decimal::{DECIMALS, SCALE};
pub use digest::Hash256;
pub use emission::{emission_for, utility_from_network, Emission};
pub use error::{CoreError, Result};
pub use fees::{split_fees, FeeSplit};
pub use fraction::{Fraction, Ratio};
pub use inputs::{Delegator, EpochInputs, Fees, Miner, NetworkMetrics, Validator, Weighted};
pub use muldiv::{mul_div, mul_div_rem};
pub use params::{BurnRates, DistributionParams, EmissionParams, Params};
pub use pay::Transfer;
pub use plan::EpochPlan;
pub use quality::quality_multiplier;
pub use refused::{check_recipients, refusal, Refused, ZERO_ADDRESS};
pub use schedule::{schedule, Era};
pub use split::{apportion, Category};
pub use supply::SupplyLedger;
pub use synthetic::synthetic_inputs;
