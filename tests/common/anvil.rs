//! A real anvil for the binary's EVM tests: 127.0.0.1, port 0, killed on drop.
//!
//! Found at `ANVIL_BIN`, else under `contracts/node_modules` (`npm ci` in `contracts/`).
//! Missing, a test is skipped with a note, except under `CI=true` where it fails.

// Each test file uses its own part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

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
    /// Starts anvil, or `None` when it is missing outside CI.
    pub(crate) fn start() -> Option<Anvil> {
        Anvil::start_with(&AnvilConfig::default())
    }

    /// Starts anvil with `--no-mining` (blocks only from `evm_mine`), or `None` as above.
    pub(crate) fn start_no_mining() -> Option<Anvil> {
        Anvil::start_with(&AnvilConfig {
            no_mining: true,
            ..AnvilConfig::default()
        })
    }

    fn start_with(config: &AnvilConfig) -> Option<Anvil> {
        let node = anvil::Anvil::spawn(&bin()?, config).unwrap_or_else(|error| panic!("{error}"));
        let url = node.url().to_string();
        Some(Anvil { _node: node, url })
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
        let account = serde_json::json!(anvil::DEV_ADDRESS.to_string());
        let hex = self
            .rpc(
                "eth_getTransactionCount",
                vec![account, serde_json::json!("latest")],
            )
            .await;
        u64::from_str_radix(hex.as_str().expect("hex").trim_start_matches("0x"), 16).expect("hex")
    }
}

/// The anvil binary (`ANVIL_BIN`, else under this repository's `contracts/node_modules`),
/// or `None` after a note when it is missing, except under `CI=true` where that fails.
pub(crate) fn bin() -> Option<PathBuf> {
    match anvil::find(&[Path::new(env!("CARGO_MANIFEST_DIR"))]) {
        Ok(bin) => Some(bin),
        Err(error) => {
            assert!(std::env::var("CI").as_deref() != Ok("true"), "{error}");
            eprintln!("skipped: {error}");
            None
        }
    }
}
