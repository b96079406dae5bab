//! What the exactly-once CLI tests share: a `tokenomics devnet` process on loopback,
//! JSON-RPC reads over HTTP, `tokenomics run` command lines and how a run ended.
// Declared only by the test files that use it, each of which uses its own part.
#![allow(dead_code)]

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use jsonrpsee::core::client::ClientT;
use jsonrpsee::core::params::BatchRequestBuilder;
use jsonrpsee::http_client::{HeaderMap, HeaderValue, HttpClient, HttpClientBuilder};
use jsonrpsee::rpc_params;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_tokenomics");
pub(crate) const TOKEN: &str = "exactly-once-token";
/// The default treasury ("treasury" in ASCII, zero padded).
pub(crate) const TREASURY: &str = "0x7472656173757279000000000000000000000000";
/// Balances read per JSON-RPC batch (the devnet allows 1000).
const BATCH: usize = 500;

/// A `tokenomics devnet` process over a ledger file of its own.
pub(crate) struct Node {
    pub(crate) url: String,
    client: HttpClient,
    _child: Child,
    _stdout: Lines<BufReader<ChildStdout>>,
    _dir: tempfile::TempDir,
}

fn quantity(value: &Value) -> u128 {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("not a quantity: {value}"));
    u128::from_str_radix(text.trim_start_matches("0x"), 16).expect("hex quantity")
}

impl Node {
    /// Starts `tokenomics devnet --addr 127.0.0.1:0 --db <file> --token <t>` and reads
    /// the URL it prints.
    pub(crate) async fn start() -> Node {
        Node::start_with(&[]).await
    }

    /// [`Node::start`] with more `tokenomics devnet` flags (faults, latency).
    pub(crate) async fn start_with(flags: &[&str]) -> Node {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(BIN)
            .args(["devnet", "--addr", "127.0.0.1:0", "--token", TOKEN, "--db"])
            .arg(dir.path().join("ledger.sqlite"))
            .args(flags)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = stdout.next_line().await.unwrap().expect("a first line");
        let url = first
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_owned();
        let mut headers = HeaderMap::new();
        let bearer = HeaderValue::from_str(&format!("Bearer {TOKEN}")).unwrap();
        headers.insert("authorization", bearer);
        let client = HttpClientBuilder::default()
            .set_headers(headers)
            .build(&url)
            .unwrap();
        Node {
            url,
            client,
            _child: child,
            _stdout: stdout,
            _dir: dir,
        }
    }

    /// The client, for calls the helpers below do not make.
    pub(crate) fn client(&self) -> &HttpClient {
        &self.client
    }

    /// `eth_blockNumber`: every applied write is one block.
    pub(crate) async fn block_number(&self) -> u128 {
        quantity(
            &self
                .client
                .request("eth_blockNumber", rpc_params![])
                .await
                .unwrap(),
        )
    }

    /// `luxtensor_totalSupply`.
    pub(crate) async fn supply(&self) -> u128 {
        let answer = self.client.request("luxtensor_totalSupply", rpc_params![]);
        quantity(&answer.await.unwrap())
    }

    /// `eth_getBalance` of each address, in batches.
    pub(crate) async fn balances(&self, addresses: &[String]) -> Vec<u128> {
        let mut balances = Vec::with_capacity(addresses.len());
        for chunk in addresses.chunks(BATCH) {
            let mut batch = BatchRequestBuilder::new();
            for address in chunk {
                batch
                    .insert("eth_getBalance", rpc_params![address, "latest"])
                    .unwrap();
            }
            let answers = self.client.batch_request::<Value>(batch).await.unwrap();
            let answers = answers
                .into_ok()
                .unwrap_or_else(|_| panic!("a balance failed"));
            balances.extend(answers.map(|answer| quantity(&answer)));
        }
        balances
    }

    /// The minted supply the epoch's plan used, from the memo of `mint:<epoch>`; `None`
    /// while the epoch has not been opened on chain.
    pub(crate) async fn minted_supply(&self, epoch: u64) -> Option<u128> {
        let key = format!("mint:{epoch}");
        let record: Value = self
            .client
            .request("luxtensor_getTransfer", rpc_params![key])
            .await
            .unwrap();
        let memo = record.get("memo")?.as_str().expect("a memo");
        let supply = memo
            .split(';')
            .find_map(|part| part.strip_prefix("minted_supply="))
            .unwrap_or_else(|| panic!("no minted supply in {memo:?}"));
        Some(supply.parse().unwrap())
    }
}

/// `tokenomics run --rpc-url <node> <args>` from the folder `cwd`, with the token, HOME
/// set to `cwd` and no XDG_DATA_HOME (so a default journal never lands in a real home).
pub(crate) fn run(node: &Node, cwd: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .current_dir(cwd)
        .args(["run", "--rpc-url", &node.url])
        .args(args)
        .env("TOKENOMICS_RPC_TOKEN", TOKEN)
        .env("HOME", cwd)
        .env_remove("XDG_DATA_HOME")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

/// How a process ended and what it printed.
#[derive(Debug)]
pub(crate) struct Finished {
    pub(crate) code: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Runs `command` to its end (at most two minutes).
pub(crate) async fn finish(mut command: Command) -> Finished {
    let output = tokio::time::timeout(Duration::from_secs(120), command.output())
        .await
        .expect("the run ends within two minutes")
        .unwrap();
    Finished {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Exits with `code`, `stdout` and `stderr` within what it printed, and no panic.
#[track_caller]
pub(crate) fn check_exit(run: &Finished, code: i32, stdout: &str, stderr: &str) {
    assert_eq!(run.code, Some(code), "stderr: {}", run.stderr);
    assert!(
        run.stdout.contains(stdout),
        "{stdout:?} not in: {}",
        run.stdout
    );
    assert!(
        run.stderr.contains(stderr),
        "{stderr:?} not in: {}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}
