//! Test helpers: a real anvil on 127.0.0.1 (killed on drop), its JSON-RPC extras, a sender
//! with short poll intervals, and the one `check` helper.
#![allow(dead_code, unreachable_pub)]

pub mod counting;
pub mod lagging;

use std::time::Duration;

use evm_sender::anvil::{self, AnvilConfig};
use evm_sender::{Address, EvmSender, SenderConfig, Signer, U256};
use rpc_resilience::{ResilienceConfig, ResilientClient};
use serde_json::{json, Value};

/// Anvil's first dev key (public test material).
pub const DEV_KEY: &str = anvil::DEV_KEY;
/// Anvil's second dev account: the recipient of the test transfers.
pub const BOB: &str = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
/// Anvil's chain id.
pub const CHAIN_ID: u64 = anvil::CHAIN_ID;
/// Init code of a contract whose every call reverts: runtime `revert(0, 0)`.
pub const REVERTER_INIT: &str = "0x6005600c60003960056000f360006000fd";

#[track_caller]
pub fn check<T: PartialEq + std::fmt::Debug>(got: T, want: T) {
    assert_eq!(got, want);
}

/// A running anvil (killed on drop) and a client to it.
pub struct Anvil {
    _node: anvil::Anvil,
    pub url: String,
    pub client: ResilientClient,
}

impl Anvil {
    /// Starts an automining anvil; see [`Anvil::start_with`].
    pub fn start() -> Anvil {
        Anvil::start_with(AnvilConfig::default())
    }

    /// Starts an anvil without automine (blocks come from `evm_mine`).
    pub fn start_no_mining() -> Anvil {
        Anvil::start_with(AnvilConfig {
            no_mining: true,
            ..AnvilConfig::default()
        })
    }

    /// Starts anvil with `config`; panics naming where it looked when it is missing (a test
    /// that needs anvil carries `#[cfg_attr(anvil_missing, ignore = ...)]`: see the
    /// `test-anvil` crate).
    pub fn start_with(config: AnvilConfig) -> Anvil {
        let node = anvil::Anvil::start(&config).unwrap_or_else(|e| panic!("{e}"));
        let url = node.url().to_string();
        let client = client(&url);
        Anvil {
            _node: node,
            url,
            client,
        }
    }

    /// Calls `method` and returns the raw result.
    pub async fn rpc(&self, method: &str, params: Value) -> Value {
        self.client.call(method, params).await.expect(method)
    }

    pub async fn mine(&self) {
        self.rpc("evm_mine", json!([])).await;
    }

    pub async fn balance(&self, who: &str) -> U256 {
        let hex = self.rpc("eth_getBalance", json!([who, "latest"])).await;
        U256::from_str_radix(hex.as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
    }

    pub async fn nonce(&self, who: Address) -> u64 {
        let hex = self
            .rpc(
                "eth_getTransactionCount",
                json!([who.to_string(), "latest"]),
            )
            .await;
        u64::from_str_radix(hex.as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
    }

    /// The config the tests use: anvil's chain id, polls every 20 ms, 30 s at most.
    pub fn config(&self) -> SenderConfig {
        let mut config = SenderConfig::new(CHAIN_ID);
        config.poll_interval = Duration::from_millis(20);
        config.confirm_timeout = Some(Duration::from_secs(30));
        config
    }

    pub async fn sender(&self, journal: &std::path::Path) -> EvmSender {
        self.sender_with(self.config(), journal).await
    }

    pub async fn sender_with(&self, config: SenderConfig, journal: &std::path::Path) -> EvmSender {
        let signer = Signer::from_hex(DEV_KEY).unwrap();
        EvmSender::open(config, self.client.clone(), signer, journal)
            .await
            .expect("sender opens")
    }

    /// Runs `future` while mining a block every 20 ms (for `--no-mining`).
    pub async fn while_mining<T>(&self, future: impl std::future::Future<Output = T>) -> T {
        tokio::pin!(future);
        loop {
            tokio::select! {
                out = &mut future => return out,
                () = tokio::time::sleep(Duration::from_millis(20)) => self.mine().await,
            }
        }
    }
}

/// A resilient client with short backoffs.
pub fn client(url: &str) -> ResilientClient {
    let config = ResilienceConfig {
        initial_backoff_ms: 10,
        max_backoff_ms: 50,
        ..ResilienceConfig::default()
    };
    ResilientClient::builder()
        .endpoint(url)
        .config(config)
        .build()
        .unwrap()
}

pub fn bob() -> Address {
    BOB.parse().unwrap()
}

pub fn dev_address() -> Address {
    anvil::DEV_ADDRESS
}
