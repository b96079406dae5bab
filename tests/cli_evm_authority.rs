//! `tokenomics run --chain evm` trusts the chain over its journals, on a real anvil: a
//! reorg deeper than the confirmations is found and paid again by a rerun, and a node
//! restarted empty at the same URL (contracts redeployed at the same addresses) is
//! another chain: exit 2, nothing sent. `status --check-chain` shows what such a reorg took
//! (exit 1) while plain `status` still reads the journal.

use crate::anvil;
use crate::common;
use crate::evm;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use anvil::{Anvil, CHAIN_ID, DEV_KEY};
use common::text;
use evm::{deployed, DEPLOY_TXS};
use payout_evm::chunk_count;
use serde_json::{json, Value};
use tokenomics_core::synthetic_inputs;
use tokenomics_core::{EpochPlan, Params};

/// Deploys both contracts with the binary; their addresses (token, payout).
async fn deploy(url: &str, dir: &Path, journal: &str) -> (String, String) {
    let out = evm::deploy(url, &dir.join(journal)).output().await.unwrap();
    let contracts = deployed(&out);
    (contracts.token.to_string(), contracts.payout.to_string())
}

/// `run --chain evm` paying `inputs` on `url` with the journal `dir/journal.sqlite`.
async fn run(url: &str, contracts: &(String, String), dir: &Path, inputs: &Path) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_tokenomics"))
        .args(["run", "--chain", "evm", "--rpc-url", url])
        .args([
            "--token-address",
            &contracts.0,
            "--payout-address",
            &contracts.1,
        ])
        .args(["--chain-id", &CHAIN_ID.to_string(), "--json", "--inputs"])
        .arg(inputs)
        .arg("--journal")
        .arg(dir.join("journal.sqlite"))
        .env("TOKENOMICS_SIGNER_KEY", DEV_KEY)
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .unwrap()
}

/// Writes epoch `epoch` of a synthetic network of `participants` (minted supply 0);
/// the file and the plan.
fn inputs(dir: &Path, epoch: u64, participants: usize) -> (PathBuf, EpochPlan) {
    let inputs = synthetic_inputs(epoch, participants);
    let plan = EpochPlan::build(&Params::default(), &inputs).unwrap();
    let path = dir.join(format!("epoch-{epoch}.json"));
    std::fs::write(&path, serde_json::to_string(&inputs).unwrap()).unwrap();
    (path, plan)
}

/// A JSON-RPC call; `None` on any error (the node may not be up yet).
async fn try_rpc(url: &str, method: &str, params: Value) -> Option<Value> {
    use jsonrpsee::core::client::ClientT;
    let client = jsonrpsee::http_client::HttpClientBuilder::default()
        .build(url)
        .ok()?;
    let params: Vec<Value> = serde_json::from_value(params).ok()?;
    let mut array = jsonrpsee::core::params::ArrayParams::new();
    for param in params {
        array.insert(param).ok()?;
    }
    client.request(method, array).await.ok()
}

