//! The `[evm]` section of the configuration: the EVM backend of `run --chain evm`.
//!
//! Its defaults are `evm_sender::SenderConfig::new`'s, so they live in one place. The gas
//! price multiplier is read from its decimal text (never through `f64`) and becomes basis
//! points; `fee_bump = true` is the sender's opt-in [`FeeBump`] at its smallest step. The
//! node's limits (`max_pending`, `block_gas_limit`, the intrinsic gas rule) are integers,
//! checked by the sender's own rule (`SenderConfig::validate`) plus the floor of 21,000 gas.

use std::time::Duration;

use evm_sender::{FeeBump, SenderConfig, GWEI, MIN_FEE_BUMP_BPS};
use serde::Deserialize;
use tokenomics_core::{Address, Ratio};

use crate::error::Error;

/// Parts per 10^18 in one basis point of a [`Ratio`].
const PARTS_PER_BPS: u128 = 100_000_000_000_000;
/// The largest gas price multiplier accepted, in basis points (10x).
const MAX_MULTIPLIER_BPS: u128 = 100_000;
/// With `fee_bump = true`: a transaction still unmined after this long is replaced.
pub const FEE_BUMP_AFTER: Duration = Duration::from_secs(60);
/// With `fee_bump = true`: replacements never price gas above this (1,000 gwei).
pub const FEE_BUMP_MAX_WEI: u128 = 1_000 * GWEI;
/// The smallest gas limit of a transaction.
const MIN_GAS: u64 = 21_000;

/// `[evm]`: every key optional; flags of a command of the same name may override them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct EvmSection {
    /// The chain id the node must report (default: the node's `eth_chainId`).
    pub chain_id: Option<u64>,
    /// The MDT token contract.
    pub token_address: Option<Address>,
    /// The `EpochPayout` contract.
    pub payout_address: Option<Address>,
    /// Blocks a receipt must be deep.
    pub confirmations: u64,
    /// Largest gas limit of one transaction.
    pub max_gas_per_tx: u64,
    /// `eth_gasPrice` times this, rounded up (exact decimal, at most 4 decimals).
    pub gas_price_multiplier: Ratio,
    /// The gas price is at least this.
    pub min_gas_price_wei: u64,
    /// Replace a transaction unmined after [`FEE_BUMP_AFTER`] at +12.5 %, same nonce.
    pub fee_bump: bool,
    /// Transactions of the signer sent and not yet mined, at most (a node's slots per sender).
    pub max_pending: u32,
    /// Gas of the signer's unmined transactions, at most, when the node's latest block does
    /// not give its `gasLimit`.
    pub block_gas_limit: u64,
    /// Intrinsic gas of a transaction: a gas limit is at least this plus
    /// `intrinsic_gas_per_byte` per calldata byte.
    pub intrinsic_gas_base: u64,
    /// Intrinsic gas per calldata byte (see `intrinsic_gas_base`).
    pub intrinsic_gas_per_byte: u64,
    /// How epochs are paid: transfers in chunks (`push`, the default) or one cumulative
    /// Merkle root per epoch that recipients claim from (`claims`).
    pub payout: PayoutMode,
}

/// `[evm] payout`: how `run --chain evm` pays an epoch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum PayoutMode {
    /// `openEpoch`, then `payout` of every chunk of transfers.
    #[default]
    Push,
    /// One `openClaims` per epoch; each recipient claims with a proof.
    Claims,
}

impl PayoutMode {
    /// The name the configuration and `--payout` use.
    pub fn name(self) -> &'static str {
        match self {
            PayoutMode::Push => "push",
            PayoutMode::Claims => "claims",
        }
    }
}

impl Default for EvmSection {
    fn default() -> Self {
        let sender = SenderConfig::new(1);
        Self {
            chain_id: None,
            token_address: None,
            payout_address: None,
            confirmations: sender.confirmations,
            max_gas_per_tx: sender.max_gas_per_tx,
            gas_price_multiplier: Ratio::from_parts(
                u128::from(sender.gas_price_multiplier_bps) * PARTS_PER_BPS,
            ),
            // proof: the sender's default minimum is 1 gwei, far below u64::MAX.
            min_gas_price_wei: u64::try_from(sender.min_gas_price_wei).unwrap_or(u64::MAX),
            fee_bump: false,
            max_pending: sender.max_pending,
            block_gas_limit: sender.block_gas_limit,
            intrinsic_gas_base: sender.intrinsic_gas_base,
            intrinsic_gas_per_byte: sender.intrinsic_gas_per_byte,
            payout: PayoutMode::Push,
        }
    }
}

impl EvmSection {
    /// Checks every key's range; the error names the key (`[evm] confirmations`).
    pub fn validate(&self) -> Result<(), Error> {
        if self.chain_id == Some(0) {
            return Err(refused("chain_id", "must be at least 1".into()));
        }
        if self.confirmations == 0 {
            return Err(refused("confirmations", "must be at least 1".into()));
        }
        if self.max_gas_per_tx < MIN_GAS {
            let reason = format!("must be at least {MIN_GAS}");
            return Err(refused("max_gas_per_tx", reason));
        }
        self.multiplier_bps()?;
        if self.token_address.is_some() && self.token_address == self.payout_address {
            let reason = "must differ from token_address".into();
            return Err(refused("payout_address", reason));
        }
        self.check_node_limits()
    }

