//! What the stand-in saw and did, counted for tests: [`Counters`] (shared, atomic) and its
//! [`CountersSnapshot`].

use std::sync::atomic::{AtomicU64, Ordering};

/// Live counters, shared by every connection.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    requests: AtomicU64,
    rate_limited: AtomicU64,
    sender_limit: AtomicU64,
    low_gas_price: AtomicU64,
    intrinsic_gas: AtomicU64,
    block_gas: AtomicU64,
}

/// Why a transaction was not passed to anvil as it came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dropped {
    SenderLimit,
    LowGasPrice,
    IntrinsicGas,
    BlockGas,
}

impl Counters {
    pub(crate) fn request(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn rate_limited(&self) {
        self.rate_limited.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn dropped(&self, why: Dropped) {
        let counter = match why {
            Dropped::SenderLimit => &self.sender_limit,
            Dropped::LowGasPrice => &self.low_gas_price,
            Dropped::IntrinsicGas => &self.intrinsic_gas,
            Dropped::BlockGas => &self.block_gas,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> CountersSnapshot {
        let read = |c: &AtomicU64| c.load(Ordering::Relaxed);
        CountersSnapshot {
            requests: read(&self.requests),
            rate_limited: read(&self.rate_limited),
            refused_sender_limit: read(&self.sender_limit),
            refused_low_gas_price: read(&self.low_gas_price),
            swallowed_intrinsic_gas: read(&self.intrinsic_gas),
            left_out_block_gas: read(&self.block_gas),
        }
    }
}

/// The counters at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CountersSnapshot {
    /// HTTP requests received (a batch is one; the refused ones included).
    pub requests: u64,
    /// Requests answered HTTP 429 (the request window).
    pub rate_limited: u64,
    /// `eth_sendRawTransaction` refused: the sender's slots were all taken.
    pub refused_sender_limit: u64,
    /// `eth_sendRawTransaction` refused: gas price below the pool's minimum.
    pub refused_low_gas_price: u64,
    /// Transactions answered their hash but never forwarded: gas limit below the
    /// intrinsic gas.
    pub swallowed_intrinsic_gas: u64,
    /// Transactions "executed but left out": they did not fit the block's gas.
    pub left_out_block_gas: u64,
}

impl CountersSnapshot {
    /// Every transaction the stand-in did not pass to anvil, whatever the reason.
    pub fn dropped(&self) -> u64 {
        self.refused_sender_limit
            .saturating_add(self.refused_low_gas_price)
            .saturating_add(self.swallowed_intrinsic_gas)
            .saturating_add(self.left_out_block_gas)
    }
}
