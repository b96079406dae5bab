//! `tokenomics run` as a user runs it: the real binary against a real devnet on loopback,
//! killed with SIGKILL at several points of an epoch and started again.

use std::path::Path;
use std::process::Stdio;

use luxtensor_devnet::{Devnet, DevnetConfig, DevnetHandle};
use tokenomics_core::synthetic_inputs;
use tokenomics_core::{EpochPlan, Params};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

const TREASURY: &str = "0x7472656173757279000000000000000000000000";
const FAST_RPC: &str =
    "[rpc]\ntimeout_ms = 2000\ninitial_backoff_ms = 5\nmax_backoff_ms = 20\nmax_attempts = 2\n";

/// The command line of a run against `devnet` with the files in `dir`.
fn run_command(devnet: &DevnetHandle, dir: &Path, inputs: &str) -> Command {
    let mut command = run_against(&devnet.url(), dir, inputs);
    command.env("TOKENOMICS_RPC_TOKEN", devnet.token());
    command
}

/// The command line of a run against the node at `url` with the files in `dir`.
fn run_against(url: &str, dir: &Path, inputs: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tokenomics"));
    command
        .args(["run", "--rpc-url", url, "--inputs", inputs])
        .arg("--journal")
        .arg(dir.join("journal.sqlite"))
        .arg("--config")
        .arg(dir.join("config.toml"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

fn setup(participants: usize) -> (tempfile::TempDir, String, EpochPlan) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), FAST_RPC).unwrap();
    let inputs = synthetic_inputs(0, participants);
    let path = dir.path().join("epoch-0.json");
    std::fs::write(&path, serde_json::to_string(&inputs).unwrap()).unwrap();
    let plan = EpochPlan::build(&Params::default(), &inputs).unwrap();
    (dir, path.to_string_lossy().into_owned(), plan)
}

/// Starts a run and kills it (SIGKILL) when its progress on stderr shows `marker` for
/// the `nth` time; returns whether it was killed (it may finish first).
async fn kill_at(
    devnet: &DevnetHandle,
    dir: &Path,
    inputs: &str,
    marker: &str,
    nth: usize,
) -> bool {
    let mut child = run_command(devnet, dir, inputs).spawn().unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = 0;
    while let Some(line) = lines.next_line().await.unwrap() {
        if line.contains(marker) {
            seen += 1;
            if seen == nth {
                child.start_kill().unwrap();
                child.wait().await.unwrap();
                return true;
            }
        }
    }
    child.wait().await.unwrap();
    false
}

/// Every recipient holds exactly its planned amount and sum(balances) == minted supply.
#[track_caller]
fn check_paid_exactly(devnet: &DevnetHandle, plan: &EpochPlan) {
    let mut expected: std::collections::BTreeMap<String, u128> = Default::default();
    for transfer in &plan.transfers {
        *expected.entry(transfer.to.to_string()).or_default() += transfer.amount.base_units();
    }
    for (address, amount) in &expected {
        assert_eq!(devnet.balance(address).unwrap(), *amount, "{address}");
    }
    assert_eq!(devnet.total_supply(), plan.from_mint.base_units());
    assert_eq!(
        devnet.ledger().sum_of_balances().unwrap(),
        plan.from_mint.base_units()
    );
    assert_eq!(devnet.balance(TREASURY).unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_at_several_points_and_restarted_it_pays_everyone_exactly_once() {
    let devnet = Devnet::start(DevnetConfig::default()).await.unwrap();
    let (dir, inputs, plan) = setup(4000);
    // Each run resumes where the last was killed, so each kill point is one the run
    // still has ahead of it: every kill lands mid-epoch.
    let kills = [
        ("planned", 1),
        ("minted", 1),
        ("transfers confirmed", 1),
        ("transfers confirmed", 1),
    ];
    for (marker, nth) in kills {
        assert!(
            kill_at(&devnet, dir.path(), &inputs, marker, nth).await,
            "the run finished before its kill at {marker:?}"
        );
    }
    assert!(
        devnet.total_supply() == plan.from_mint.base_units()
            && devnet.balance(TREASURY).unwrap() > 0,
        "the kills left the epoch minted and part-paid"
    );
    let out = run_command(&devnet, dir.path(), &inputs)
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    check_paid_exactly(&devnet, &plan);

    // A finished epoch run again sends nothing.
    let block = devnet.ledger().block_number();
    let again = run_command(&devnet, dir.path(), &inputs)
        .output()
        .await
        .unwrap();
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("already done"));
    assert_eq!(devnet.ledger().block_number(), block);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_json_prints_the_reports() {
    let devnet = Devnet::start(DevnetConfig::default()).await.unwrap();
    let (dir, inputs, plan) = setup(50);
    let out = run_command(&devnet, dir.path(), &inputs)
        .arg("--json")
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reports: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reports[0]["epoch"], 0);
    assert_eq!(reports[0]["outcome"], "paid");
    assert_eq!(reports[0]["paid"], plan.total.to_string());
    assert_eq!(reports[0]["plan_hash"], plan.plan_hash.to_string());
    assert!(reports[0]["rpc"]["requests"].as_u64().unwrap() > 0);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains(devnet.token()),
        "the token never appears in logs"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_inputs_exit_with_code_2_and_send_nothing() {
    let devnet = Devnet::start(DevnetConfig::default()).await.unwrap();
    let (dir, _, _) = setup(10);
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"epoch": 1, "utility_score": 1.5, "community_address": "0x00000000000000000000000000000000000000c0", "dao_address": "0x00000000000000000000000000000000000000d0"}"#).unwrap();
    let out = run_command(&devnet, dir.path(), &bad.to_string_lossy())
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("bad.json: utility_score"), "{stderr}");
    assert_eq!(devnet.ledger().block_number(), 0, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conflicting_inputs_for_a_paid_epoch_are_refused() {
    let devnet = Devnet::start(DevnetConfig::default()).await.unwrap();
    let (dir, inputs, plan) = setup(20);
    assert!(run_command(&devnet, dir.path(), &inputs)
        .output()
        .await
        .unwrap()
        .status
        .success());
    let mut other = synthetic_inputs(0, 20);
    other.quality_score = "0.9".parse().unwrap();
    let path = dir.path().join("other.json");
    std::fs::write(&path, serde_json::to_string(&other).unwrap()).unwrap();
    let out = run_command(&devnet, dir.path(), &path.to_string_lossy())
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("epoch 0") && stderr.contains(&plan.plan_hash.to_string()),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_node_exits_with_code_1() {
    let (dir, inputs, _) = setup(10);
    // Bind and drop a listener: nothing listens on that loopback port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let out = run_against(&url, dir.path(), &inputs)
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("connect"), "{stderr}");
}
