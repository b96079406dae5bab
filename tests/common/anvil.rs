//! A real anvil for the binary's EVM tests: 127.0.0.1, port 0, killed on drop.
//!
//! Found at `ANVIL_BIN`, else under `contracts/node_modules` (`npm ci` in `contracts/`).
//! Missing, a test is skipped with a note, except under `CI=true` where it fails.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// Anvil's first dev key (well known, test-only).
pub(crate) const DEV_KEY: &str =
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
/// Anvil's chain id.
pub(crate) const CHAIN_ID: u64 = 31337;

/// A running anvil and its URL.
pub(crate) struct Anvil {
    child: Child,
    pub(crate) url: String,
}

impl Anvil {
    /// Starts anvil, or `None` when it is missing outside CI.
    pub(crate) fn start() -> Option<Anvil> {
        let bin = std::env::var_os("ANVIL_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                    .join("contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil")
            });
        if !bin.is_file() {
            let note = format!("anvil not found at {}", bin.display());
            assert!(std::env::var("CI").as_deref() != Ok("true"), "{note}");
            eprintln!("skipped: {note}");
            return None;
        }
        let mut child = Command::new(&bin)
            .args(["--host", "127.0.0.1", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("anvil starts");
        let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
        let url = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|line| {
                line.strip_prefix("Listening on ")
                    .map(|a| format!("http://{}", a.trim()))
            })
            .expect("anvil printed its address");
        std::thread::spawn(move || lines.for_each(drop));
        Some(Anvil { child, url })
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
        let account = serde_json::json!("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
        let hex = self
            .rpc(
                "eth_getTransactionCount",
                vec![account, serde_json::json!("latest")],
            )
            .await;
        u64::from_str_radix(hex.as_str().expect("hex").trim_start_matches("0x"), 16).expect("hex")
    }
}

impl Drop for Anvil {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
