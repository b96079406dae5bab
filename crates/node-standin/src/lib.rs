//! Test support: [`NodeStandIn`], a JSON-RPC proxy on 127.0.0.1 in front of a real anvil
//! that behaves as Luxtensor's EVM node (`luxtensor-rpc`, `luxtensor-core`'s pool) does where
//! anvil does not, each behaviour switched on its own in [`StandInConfig`]:
//!
//! | # | behaviour | switch |
//! |---|---|---|
//! | 1 | blocks have a zero `hash` and `parentHash`; a receipt's `blockHash` is no stored block's | `zero_block_hashes` |
//! | 1b | a pending transaction has a made-up receipt: status 1, a zero block hash | `fabricated_receipts` |
//! | 2 | 16 pending transactions per sender; a resent duplicate or a failed transaction keeps its slot for 30 minutes | `sender_slots` |
//! | 3 | 100 HTTP requests per 60-second window (a batch is one), then HTTP 429 with a JSON-RPC error -32000 | `request_window` |
//! | 4 | a gas limit below 21,000 + 68 per calldata byte is answered its hash and never mined; estimates and calls hide reverts; `eth_gasPrice` below the pool's 1 gwei minimum | `intrinsic_gas`, `estimates_hide_reverts`, `low_gas_price` |
//! | 5 | a transaction that does not fit the block's 30M gas is executed but left out: nonce used, no receipt | `block_gas_overflow` |
//! | 6 | `eth_getTransactionCount` ignores the block tag | `tagless_nonce` |
//!
//! [`StandInConfig::luxtensor`] switches them all on; [`StandInConfig::default`] is a
//! transparent proxy. [`NodeStandIn::counters`] tells a test what the stand-in did.
//!
//! The stand-in keeps time with tokio's clock (slot TTL, request window), so a test with a
//! paused clock moves it with `tokio::time::advance`; it sets no timer of its own, and talks
//! to anvil without timeouts, so a paused clock never jumps while anvil answers.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod config;
mod counters;
mod error;
mod http;
mod left_out;
mod pool;
mod rewrite;
mod rpc;
mod upstream;
mod window;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use evm_sender::anvil::{Anvil, AnvilConfig};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use config::{StandInConfig, GWEI, HIDDEN_REVERT_ESTIMATE};
pub use counters::CountersSnapshot;
pub use error::StandInError;
pub use http::RATE_LIMITED_BODY;
pub use pool::{intrinsic_gas, GAS_PER_DATA_BYTE, TX_BASE_GAS};
pub use rewrite::ZERO_HASH;

use rpc::Shared;
use upstream::Upstream;

/// The proxy: listening on 127.0.0.1 (port 0) until dropped, in front of a node (its own
/// anvil, or one at a given URL).
pub struct NodeStandIn {
    url: String,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
    anvil: Option<Anvil>,
}

impl std::fmt::Debug for NodeStandIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NodeStandIn")
            .field("url", &self.url)
            .field("node", &self.shared.node.url())
            .field("config", &self.shared.config)
            .finish()
    }
}

impl NodeStandIn {
    /// Starts an anvil ([`AnvilConfig::default`]: automine) and the stand-in in front of it.
    ///
    /// Anvil dies with the thread that started it (see `evm_sender::anvil`): call this from
    /// a thread that outlives the stand-in (a test's).
    pub async fn start(config: StandInConfig) -> Result<Self, StandInError> {
        Self::start_with(config, &AnvilConfig::default()).await
    }

    /// Starts an anvil with `anvil` (e.g. `no_mining`, to fill blocks with `evm_mine`) and
    /// the stand-in in front of it; the anvil lives as long as the stand-in.
    pub async fn start_with(
        config: StandInConfig,
        anvil: &AnvilConfig,
    ) -> Result<Self, StandInError> {
        let anvil = Anvil::start(anvil)?;
        let mut stand_in = Self::in_front_of(anvil.url(), config).await?;
        stand_in.anvil = Some(anvil);
        Ok(stand_in)
    }

    /// The stand-in in front of the node at `node_url` (`http://HOST:PORT`). Behaviour 5
    /// calls `anvil_setNonce`: an anvil is assumed behind when it is on.
    pub async fn in_front_of(node_url: &str, config: StandInConfig) -> Result<Self, StandInError> {
        let node = Upstream::new(node_url)?;
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
            .await
            .map_err(StandInError::Bind)?;
        let port = listener.local_addr().map_err(StandInError::Bind)?.port();
        let shared = Arc::new(Shared {
            config,
            counters: Default::default(),
            node,
            window: Default::default(),
            pool: Default::default(),
        });
        let task = tokio::spawn(http::serve(listener, Arc::clone(&shared)));
        Ok(Self {
            url: format!("http://127.0.0.1:{port}"),
            shared,
            task,
            anvil: None,
        })
    }

    /// The stand-in's URL, `http://127.0.0.1:<port>`: where a client under test connects.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The URL of the node behind (anvil): for a test's own reads and `anvil_*` calls,
    /// which the stand-in does not see.
    pub fn node_url(&self) -> &str {
        self.shared.node.url()
    }

    /// The anvil the stand-in started, if it did.
    pub fn anvil(&self) -> Option<&Anvil> {
        self.anvil.as_ref()
    }

    /// The behaviours on and their limits.
    pub fn config(&self) -> &StandInConfig {
        &self.shared.config
    }

    /// What the stand-in saw and did so far.
    pub fn counters(&self) -> CountersSnapshot {
        self.shared.counters.snapshot()
    }
}

impl Drop for NodeStandIn {
    fn drop(&mut self) {
        self.task.abort();
    }
}
