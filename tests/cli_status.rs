//! `tokenomics status`, end to end: the real binary reads the journal a real `run`
//! against a real `tokenomics devnet` wrote (finished, killed mid-epoch, resumed),
//! read-only and while the run holds it; a journal it cannot read exits 2. With
//! `--check-chain` it reads the node's records beside the journal: agreement exits 0, a
//! journal claiming what the node does not show exits 1.

use crate::common;
use crate::node;
use crate::paid;

use std::path::Path;
use std::time::Duration;

use node::{finish, run, Node};
use paid::{confirmed_in_journal, synthetic, write_json};
use serde_json::Value;
use tokenomics_core::Amount;

/// `tokenomics status --journal <path> --json`, parsed (the run must succeed).
fn status(journal: &Path) -> Vec<Value> {
    let out = common::tokenomics(&["status", "--json", "--journal", journal.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn units(value: &Value) -> u128 {
    value
        .as_str()
        .unwrap()
        .parse::<Amount>()
        .unwrap()
        .base_units()
}

/// One epoch's status: `stage`, `runs`, and the counts and amounts adding up.
#[track_caller]
fn check(epoch: &Value, stage: &str, runs: u64) {
    assert_eq!(epoch["stage"], stage, "{epoch}");
    assert_eq!(epoch["runs"], runs, "{epoch}");
    let (confirmed, pending) = (
        epoch["confirmed"].as_u64().unwrap(),
        epoch["pending"].as_u64().unwrap(),
    );
    assert_eq!(
        confirmed + pending,
        epoch["transfers"].as_u64().unwrap(),
        "{epoch}"
    );
    assert_eq!(
        units(&epoch["paid"]) + units(&epoch["left"]),
        units(&epoch["total"]),
        "{epoch}"
    );
    assert_eq!(epoch["plan_hash"].as_str().unwrap().len(), 64, "{epoch}");
    let started = epoch["started_at"].as_u64().expect("a start time");
    match stage {
        "done" => {
            assert_eq!(pending, 0, "{epoch}");
            assert!(epoch["finished_at"].as_u64().unwrap() >= started, "{epoch}");
        }
        _ => assert!(epoch["finished_at"].is_null(), "{epoch}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_finished_run_shows_every_epoch_done_with_every_transfer_confirmed() {
    let node = Node::start().await;
    let dir = tempfile::tempdir().unwrap();
    pay_two_epochs(&node, dir.path()).await;
    let journal = dir.path().join("journal.sqlite");
    let epochs = status(&journal);
    assert_eq!(epochs.len(), 2);
    for (number, epoch) in epochs.iter().enumerate() {
        assert_eq!(epoch["epoch"], number as u64);
        check(epoch, "done", 1);
        assert_eq!(epoch["left"], "0");
    }
    let table = common::tokenomics(&["status", "--journal", journal.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert_eq!(
        text.lines().filter(|line| line.contains(" done ")).count(),
        2,
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_killed_mid_epoch_shows_paying_and_its_resume_shows_two_runs() {
    let node = Node::start().await;
    let dir = tempfile::tempdir().unwrap();
    write_json(dir.path(), "inputs.json", &synthetic(0, 20_000));
    let journal = dir.path().join("journal.sqlite");
    let args = ["--inputs", "inputs.json", "--journal", "journal.sqlite"];
    let mut child = run(&node, dir.path(), &args).spawn().unwrap();
    while confirmed_in_journal(&journal) == 0 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before the kill"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    // Read while the run holds the journal: it is not blocked, and neither is the run.
    let live = status(&journal);
    assert!(child.try_wait().unwrap().is_none(), "the run still pays");
    assert!(
        matches!(live[0]["stage"].as_str(), Some("minted" | "paying")),
        "{}",
        live[0]
    );
    child.start_kill().unwrap();
    child.wait().await.unwrap();

    let killed = status(&journal);
    check(&killed[0], "paying", 1);
    let confirmed = killed[0]["confirmed"].as_u64().unwrap();
    assert!(0 < confirmed && confirmed < killed[0]["transfers"].as_u64().unwrap());

    let resumed = finish(run(&node, dir.path(), &args)).await;
    assert_eq!(resumed.code, Some(0), "{}", resumed.stderr);
    let done = status(&journal);
    check(&done[0], "done", 2);
    assert_eq!(
        done[0]["started_at"], killed[0]["started_at"],
        "the first run's start"
    );
}

#[test]
fn a_journal_that_cannot_be_read_exits_2_naming_it_and_nothing_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let newer = dir.path().join("newer.sqlite");
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let garbage = common::write(dir.path(), "garbage.sqlite", &"x".repeat(4096));
    let cases = [
        (
            newer.to_str().unwrap(),
            "newer.sqlite",
            "schema version 99 is newer",
        ),
        (garbage.as_str(), "garbage.sqlite", "journal is corrupt"),
        ("missing.sqlite", "missing.sqlite", "no such file"),
    ];
    for (path, name, message) in cases {
        let path = dir.path().join(path);
        let out = common::tokenomics(&["status", "--journal", path.to_str().unwrap()]);
        common::check_bad_input(&out, name, message);
    }
    assert!(!dir.path().join("missing.sqlite").exists(), "not created");
    assert!(
        !dir.path().join("missing.sqlite.lock").exists(),
        "no lock taken"
    );
}

/// `tokenomics status --check-chain --rpc-url <url> --journal <path> [extra]`.
fn check_chain(url: &str, journal: &Path, extra: &[&str]) -> std::process::Output {
    let journal = journal.to_str().unwrap();
    let args = [
        "status",
        "--check-chain",
        "--rpc-url",
        url,
        "--journal",
        journal,
    ];
    common::tokenomics(&[&args[..], extra].concat())
}

/// Pays two epochs of 50 participants on `node` with the journal `dir/journal.sqlite`.
async fn pay_two_epochs(node: &Node, dir: &Path) {
    let args = [
        "--synthetic",
        "50",
        "--epochs",
        "2",
        "--journal",
        "journal.sqlite",
    ];
    let paid = finish(run(node, dir, &args)).await;
    assert_eq!(paid.code, Some(0), "{}", paid.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_chain_on_the_node_that_paid_agrees_with_the_journal_and_exits_0() {
    let node = Node::start().await;
    let dir = tempfile::tempdir().unwrap();
    pay_two_epochs(&node, dir.path()).await;
    let journal = dir.path().join("journal.sqlite");
    let blocks = node.block_number().await;
    let out = check_chain(&node.url, &journal, &["--json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let epochs: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(epochs.len(), 2);
    for epoch in &epochs {
        let chain = &epoch["chain"];
        assert_eq!(chain["opened"], true, "{epoch}");
        assert_eq!(chain["plan_hash"], epoch["plan_hash"], "{epoch}");
        assert_eq!(chain["paid"], epoch["confirmed"], "{epoch}");
        assert_eq!(chain["paid"], epoch["transfers"], "{epoch}");
        assert_eq!(
            (&chain["missing"], &chain["agrees"]),
            (&0.into(), &true.into())
        );
        assert!(chain["problem"].is_null(), "{epoch}");
    }
    assert_eq!(node.block_number().await, blocks, "nothing written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_chain_on_a_node_that_never_saw_the_epochs_says_so_and_exits_1() {
    let (node, other) = (Node::start().await, Node::start().await);
    let dir = tempfile::tempdir().unwrap();
    pay_two_epochs(&node, dir.path()).await;
    let journal = dir.path().join("journal.sqlite");
    let out = check_chain(&other.url, &journal, &[]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("for epoch 0, 1"), "{stderr}");
    assert_eq!(stdout.matches("DIFFERS").count(), 2, "{stdout}");
    assert!(
        stdout.contains("epoch 0: the journal says done with 52 of 52 transfers confirmed; the epoch is not open on chain; the chain shows 0 paid: 52 confirmed transfers are not paid on chain"),
        "{stdout}"
    );
    assert_eq!(other.block_number().await, 0, "nothing written");
}

#[test]
fn chain_flags_without_check_chain_are_refused_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.sqlite");
    let journal = journal.to_str().unwrap();
    let cases: [&[&str]; 3] = [
        &["--rpc-url", "http://127.0.0.1:1"],
        &["--chain", "evm"],
        &["--confirmations", "2"],
    ];
    for extra in cases {
        let out = common::tokenomics(&[&["status", "--journal", journal][..], extra].concat());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {stderr}");
        let flag = extra[0];
        assert!(
            stderr.contains(&format!("{flag}: only with --check-chain")),
            "{stderr}"
        );
    }
}
