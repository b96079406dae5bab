//! A real anvil for the binary's EVM tests: 127.0.0.1, port 0, killed on drop.
//!
//! Found by `evm_sender::anvil::find`; a missing anvil panics with the message naming where
//! it looked. Tests that need anvil carry `#[cfg_attr(anvil_missing, ignore = "...")]`, so
//! they are reported as skipped when the build found none (see the `test-anvil` crate),
//! and fail under `CI=true`.

// Each test file uses its own part of this module.
#![allow(dead_code)]

use std::path::PathBuf;

use evm_sender::anvil::{self, AnvilConfig};

/// Anvil's first dev key (public test material).
pub(crate) const DEV_KEY: &str = anvil::DEV_KEY;
/// Anvil's chain id.
pub(crate) const CHAIN_ID: u64 = anvil::CHAIN_ID;

/// A running anvil (killed on drop) and its URL.
pub(crate) struct Anvil {
    _node: anvil::Anvil,
    pub(crate) url: String,
}

impl Anvil {
    /// Starts anvil (panics when it is missing).
    pub(crate) fn start() -> Anvil {
        Anvil::start_with(&AnvilConfig::default())
    }

    /// Starts anvil with `--no-mining` (blocks only from `evm_mine`).
    pub(crate) fn start_no_mining() -> Anvil {
        Anvil::start_with(&AnvilConfig {
            no_mining: true,
            ..AnvilConfig::default()
        })
    }

    fn start_with(config: &AnvilConfig) -> Anvil {
        let node = anvil::Anvil::start(config).unwrap_or_else(|error| panic!("{error}"));
        let url = node.url().to_string();
        Anvil { _node: node, url }
    }

    /// Calls `method` with positional `params` and returns its result.
    pub(crate) async fn rpc(
        &self,
        method: &str,
        params: Vec<serde_json::Value>,
    ) -> serde_json::Value {
        use jsonrpsee::core::client::ClientT;
        let client = jsonrpsee::http_client::HttpClientBuilder::default()
            .build(&self.url)
            .expect("client");
        let mut array = jsonrpsee::core::params::ArrayParams::new();
        for param in params {
            array.insert(param).expect("param");
        }
        client.request(method, array).await.expect(method)
    }

    /// The `latest` nonce of anvil's first dev account.
    pub(crate) async fn dev_nonce(&self) -> u64 {
        self.dev_nonce_at("latest").await
    }

    /// The nonce of anvil's first dev account at block `tag` (`latest`, `pending`).
    pub(crate) async fn dev_nonce_at(&self, tag: &str) -> u64 {
        let account = serde_json::json!(anvil::DEV_ADDRESS.to_string());
        let hex = self
            .rpc(
                "eth_getTransactionCount",
                vec![account, serde_json::json!(tag)],
            )
            .await;
        u64::from_str_radix(hex.as_str().expect("hex").trim_start_matches("0x"), 16).expect("hex")
    }

    /// A transaction signed with the dev key outside the tool (anvil signs for its dev
    /// account): a zero transfer to itself.
    pub(crate) async fn foreign_transaction(&self) {
        let dev = anvil::DEV_ADDRESS.to_string();
        let foreign = serde_json::json!({"from": dev, "to": dev, "value": "0x0"});
        self.rpc("eth_sendTransaction", vec![foreign]).await;
    }

    /// Mines one block (`evm_mine`).
    pub(crate) async fn mine(&self) {
        self.rpc("evm_mine", vec![]).await;
    }

    /// Turns automine on or off (`evm_setAutomine`).
    pub(crate) async fn automine(&self, on: bool) {
        self.rpc("evm_setAutomine", vec![serde_json::json!(on)])
            .await;
    }
}

/// The anvil binary (`evm_sender::anvil::find`); panics naming where it looked when it is
/// missing.
pub(crate) fn bin() -> PathBuf {
    anvil::find().unwrap_or_else(|error| panic!("{error}"))
}
