//! Test helpers: a real anvil on 127.0.0.1 (killed on drop), its JSON-RPC extras, a sender
//! with short poll intervals, and the one `check` helper.
#![allow(dead_code, unreachable_pub)]

pub mod lagging;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use evm_sender::{Address, EvmSender, SenderConfig, Signer, U256};
use rpc_resilience::{ResilienceConfig, ResilientClient};
use serde_json::{json, Value};

/// Anvil's first dev key and its address (well known, test-only).
pub const DEV_KEY: &str = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
/// Anvil's second dev account: the recipient of the test transfers.
pub const BOB: &str = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
/// Anvil's chain id.
pub const CHAIN_ID: u64 = 31337;
/// Init code of a contract whose every call reverts: runtime `revert(0, 0)`.
pub const REVERTER_INIT: &str = "0x6005600c60003960056000f360006000fd";

#[track_caller]
pub fn check<T: PartialEq + std::fmt::Debug>(got: T, want: T) {
    assert_eq!(got, want);
}

/// A running anvil, killed on drop.
pub struct Anvil {
    child: Child,
    pub url: String,
    pub client: ResilientClient,
}

impl Anvil {
    /// Starts anvil with `args`; `None` (after a note) when the binary is missing, unless
    /// `CI=true`, where a missing anvil fails the test.
    pub fn start(args: &[&str]) -> Option<Anvil> {
        let bin = anvil_bin();
        if !bin.is_file() {
            let note = format!(
                "anvil not found at {} (set ANVIL_BIN or run `npm ci` in contracts/)",
                bin.display()
            );
            assert!(std::env::var("CI").as_deref() != Ok("true"), "{note}");
            eprintln!("skipped: {note}");
            return None;
        }
        let mut child = Command::new(&bin)
            .args(["--host", "127.0.0.1", "--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("anvil starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let mut port = None;
        for line in lines.by_ref() {
            let line = line.expect("anvil's stdout");
            if let Some(address) = line.strip_prefix("Listening on ") {
                port = address.trim().rsplit(':').next().map(str::to_owned);
                break;
            }
        }
        // Keep draining its log so anvil never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        let port = port.expect("anvil printed its port");
        let url = format!("http://127.0.0.1:{port}");
        let client = client(&url);
        Some(Anvil { child, url, client })
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

impl Drop for Anvil {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
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
    Signer::from_hex(DEV_KEY).unwrap().address()
}

fn anvil_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("ANVIL_BIN") {
        return PathBuf::from(bin);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil")
}
