//! [`SenderConfig`] and [`FeeBump`]: chain id, confirmations, gas price and gas limit rules.
//!
//! Wei amounts are integers; multipliers are basis points (10,000 = 1x), applied as
//! `ceil(x * bps / 10_000)` with checked arithmetic.

use std::time::Duration;

use crate::{Error, Result};

/// One gwei in wei.
pub const GWEI: u128 = 1_000_000_000;

/// The smallest fee bump nodes accept for a replacement: 12.5 %.
pub const MIN_FEE_BUMP_BPS: u32 = 1_250;

/// Settings of an `EvmSender`; every field has a documented default except `chain_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SenderConfig {
    /// The chain id transactions are signed for; `eth_chainId` must say the same.
    pub chain_id: u64,
    /// Blocks a receipt must be deep (its own block counts as 1). Default 1.
    pub confirmations: u64,
    /// What makes a receipt `confirmations` deep count: its block hash compared with the
    /// canonical block's (default), or its block number alone ([`ConfirmBy`]).
    pub confirm_by: ConfirmBy,
    /// Gas price = `eth_gasPrice * gas_price_multiplier_bps / 10_000`, rounded up. Default
    /// 12,500 (1.25x).
    pub gas_price_multiplier_bps: u32,
    /// The gas price is at least this. Default 1 gwei.
    pub min_gas_price_wei: u128,
    /// Gas limit = `eth_estimateGas * gas_limit_margin_bps / 10_000`, rounded up. Default 12,000.
    pub gas_limit_margin_bps: u32,
    /// Largest gas limit of one transaction. Default 10,000,000.
    pub max_gas_per_tx: u64,
    /// Interval between two looks at the chain while waiting. Default 1 s.
    pub poll_interval: Duration,
    /// How long one `eth_gasPrice` reading prices new operations (60 s). Read per
    /// operation, a node whose price follows recent tips (anvil does) would see each of
    /// our transactions raise the next one's price by the multiplier.
    pub gas_price_ttl: Duration,
    /// Longest `wait_confirmed` waits for one operation (`None`: no limit). Default 10 min.
    pub confirm_timeout: Option<Duration>,
    /// Confirmed operations whose block is at most this far below the head are checked again
    /// by `confirm_all` (a reorg puts them back to pending). Default 64.
    pub reorg_depth: u64,
    /// Replace a transaction still unmined with a higher price, same nonce. Off by default
    /// (some nodes refuse replacements).
    pub fee_bump: Option<FeeBump>,
    /// Transactions of this sender sent and not yet mined (journaled, nonce at or above the
    /// account's `latest`) at most; a new operation waits for room instead of being sent.
    /// Default 16 (Geth's executable slots per account; other nodes keep as many).
    pub max_pending: u32,
    /// Intrinsic gas of any transaction: a gas limit is at least
    /// `intrinsic_gas_base + intrinsic_gas_per_byte * calldata bytes` (a node accepts a lower
    /// limit and never mines it). Default 21,000.
    pub intrinsic_gas_base: u64,
    /// Intrinsic gas per calldata byte (see `intrinsic_gas_base`). Default 68.
    pub intrinsic_gas_per_byte: u64,
    /// The block gas limit when the node's latest block does not say (`gasLimit`): the gas
    /// limits of this sender's unmined transactions add up to at most this (a transaction
    /// that does not fit a block may be left out of it with its nonce used). Default
    /// 30,000,000.
    pub block_gas_limit: u64,
}

impl SenderConfig {
    /// The defaults for `chain_id`.
    pub fn new(chain_id: u64) -> Self {
        Self {
            chain_id,
            confirmations: 1,
            confirm_by: ConfirmBy::BlockHash,
            gas_price_multiplier_bps: 12_500,
            min_gas_price_wei: GWEI,
            gas_limit_margin_bps: 12_000,
            max_gas_per_tx: 10_000_000,
            poll_interval: Duration::from_secs(1),
            gas_price_ttl: Duration::from_secs(60),
            confirm_timeout: Some(Duration::from_secs(600)),
            reorg_depth: 64,
            fee_bump: None,
            max_pending: 16,
            intrinsic_gas_base: 21_000,
            intrinsic_gas_per_byte: 68,
            block_gas_limit: 30_000_000,
        }
    }

