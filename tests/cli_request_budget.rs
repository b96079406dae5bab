//! `[rpc] requests_per_minute`: one budget for every client of a run, seen from outside
//! through a counting proxy in front of the node (the binary cannot be given a paused
//! clock): with a budget of N, the run sends N requests, then none while it waits for the
//! minute to pass; and a run with the key set completes.
//!
//! A run that ignored the key, or built a client without the run's budget, would send its
//! next requests at once (and the old binary refuses the key: exit 2).

use crate::anvil;
use crate::evm::{self, Evm};
use crate::node::{Node, BIN, TOKEN};
use crate::proxy::CountingProxy;

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};

/// The budget of the limited runs: far below what a run needs.
const LIMIT: u64 = 5;

/// `[rpc] requests_per_minute = limit` in `dir/c.toml`.
fn config(dir: &Path, limit: u64) -> String {
    let path = dir.join("c.toml");
    std::fs::write(&path, format!("[rpc]\nrequests_per_minute = {limit}\n")).unwrap();
    path.to_string_lossy().into_owned()
}

/// `tokenomics <args>` in `dir` (also its HOME), the node's token and the dev key in the
/// environment.
fn tokenomics(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .current_dir(dir)
        .args(args)
        .env("HOME", dir)
        .env_remove("XDG_DATA_HOME")
        .env("TOKENOMICS_RPC_TOKEN", TOKEN)
        .env("TOKENOMICS_SIGNER_KEY", anvil::DEV_KEY)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

/// The run reaches `LIMIT` requests through `proxy`, then sends none for two more seconds
/// and is still running (waiting for room); it is killed at the end.
async fn check_held_to_the_limit(proxy: &CountingProxy, mut run: Child) {
    for _ in 0..600 {
        if proxy.requests() >= LIMIT {
            break;
        }
        if run.try_wait().unwrap().is_some() {
            let out = run.wait_with_output().await.unwrap();
            panic!(
                "the run ended after {} requests: {}",
                proxy.requests(),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let still_running = run.try_wait().unwrap().is_none();
    assert_eq!((proxy.requests(), still_running), (LIMIT, true));
    run.kill().await.unwrap();
}

#[tokio::test]
async fn a_luxtensor_run_sends_no_more_than_requests_per_minute() {
    let node = Node::start().await;
    let proxy = CountingProxy::start(&node.url).await;
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), LIMIT);
    let args = ["run", "--rpc-url", &proxy.url, "--config", &config];
    let run = tokenomics(dir.path(), &args)
        .args(["--synthetic", "200", "--epochs", "1"])
        .spawn()
        .unwrap();
    check_held_to_the_limit(&proxy, run).await;
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn an_evm_run_sends_no_more_than_requests_per_minute() {
    let evm = Evm::start().await;
    let proxy = CountingProxy::start(&evm.anvil.url).await;
    let config = config(evm.dir.path(), LIMIT);
    let inputs = evm.inputs(&evm::inputs(0, 40).0);
    let (token, payout) = (
        evm.contracts.token.to_string(),
        evm.contracts.payout.to_string(),
    );
    let args = [
        "run",
        "--chain",
        "evm",
        "--rpc-url",
        &proxy.url,
        "--token-address",
        &token,
        "--payout-address",
        &payout,
        "--config",
        &config,
        "--inputs",
        inputs.to_str().unwrap(),
    ];
    let run = tokenomics(evm.dir.path(), &args).spawn().unwrap();
    check_held_to_the_limit(&proxy, run).await;
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_run_on_a_fresh_anvil_with_requests_per_minute_set_completes() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), 10_000);
    let args = ["run", "--chain", "evm", "--config", &config, "--json"];
    let out = tokenomics(dir.path(), &args)
        .args(["--synthetic", "40", "--epochs", "1"])
        .env("ANVIL_BIN", anvil::bin())
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let reports: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reports[0]["outcome"], "paid", "{reports}");
}
