//! The chain decides, end to end: the real `tokenomics run` against a real
//! `tokenomics devnet` process pays every epoch once whatever happens to its journal
//! (another folder, another data home, deleted after or mid-epoch, two runs at once).

use crate::node;
use crate::paid;

use std::time::Duration;

use node::{check_exit, finish, run, Node};
use paid::{
    check_paid_once, confirmed_in_journal, delete_journal, inputs, ledger, planned, plans_on_chain,
    synthetic, write_json,
};
use serde_json::Value;

/// Which journal each of two folders uses.
#[derive(Debug, Clone, Copy)]
enum Journals {
    /// `--journal journal.sqlite`, relative to the folder.
    OwnFile,
    /// The default journal, with XDG_DATA_HOME inside the folder.
    DefaultInOwnDataHome,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_epoch_run_from_two_folders_is_paid_once() {
    for journals in [Journals::OwnFile, Journals::DefaultInOwnDataHome] {
        let node = Node::start().await;
        let epoch = inputs(1000);
        let mut runs = Vec::new();
        let mut blocks = Vec::new();
        let folders = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
        for folder in &folders {
            let dir = folder.path();
            write_json(dir, "inputs.json", &epoch);
            let (args, journal) = match journals {
                Journals::OwnFile => (
                    vec!["--inputs", "inputs.json", "--journal", "journal.sqlite"],
                    dir.join("journal.sqlite"),
                ),
                Journals::DefaultInOwnDataHome => (
                    vec!["--inputs", "inputs.json"],
                    dir.join("data/tokenomics/journals"),
                ),
            };
            let mut command = run(&node, dir, &args);
            command.env("XDG_DATA_HOME", dir.join("data"));
            let finished = finish(command).await;
            let said = format!("journal: {}", journal.display());
            assert!(
                finished.stderr.contains(&said),
                "{journals:?}: {said:?} not in {}",
                finished.stderr
            );
            runs.push(finished);
            blocks.push(node.block_number().await);
        }
        check_exit(&runs[0], 0, "s  paid\n", "epoch 1000: done");
        check_exit(&runs[1], 0, "already paid on chain", "journal: ");
        assert_eq!(
            blocks[0], blocks[1],
            "{journals:?}: the second run sent nothing"
        );
        assert_eq!(
            node.minted_supply(1000).await,
            Some(0),
            "planned with the supply before"
        );
        check_paid_once(&ledger(&node, &plans_on_chain(&node, &[epoch]).await).await);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_finished_epoch_whose_journal_was_deleted_is_not_sent_again() {
    let node = Node::start().await;
    let dir = tempfile::tempdir().unwrap();
    write_json(dir.path(), "inputs.json", &inputs(1000));
    let args = ["--inputs", "inputs.json", "--journal", "journal.sqlite"];
    check_exit(
        &finish(run(&node, dir.path(), &args)).await,
        0,
        "s  paid\n",
        "",
    );
    let block = node.block_number().await;
    delete_journal(&dir.path().join("journal.sqlite"));
    let again = finish(run(&node, dir.path(), &args)).await;
    check_exit(&again, 0, "already paid on chain", "");
    assert_eq!(node.block_number().await, block, "nothing was sent");
    check_paid_once(&ledger(&node, &plans_on_chain(&node, &[inputs(1000)]).await).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_journal_deleted_after_a_sigkill_mid_epoch_is_not_needed_to_pay_everyone_once() {
    let node = Node::start().await;
    let dir = tempfile::tempdir().unwrap();
    let epoch = synthetic(0, 20_000);
    write_json(dir.path(), "inputs.json", &epoch);
    let journal = dir.path().join("journal.sqlite");
    let args = ["--inputs", "inputs.json", "--journal", "journal.sqlite"];
    let mut child = run(&node, dir.path(), &args).spawn().unwrap();
    // Killed once the journal shows confirmed transfers.
    while confirmed_in_journal(&journal) == 0 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before the kill"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    child.start_kill().unwrap();
    child.wait().await.unwrap();
    let plan = planned(&epoch, node.minted_supply(0).await.expect("minted"));
    // Every applied write is a block: the mint, then each transfer.
    let applied = node.block_number().await - 1;
    let transfers = plan.transfers as u128;
    assert!(
        0 < applied && applied < transfers,
        "killed mid-epoch: {applied} of {transfers}"
    );

    delete_journal(&journal);
    let again = finish(run(&node, dir.path(), &[&args[..], &["--json"]].concat())).await;
    check_exit(&again, 0, "", "");
    let report: Value = serde_json::from_str(&again.stdout).unwrap();
    let found = report[0]["found_on_chain"].as_u64().unwrap() as u128;
    let sent = report[0]["confirmed_now"].as_u64().unwrap() as u128;
    assert_eq!(report[0]["outcome"], "paid");
    assert!(
        found >= applied,
        "found {found} of the {applied} applied before the kill"
    );
    assert_eq!(found + sent, transfers, "each transfer found or sent, once");
    check_paid_once(&ledger(&node, &[plan]).await);
}

/// What two concurrent runs pay: `args` and the epochs' inputs as `plan` reads them.
async fn check_two_runs_at_once(args: &[&str], epochs: &[Value], stagger: Duration) {
    let node = Node::start_with(&["--fault-latency-ms", "5"]).await;
    let shared = tempfile::tempdir().unwrap();
    for inputs in epochs {
        let name = format!("epoch-{}.json", inputs["epoch"]);
        write_json(shared.path(), &name, inputs);
    }
    let inputs = shared.path().to_str().unwrap();
    let args: Vec<&str> = args
        .iter()
        .map(|a| if *a == "{inputs}" { inputs } else { a })
        .collect();
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let journal = ["--journal", "journal.sqlite"];
    let first = run(&node, one.path(), &[&args[..], &journal].concat())
        .spawn()
        .unwrap();
    tokio::time::sleep(stagger).await;
    let second = run(&node, two.path(), &[&args[..], &journal].concat())
        .spawn()
        .unwrap();
    for child in [first, second] {
        let out = child.wait_with_output().await.unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
    let plans = plans_on_chain(&node, epochs).await;
    // Each epoch planned with the supply left by the one before it.
    let mut supply = 0;
    for (inputs, plan) in epochs.iter().zip(&plans) {
        let epoch = inputs["epoch"].as_u64().unwrap();
        assert_eq!(
            node.minted_supply(epoch).await,
            Some(supply),
            "{args:?} epoch {epoch}"
        );
        supply += plan.from_mint;
    }
    check_paid_once(&ledger(&node, &plans).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_runs_at_once_with_separate_journals_both_finish_and_pay_once() {
    // The second run starts a little later each time, so that one of them reads the
    // chain while the other opens the epoch (every request takes 5 ms more).
    for stagger in (0..100).step_by(4).map(Duration::from_millis) {
        let folder: Vec<Value> = vec![inputs(1000)];
        check_two_runs_at_once(&["--inputs", "{inputs}"], &folder, stagger).await;
    }
    let network: Vec<Value> = (0..3).map(|epoch| synthetic(epoch, 200)).collect();
    let args = ["--synthetic", "200", "--epochs", "3"];
    check_two_runs_at_once(&args, &network, Duration::ZERO).await;
}