    /// Checks the ranges: confirmations >= 1, multipliers >= 1x, bump >= 12.5 %,
    /// `max_pending` >= 1, `intrinsic_gas_base <= max_gas_per_tx <= block_gas_limit`.
    pub fn validate(&self) -> Result<()> {
        let invalid = |field, reason: &str| {
            Err(Error::InvalidConfig {
                field,
                reason: reason.into(),
            })
        };
        if self.confirmations == 0 {
            return invalid("confirmations", "must be at least 1");
        }
        if self.gas_price_multiplier_bps < 10_000 {
            return invalid("gas_price_multiplier_bps", "must be at least 10000 (1x)");
        }
        if self.gas_limit_margin_bps < 10_000 {
            return invalid("gas_limit_margin_bps", "must be at least 10000 (1x)");
        }
        if self.max_gas_per_tx < 21_000 {
            return invalid("max_gas_per_tx", "must be at least 21000");
        }
        if self.max_pending == 0 {
            return invalid("max_pending", "must be at least 1");
        }
        if self.intrinsic_gas_base > self.max_gas_per_tx {
            return invalid("intrinsic_gas_base", "must be at most max_gas_per_tx");
        }
        if self.block_gas_limit < self.max_gas_per_tx {
            return invalid("block_gas_limit", "must be at least max_gas_per_tx");
        }
        if let Some(bump) = &self.fee_bump {
            if bump.bump_bps < MIN_FEE_BUMP_BPS {
                return invalid("fee_bump.bump_bps", "must be at least 1250 (12.5 %)");
            }
        }
        Ok(())
    }

    /// The gas price of a new operation from the node's `eth_gasPrice`.
    pub fn gas_price(&self, node_price: u128) -> Result<u128> {
        let scaled = scale_up(node_price, self.gas_price_multiplier_bps).ok_or_else(|| {
            Error::InvalidConfig {
                field: "gas_price_multiplier_bps",
                reason: "the gas price overflows".into(),
            }
        })?;
        Ok(scaled.max(self.min_gas_price_wei))
    }

    /// The intrinsic gas of a transaction with `calldata_len` bytes of calldata (or init
    /// code): `intrinsic_gas_base + intrinsic_gas_per_byte * calldata_len`, saturating.
    pub fn intrinsic_gas(&self, calldata_len: usize) -> u64 {
        u64::try_from(calldata_len)
            .ok()
            .and_then(|len| len.checked_mul(self.intrinsic_gas_per_byte))
            .and_then(|gas| gas.checked_add(self.intrinsic_gas_base))
            .unwrap_or(u64::MAX)
    }

    /// The gas limit from an estimate (or a fixed limit, with `margin` false): at least the
    /// estimate with the margin and at least the intrinsic gas of `calldata_len` bytes,
    /// capped at `max_gas_per_tx`; refused when the estimate or the intrinsic gas is above it.
    pub fn gas_limit(&self, op_id: &str, estimate: u64, calldata_len: usize) -> Result<u64> {
        self.limit(op_id, estimate, calldata_len, true)
    }

    /// [`SenderConfig::gas_limit`] for a fixed limit: no margin, raised to the intrinsic gas.
    pub(crate) fn fixed_gas_limit(&self, op_id: &str, fixed: u64, len: usize) -> Result<u64> {
        self.limit(op_id, fixed, len, false)
    }

