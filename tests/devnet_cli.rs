//! `tokenomics devnet` as a process: it prints its URL, refuses non-loopback
//! addresses, and its file ledger survives SIGKILL in the middle of a stream of
//! writes (every acknowledged write is there, and the books balance).

use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};

use jsonrpsee::core::client::ClientT;
use jsonrpsee::http_client::{HeaderMap, HeaderValue, HttpClient, HttpClientBuilder};
use jsonrpsee::rpc_params;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const TOKEN: &str = "crash-test-token";
const HOLDERS: usize = 20;

fn addr(n: usize) -> String {
    format!("0x{n:040x}")
}

fn quantity(value: &Value) -> u128 {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("not a quantity: {value}"));
    u128::from_str_radix(text.trim_start_matches("0x"), 16).expect("hex")
}

/// Starts `tokenomics devnet` on a free loopback port; returns it and its URL.
async fn start_devnet(db: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tokenomics"))
        .args(["devnet", "--addr", "127.0.0.1:0", "--token", TOKEN, "--db"])
        .arg(db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn tokenomics devnet");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let first = lines
        .next_line()
        .await
        .expect("read stdout")
        .expect("a line");
    let url = first
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
        .to_owned();
    (child, url)
}

fn client(url: &str) -> HttpClient {
    let mut headers = HeaderMap::new();
    headers.insert(
        "authorization",
        HeaderValue::from_static("Bearer crash-test-token"),
    );
    HttpClientBuilder::default()
        .set_headers(headers)
        .build(url)
        .expect("client")
}

/// Checks the reopened ledger: every acknowledged key applied, books balanced.
#[track_caller]
fn check(acknowledged: &[String], found: &[Value], balances: &[u128], supply: u128, total: u128) {
    for (key, found) in acknowledged.iter().zip(found) {
        assert_eq!(found["status"], "applied", "acknowledged write {key} lost");
    }
    assert_eq!(total, supply, "total supply changed");
    assert_eq!(
        balances.iter().sum::<u128>(),
        total,
        "sum of balances != total supply"
    );
}

/// Reads, over HTTP, what [`check`] looks at.
async fn read_back(client: &HttpClient, acknowledged: &[String]) -> (Vec<Value>, Vec<u128>, u128) {
    let mut found = Vec::new();
    for key in acknowledged {
        let record: Value = client
            .request("luxtensor_getTransfer", rpc_params![key])
            .await
            .expect("getTransfer");
        found.push(record);
    }
    let mut balances = Vec::new();
    for n in 0..=HOLDERS {
        let balance: Value = client
            .request("eth_getBalance", rpc_params![addr(n), "latest"])
            .await
            .expect("balance");
        balances.push(quantity(&balance));
    }
    let total: Value = client
        .request("luxtensor_totalSupply", rpc_params![])
        .await
        .expect("supply");
    (found, balances, quantity(&total))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("ledger.sqlite");
    let (mut child, url) = start_devnet(&db).await;
    let supply = 1_000_000u128;
    let _: Value = client(&url)
        .request(
            "luxtensor_mint",
            rpc_params![addr(0), format!("{supply:#x}"), "mint"],
        )
        .await
        .expect("mint");

    // Four writers stream keyed transfers until the node dies under them.
    let acknowledged = Arc::new(Mutex::new(vec!["mint".to_owned()]));
    let mut writers = Vec::new();
    for writer in 0..4usize {
        let client = client(&url);
        let acknowledged = acknowledged.clone();
        writers.push(tokio::spawn(async move {
            for i in 0..100_000usize {
                let key = format!("w{writer}-{i}");
                let to = addr(1 + (i + writer) % HOLDERS);
                let params = rpc_params![addr(0), to, "0x1", &key];
                let answer: Result<Value, _> = client.request("luxtensor_transfer", params).await;
                match answer {
                    Ok(_) => acknowledged.lock().expect("lock").push(key),
                    Err(_) => return,
                }
            }
        }));
    }
    while acknowledged.lock().expect("lock").len() < 300 {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    child.start_kill().expect("SIGKILL");
    child.wait().await.expect("reaped");
    for writer in writers {
        writer.await.expect("writer ends");
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();

    let (_child, url) = start_devnet(&db).await;
    let (found, balances, total) = read_back(&client(&url), &acknowledged).await;
    check(&acknowledged, &found, &balances, supply, total);
}

#[tokio::test]
async fn a_non_loopback_address_is_refused_with_exit_code_2() {
    let output = Command::new(env!("CARGO_BIN_EXE_tokenomics"))
        .args(["devnet", "--addr", "0.0.0.0:0", "--token", TOKEN])
        .output()
        .await
        .expect("run tokenomics devnet");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("loopback"));
}

#[tokio::test]
async fn a_bad_max_supply_is_refused_with_exit_code_2() {
    let output = Command::new(env!("CARGO_BIN_EXE_tokenomics"))
        .args(["devnet", "--addr", "127.0.0.1:0", "--max-supply", "1.5.0"])
        .output()
        .await
        .expect("run tokenomics devnet");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--max-supply"));
}

#[tokio::test]
async fn without_a_token_one_is_generated_and_printed() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tokenomics"))
        .args(["devnet", "--addr", "127.0.0.1:0"])
        .env_remove("LUXTENSOR_DEVNET_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let url = lines.next_line().await.expect("read").expect("line");
    let token = lines.next_line().await.expect("read").expect("line");
    assert!(url.starts_with("listening on http://127.0.0.1:"), "{url}");
    let token = token.strip_prefix("token: ").expect("token line");
    assert_eq!(token.len(), 64);
}
