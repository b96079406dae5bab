//! Exact reading of ModernTensor tokenomics files: epoch inputs (JSON) and the
//! configuration (TOML), with no `f64` between the text and the amount.
//!
//! serde_json and toml read `0.1` as the nearest `f64`, and an amount of money must not
//! round. This crate reads every decimal from the text as written and hands it to
//! tokenomics-core's exact parser, so `0.1` is exactly 1/10; an amount given as a JSON
//! number with decimals is refused (write it as a decimal string). Every error is one
//! line for people that names the file, the field or key and the reason.
//!
//! # Overview
//!
//! - [`read_inputs`] / [`parse_inputs`]: one epoch's [`EpochInputs`](tokenomics_core::EpochInputs)
//!   from a file (`-` reads standard input) or from text, as [`LoadedInputs`] (which also
//!   says whether `minted_supply` was given); [`inputs_in_dir`] lists a folder's
//!   `*.json` files in order. Unknown fields are refused; a syntax error names its line,
//!   column and the field being read there.
//! - [`Config`]: the TOML configuration, every key optional (`[emission]`,
//!   `[distribution]`, `[burn]`, `[rpc]`, `[executor]`, [`[evm]`](EvmSection)), checked
//!   when read ([`Config::load`], [`Config::parse`]); [`Config::params`] gives the
//!   tokenomics parameters.
//! - [`parse_amount`]: an MDT amount given outside a file (a command-line flag).
//! - [`Config::plan`]: the plan of inputs, a refusal naming the file and field;
//!   [`PlanJson`]: a plan in the JSON shape of `tokenomics plan --json` (the binary and
//!   the Python bindings serialize through it).
//! - [`Error`]: what was refused and why; every variant is bad input.
//! - [`echo`]: the one rule for values echoed in errors (long values cut, anything
//!   that looks like a private key never shown).
//!
//! # Example
//!
//! ```
//! use std::path::Path;
//! use tokenomics_config::{parse_inputs, Config, Error};
//! use tokenomics_core::{EpochPlan, Fraction};
//!
//! let loaded = parse_inputs(r#"{
//!     "epoch": 7,
//!     "utility_score": 0.1,
//!     "miners": [{"address": "0x00000000000000000000000000000000000000aa", "score": 1}],
//!     "community_address": "0x00000000000000000000000000000000000000cc",
//!     "dao_address": "0x00000000000000000000000000000000000000dd"
//! }"#, Path::new("epoch-7.json"))?;
//! // 0.1 is exactly one tenth, not the f64 0.1000000000000000055...
//! assert_eq!(loaded.inputs.utility_score, Some("0.1".parse::<Fraction>()?));
//!
//! let config = Config::parse("[burn]\nslashing = 0.1\n", Path::new("tokenomics.toml"))?;
//! assert_eq!(config.burn.slashing.to_string(), "0.1");
//! let plan = EpochPlan::build(&config.params(), &loaded.inputs)?;
//! assert_eq!(plan.epoch, 7);
//!
//! // Errors name the file, the key and the reason.
//! let error = Config::parse("[rpc]\ntimeout_ms = 0\n", Path::new("tokenomics.toml"));
//! assert!(matches!(&error, Err(Error::Field { field, .. }) if field == "[rpc] timeout_ms"));
//! assert_eq!(
//!     error.unwrap_err().to_string(),
//!     "tokenomics.toml: [rpc] timeout_ms: must be at least 1"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod config;
pub mod echo;
mod error;
mod evm_section;
mod file;
mod inputs;
mod json_decimal;
mod json_error;
mod plan_json;

pub use config::{parse_amount, Config, ExecutorSection};
pub use error::{Error, Format, Position};
pub use evm_section::{EvmSection, PayoutMode, FEE_BUMP_AFTER, FEE_BUMP_MAX_WEI};
pub use inputs::{inputs_in_dir, inputs_name, parse_inputs, read_inputs, LoadedInputs};
pub use plan_json::PlanJson;