    fn limit(&self, op_id: &str, estimate: u64, len: usize, margin: bool) -> Result<u64> {
        let bps = if margin {
            self.gas_limit_margin_bps
        } else {
            10_000
        };
        let with_margin = scale_up(u128::from(estimate), bps)
            .and_then(|g| u64::try_from(g).ok())
            .unwrap_or(u64::MAX);
        let needed = estimate.max(self.intrinsic_gas(len));
        if needed > self.max_gas_per_tx {
            return Err(Error::GasAboveMax {
                op_id: op_id.into(),
                needed,
                max: self.max_gas_per_tx,
            });
        }
        Ok(with_margin.min(self.max_gas_per_tx).max(needed))
    }
}

/// How [`EvmSender::wait_confirmed`](crate::EvmSender::wait_confirmed) trusts a status-1
/// receipt `confirmations` deep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConfirmBy {
    /// Its block hash must be the canonical block's at its height (`eth_getBlockByNumber`),
    /// and not zero: a reorg or a made-up receipt is not trusted. For nodes that serve real
    /// block hashes; on a node that answers zero hashes nothing ever confirms.
    #[default]
    BlockHash,
    /// Its block number alone, whatever its hash: for nodes whose block hashes mean
    /// nothing. A made-up receipt is trusted: a caller that can read what the transaction
    /// did (a contract's state) should decide by that ([`EvmSender::op_status`](crate::EvmSender::op_status)).
    Depth,
}

/// Opt-in replacement of a transaction still unmined: same nonce, a higher gas price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeeBump {
    /// Wait this long after an attempt before replacing it.
    pub after: Duration,
    /// Each replacement raises the price by this much (basis points, at least 1,250 = 12.5 %).
    pub bump_bps: u32,
    /// Never price above this.
    pub max_gas_price_wei: u128,
}

impl FeeBump {
    /// The next attempt's price, or `None` when it would pass the maximum.
    pub fn next_price(&self, price: u128) -> Option<u128> {
        let next = scale_up(price, 10_000u32.checked_add(self.bump_bps)?)?;
        (next <= self.max_gas_price_wei).then_some(next)
    }
}

/// `ceil(x * bps / 10_000)`, `None` on overflow.
pub(crate) fn scale_up(x: u128, bps: u32) -> Option<u128> {
    let product = x.checked_mul(u128::from(bps))?;
    Some(product.div_ceil(10_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check<T: PartialEq + std::fmt::Debug>(got: T, want: T) {
        assert_eq!(got, want);
    }

    #[test]
    fn gas_price_is_node_price_times_1_25_rounded_up() {
        check(
            SenderConfig::new(1).gas_price(2_000_000_001).unwrap(),
            2_500_000_002,
        );
    }

    #[test]
    fn gas_price_is_at_least_one_gwei() {
        check(SenderConfig::new(1).gas_price(7).unwrap(), GWEI);
    }

    #[test]
    fn gas_limit_adds_the_margin_and_is_capped() {
        let config = SenderConfig::new(1);
        check(config.gas_limit("op", 21_000, 0).unwrap(), 25_200);
        check(config.gas_limit("op", 9_000_000, 0).unwrap(), 10_000_000);
        check(
            matches!(
                config.gas_limit("op", 10_000_001, 0),
                Err(Error::GasAboveMax { .. })
            ),
            true,
        );
    }

    #[test]
    fn a_fee_bump_below_12_5_percent_is_refused() {
        let mut config = SenderConfig::new(1);
        config.fee_bump = Some(FeeBump {
            after: Duration::ZERO,
            bump_bps: 1_249,
            max_gas_price_wei: u128::MAX,
        });
        check(config.validate().is_err(), true);
    }

    #[test]
    fn a_bump_raises_by_at_least_its_rate_and_stops_at_the_maximum() {
        let bump = FeeBump {
            after: Duration::ZERO,
            bump_bps: 1_250,
            max_gas_price_wei: 2_000,
        };
        check(bump.next_price(1_001), Some(1_127));
        check(bump.next_price(1_800), None);
    }
}