/// A quantity answer as an integer.
fn quantity(value: &Value) -> u128 {
    u128::from_str_radix(value.as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
}

/// Every recipient holds exactly its plan amount (fresh addresses before).
async fn check_paid_once(url: &str, token: &str, plan: &EpochPlan) {
    let mut owed: std::collections::BTreeMap<String, u128> = Default::default();
    for transfer in &plan.transfers {
        *owed.entry(transfer.to.to_string()).or_default() += transfer.amount.base_units();
    }
    let mut wrong = Vec::new();
    for (who, amount) in owed {
        let data = format!("0x70a08231{:0>64}", who.trim_start_matches("0x"));
        let call = json!([{"to": token, "data": data}, "latest"]);
        let held = quantity(&try_rpc(url, "eth_call", call).await.unwrap());
        if held != amount {
            wrong.push((who, amount, held));
        }
    }
    let first: Vec<_> = wrong.iter().take(3).collect();
    assert!(
        wrong.is_empty(),
        "{} recipients not paid exactly once, e.g. {first:?}",
        wrong.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_rerun_after_a_reorg_deeper_than_the_confirmations_pays_the_chunks_it_took() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = deploy(&anvil.url, dir.path(), "deploy.sqlite").await;
    let (file, plan) = inputs(dir.path(), 0, 900);
    let chunks = chunk_count(&plan) as u64;
    let out = run(&anvil.url, &contracts, dir.path(), &file).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Automine: one block per transaction; the blocks of every chunk are replaced.
    anvil
        .rpc("anvil_reorg", vec![json!(chunks), json!([])])
        .await;
    assert_eq!(
        anvil.dev_nonce().await,
        DEPLOY_TXS + 1,
        "only the opening left"
    );

    let out = run(&anvil.url, &contracts, dir.path(), &file).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    check_paid_once(&anvil.url, &contracts.0, &plan).await;
    assert_eq!(
        anvil.dev_nonce().await,
        DEPLOY_TXS + 1 + chunks,
        "one tx per chunk"
    );
}

/// `status --journal dir/journal.sqlite --json [extra]` on `url`'s contracts, without a
/// key (status --check-chain needs none).
async fn status(dir: &Path, extra: &[&str]) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_tokenomics"))
        .args(["status", "--json", "--journal"])
        .arg(dir.join("journal.sqlite"))
        .args(extra)
        .env_remove("TOKENOMICS_SIGNER_KEY")
        .output()
        .await
        .unwrap()
}

/// The `--check-chain --chain evm` flags for `url` and `contracts`.
fn check_chain<'a>(url: &'a str, contracts: &'a (String, String)) -> Vec<&'a str> {
    let (token, payout) = (&contracts.0, &contracts.1);
    vec![
        "--check-chain",
        "--chain",
        "evm",
        "--rpc-url",
        url,
        "--token-address",
        token,
        "--payout-address",
        payout,
    ]
}

/// The one epoch of a status JSON list.
fn only_epoch(out: &Output) -> Value {
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed.as_array().unwrap().len(), 1, "{printed}");
    printed[0].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn status_check_chain_shows_the_chunks_a_deep_reorg_took_and_exits_1() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = deploy(&anvil.url, dir.path(), "deploy.sqlite").await;
    let (file, plan) = inputs(dir.path(), 0, 900);
    let (chunks, transfers) = (chunk_count(&plan) as u64, plan.transfers.len());
    let out = run(&anvil.url, &contracts, dir.path(), &file).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let flags = check_chain(&anvil.url, &contracts);
    let agreed = status(dir.path(), &flags).await;
    assert_eq!(agreed.status.code(), Some(0), "{}", text(&agreed.stderr));
    let chain = &only_epoch(&agreed)["chain"];
    assert_eq!(chain["paid"], transfers, "{chain}");
    assert_eq!(chain["agrees"], true, "{chain}");

    anvil
        .rpc("anvil_reorg", vec![json!(chunks), json!([])])
        .await;
    let plain = status(dir.path(), &[]).await;
    assert_eq!(plain.status.code(), Some(0), "{}", text(&plain.stderr));
    let journal = only_epoch(&plain);
    assert_eq!(journal["stage"], "done", "{journal}");
    assert_eq!(journal["confirmed"], transfers, "{journal}");
    let nonce = anvil.dev_nonce().await;
    let out = status(dir.path(), &flags).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("for epoch 0"), "{stderr}");
    let epoch = only_epoch(&out);
    assert_eq!(epoch["stage"], "done", "the journal's figures: {epoch}");
    let chain = &epoch["chain"];
    assert_eq!(
        (
            &chain["opened"],
            &chain["paid"],
            &chain["missing"],
            &chain["agrees"]
        ),
        (&json!(true), &json!(0), &json!(transfers), &json!(false)),
        "{chain}"
    );
    let problem = chain["problem"].as_str().unwrap();
    assert!(
        problem.contains(&format!("{transfers} confirmed transfers are not paid")),
        "{problem}"
    );
    assert_eq!(anvil.dev_nonce().await, nonce, "nothing sent");
}

/// An anvil on a given port (as a node restarted at the same URL); killed on drop.
struct OnPort(std::process::Child);

impl OnPort {
    async fn start(port: u16) -> OnPort {
        let child = std::process::Command::new(anvil::bin())
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            // Anvil's block 0 depends on its start time in seconds: make sure it differs.
            .args(["--timestamp", "1000000000"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let node = OnPort(child);
        let url = format!("http://127.0.0.1:{port}");
        for _ in 0..500 {
            if try_rpc(&url, "eth_chainId", json!([])).await.is_some() {
                return node;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("anvil on port {port} did not start");
    }
}

impl Drop for OnPort {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_node_restarted_empty_at_the_same_url_is_another_chain_exit_2_nothing_sent() {
    let anvil = Anvil::start();
    let url = anvil.url.clone();
    let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let contracts = deploy(&url, dir.path(), "deploy.sqlite").await;
    let (file, _) = inputs(dir.path(), 0, 300);
    let out = run(&url, &contracts, dir.path(), &file).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    drop(anvil);

    let _restarted = OnPort::start(port).await;
    let again = deploy(&url, dir.path(), "deploy-again.sqlite").await;
    assert_eq!(again, contracts, "same key, same nonces: same addresses");
    let out = run(&url, &contracts, dir.path(), &file).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("journal.nonces.sqlite"), "{stderr}");
    let nonce = try_rpc(
        &url,
        "eth_getTransactionCount",
        json!([anvil_dev(), "latest"]),
    )
    .await
    .unwrap();
    assert_eq!(quantity(&nonce), u128::from(DEPLOY_TXS), "nothing sent");
}

/// Anvil's first dev account.
fn anvil_dev() -> String {
    evm_sender::anvil::DEV_ADDRESS.to_string()
}