    /// `max_pending`, `block_gas_limit` and the intrinsic gas rule: the sender's rule, with
    /// the value found; the base at least 21,000 (no node mines less), and one calldata
    /// byte's gas must fit in `max_gas_per_tx` beside it.
    fn check_node_limits(&self) -> Result<(), Error> {
        let base = self.intrinsic_gas_base;
        if base < MIN_GAS {
            let reason = format!("must be at least {MIN_GAS}, found {base}");
            return Err(refused("intrinsic_gas_base", reason));
        }
        let room = self.max_gas_per_tx.saturating_sub(base);
        if base <= self.max_gas_per_tx && self.intrinsic_gas_per_byte > room {
            let reason = format!(
                "must be at most max_gas_per_tx - intrinsic_gas_base ({room}): one calldata \
                 byte must fit in a transaction, found {}",
                self.intrinsic_gas_per_byte
            );
            return Err(refused("intrinsic_gas_per_byte", reason));
        }
        let config = self.sender_config(1, None)?;
        config.validate().map_err(|error| match error {
            evm_sender::Error::InvalidConfig { field, reason } => {
                let found = match field {
                    "max_pending" => format!(", found {}", self.max_pending),
                    "block_gas_limit" => {
                        format!(" ({}), found {}", self.max_gas_per_tx, self.block_gas_limit)
                    }
                    "intrinsic_gas_base" => format!(" ({}), found {base}", self.max_gas_per_tx),
                    _ => String::new(),
                };
                refused(field, format!("{reason}{found}"))
            }
            other => Error::Setting {
                name: "[evm]".into(),
                reason: other.to_string(),
            },
        })
    }

    /// The gas price multiplier in basis points: 1 to 10, in steps of 0.0001.
    pub fn multiplier_bps(&self) -> Result<u32, Error> {
        let parts = self.gas_price_multiplier.parts();
        let bad = |reason: &str| {
            let reason = format!("{}: {reason}", self.gas_price_multiplier);
            Err(refused("gas_price_multiplier", reason))
        };
        if !parts.is_multiple_of(PARTS_PER_BPS) {
            return bad("at most 4 decimals");
        }
        let bps = parts / PARTS_PER_BPS;
        if !(10_000..=MAX_MULTIPLIER_BPS).contains(&bps) {
            return bad("must be at least 1 and at most 10");
        }
        // proof: bps <= MAX_MULTIPLIER_BPS, which fits a u32.
        u32::try_from(bps).or_else(|_| bad("too large"))
    }

    /// The sender's configuration for `chain_id`, with `confirmations` when a flag gave it.
    pub fn sender_config(
        &self,
        chain_id: u64,
        confirmations: Option<u64>,
    ) -> Result<SenderConfig, Error> {
        let mut config = SenderConfig::new(chain_id);
        config.confirmations = confirmations.unwrap_or(self.confirmations);
        config.max_gas_per_tx = self.max_gas_per_tx;
        config.gas_price_multiplier_bps = self.multiplier_bps()?;
        config.min_gas_price_wei = u128::from(self.min_gas_price_wei);
        config.max_pending = self.max_pending;
        config.block_gas_limit = self.block_gas_limit;
        config.intrinsic_gas_base = self.intrinsic_gas_base;
        config.intrinsic_gas_per_byte = self.intrinsic_gas_per_byte;
        config.fee_bump = self.fee_bump.then_some(FeeBump {
            after: FEE_BUMP_AFTER,
            bump_bps: MIN_FEE_BUMP_BPS,
            max_gas_price_wei: FEE_BUMP_MAX_WEI,
        });
        Ok(config)
    }
}

/// `[evm] key` refused for `reason`.
fn refused(key: &str, reason: String) -> Error {
    Error::Setting {
        name: format!("[evm] {key}"),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check<T: PartialEq + std::fmt::Debug>(got: T, want: T) {
        assert_eq!(got, want);
    }

    fn with_multiplier(text: &str) -> EvmSection {
        EvmSection {
            gas_price_multiplier: text.parse().unwrap(),
            ..EvmSection::default()
        }
    }

    #[test]
    fn the_defaults_are_the_senders() {
        let config = EvmSection::default().sender_config(7, None).unwrap();
        check(config, SenderConfig::new(7));
    }

    #[test]
    fn the_multiplier_becomes_exact_basis_points() {
        check(with_multiplier("1.25").multiplier_bps().ok(), Some(12_500));
        check(
            with_multiplier("1.0001").multiplier_bps().ok(),
            Some(10_001),
        );
        check(with_multiplier("10").multiplier_bps().ok(), Some(100_000));
    }

    #[test]
    fn a_multiplier_finer_than_a_basis_point_or_out_of_range_is_refused() {
        for text in ["1.00001", "0.99", "10.0001"] {
            check(with_multiplier(text).validate().is_err(), true);
        }
    }

    #[test]
    fn fee_bump_is_the_senders_smallest_step() {
        let section = EvmSection {
            fee_bump: true,
            ..EvmSection::default()
        };
        let bump = section.sender_config(1, None).unwrap().fee_bump.unwrap();
        check(bump.bump_bps, MIN_FEE_BUMP_BPS);
    }

    #[test]
    fn a_confirmations_flag_overrides_the_key() {
        let config = EvmSection::default().sender_config(1, Some(4)).unwrap();
        check(config.confirmations, 4);
    }
}
