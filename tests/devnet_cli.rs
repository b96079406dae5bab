//! `tokenomics devnet` as a process: it prints its URL, refuses non-loopback
//! addresses, tokens that can never authenticate, a ledger file another devnet
//! holds and a ledger above `--max-supply`, and its file ledger survives SIGKILL in
//! the middle of a stream of writes (every acknowledged write is there, and the
//! books balance).

use std::path::Path;
use std::process::{Output, Stdio};
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

/// Checks that `tokenomics devnet` refused to start: its exit code, and what stderr says.
#[track_caller]
fn check_refused(output: &Output, code: i32, mentions: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "stderr: {stderr}");
    assert!(
        stderr.contains(mentions),
        "{stderr:?} should mention {mentions:?}"
    );
}

/// Runs `tokenomics devnet` with `args` (and no token from the environment) to its end.
async fn devnet_output(args: &[&str], env_token: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tokenomics"));
    command.arg("devnet").args(args).kill_on_drop(true);
    match env_token {
        Some(token) => command.env("LUXTENSOR_DEVNET_TOKEN", token),
        None => command.env_remove("LUXTENSOR_DEVNET_TOKEN"),
    };
    let run = tokio::time::timeout(std::time::Duration::from_secs(30), command.output());
    run.await
        .expect("a refused devnet exits at once")
        .expect("run tokenomics devnet")
}

#[tokio::test]
async fn a_non_loopback_address_is_refused_with_exit_code_2() {
    let output = devnet_output(&["--addr", "0.0.0.0:0", "--token", TOKEN], None).await;
    check_refused(&output, 2, "loopback");
}

#[tokio::test]
async fn a_bad_max_supply_is_refused_with_exit_code_2() {
    let output = devnet_output(&["--addr", "127.0.0.1:0", "--max-supply", "1.5.0"], None).await;
    check_refused(&output, 2, "--max-supply");
}

#[tokio::test]
async fn a_token_that_can_never_authenticate_is_refused_with_exit_code_2() {
    let cases = [
        (Some(" padded "), None, "must not contain whitespace"),
        (Some(""), None, "must not be empty"),
        (None, Some("two words"), "must not contain whitespace"),
        (None, Some(""), "must not be empty"),
    ];
    for (flag, env, reason) in cases {
        let mut args = vec!["--addr", "127.0.0.1:0"];
        args.extend(flag.map(|token| ["--token", token]).into_iter().flatten());
        let output = devnet_output(&args, env).await;
        check_refused(
            &output,
            2,
            &format!("--token (or LUXTENSOR_DEVNET_TOKEN): {reason}"),
        );
    }
}

#[tokio::test]
async fn a_second_devnet_on_the_same_ledger_exits_1_naming_the_holder_pid() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("devnet.sqlite");
    let (first, url) = start_devnet(&db).await;
    let pid = first.id().expect("the first devnet runs");
    let db_arg = db.to_str().expect("utf-8 temp path");
    let output = devnet_output(
        &["--addr", "127.0.0.1:0", "--token", TOKEN, "--db", db_arg],
        None,
    )
    .await;
    let expected = format!("ledger {db_arg} is in use by another devnet (pid {pid})");
    check_refused(&output, 1, &expected);
    // The first devnet still serves its ledger.
    let supply: Value = client(&url)
        .request("luxtensor_totalSupply", rpc_params![])
        .await
        .expect("the first devnet answers");
    assert_eq!(supply, "0x0");
}

#[tokio::test]
async fn a_ledger_above_the_max_supply_is_refused_with_exit_code_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("devnet.sqlite");
    let mdt = 10u128.pow(18);
    luxtensor_devnet::Ledger::open(&luxtensor_devnet::LedgerPath::File(db.clone()), 3 * mdt, 1)
        .expect("opens")
        .mint(&addr(1), 2 * mdt, None)
        .expect("mint 2 MDT");
    let db_arg = db.to_str().expect("utf-8 temp path");
    let args = ["--addr", "127.0.0.1:0", "--db", db_arg, "--max-supply", "1"];
    let output = devnet_output(&args, Some(TOKEN)).await;
    check_refused(
        &output,
        2,
        "--max-supply: ledger total supply 2 MDT is above the max supply 1 MDT",
    );
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
