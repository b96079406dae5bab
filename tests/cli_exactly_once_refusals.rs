//! What cannot be paid right is refused before anything is sent, by the real `tokenomics
//! run` against a real `tokenomics devnet` process: a treasury short of the recycled pool,
//! two files of one epoch, an epoch out of range, another plan for a started epoch (exit 2),
//! a journal in use by another run (exit 1, naming its pid).

use crate::node;
use crate::paid;

use node::{check_exit, finish, run, Node};
use paid::{check_paid_once, delete_journal, inputs, ledger, plans_on_chain, write_json};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};

/// Input files of a run: (name, contents).
type Files<'a> = &'a [(&'a str, &'a Value)];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_cannot_be_paid_is_refused_with_exit_2_before_anything_is_sent() {
    let node = Node::start().await;
    let mut pool = inputs(1000);
    pool["recycling_pool"] = "100".into();
    let too_large = inputs(1 << 63);
    let cases: [(Files, &[&str]); 3] = [
        (
            &[("pool.json", &pool)],
            &["treasury 0x7472656173757279000000000000000000000000 holds 0 MDT but needs"],
        ),
        (
            &[("a.json", &inputs(5)), ("b.json", &inputs(5))],
            &["b.json: epoch: 5 is also the epoch of", "a.json"],
        ),
        (
            &[("a.json", &inputs(4)), ("z.json", &too_large)],
            &["z.json: epoch: must be at most 9223372036854775807"],
        ),
    ];
    for (files, messages) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("inputs")).unwrap();
        for (name, inputs) in files {
            write_json(&dir.path().join("inputs"), name, inputs);
        }
        let args = ["--inputs", "inputs", "--journal", "journal.sqlite"];
        let refused = finish(run(&node, dir.path(), &args)).await;
        for message in messages {
            check_exit(&refused, 2, "", message);
        }
        assert_eq!(node.block_number().await, 0, "{files:?}: nothing was sent");
        assert_eq!(node.supply().await, 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_journal_in_use_by_another_run_is_refused_with_exit_1_naming_its_pid() {
    let node = Node::start().await;
    let dir = tempfile::tempdir().unwrap();
    write_json(dir.path(), "inputs.json", &inputs(1000));
    let journal = ["--journal", "journal.sqlite"];
    let long = [&["--synthetic", "20000", "--epochs", "1"][..], &journal].concat();
    let mut holder = run(&node, dir.path(), &long).spawn().unwrap();
    let pid = holder.id().unwrap();
    let mut lines = BufReader::new(holder.stderr.take().unwrap()).lines();
    // "planned" comes after the journal is open, hence locked.
    while let Some(line) = lines.next_line().await.unwrap() {
        if line.contains("planned") {
            break;
        }
    }
    let other = finish(run(
        &node,
        dir.path(),
        &[&["--inputs", "inputs.json"][..], &journal].concat(),
    ))
    .await;
    assert!(
        holder.try_wait().unwrap().is_none(),
        "the first run still holds the journal"
    );
    check_exit(
        &other,
        1,
        "",
        &format!("is in use by another run (pid {pid})"),
    );
    assert!(other.stderr.contains("journal.sqlite"), "{}", other.stderr);
    assert_eq!(
        node.minted_supply(1000).await,
        None,
        "the refused run sent nothing"
    );
    holder.start_kill().unwrap();
    holder.wait().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_plan_for_a_started_epoch_is_refused_with_exit_2_naming_the_epoch() {
    let node = Node::start().await;
    let dir = tempfile::tempdir().unwrap();
    write_json(dir.path(), "inputs.json", &inputs(1000));
    let first = ["--inputs", "inputs.json", "--journal", "journal.sqlite"];
    check_exit(
        &finish(run(&node, dir.path(), &first)).await,
        0,
        "s  paid\n",
        "",
    );
    let block = node.block_number().await;
    let mut quality = inputs(1000);
    quality["quality_score"] = 0.9.into();
    // Same amounts, so the same mint, but another recipient.
    let mut recipient = inputs(1000);
    recipient["miners"][1]["address"] = "0x00000000000000000000000000000000000000a3".into();
    let cases = [
        (
            &quality,
            "fresh.sqlite",
            "epoch 1000 was started on chain with another plan",
        ),
        (
            &recipient,
            "fresh.sqlite",
            "epoch 1000 was started on chain with another plan",
        ),
        (&quality, "journal.sqlite", "epoch 1000"),
    ];
    for (other, journal, message) in cases {
        write_json(dir.path(), "other.json", other);
        delete_journal(&dir.path().join("fresh.sqlite"));
        let args = ["--inputs", "other.json", "--journal", journal];
        check_exit(&finish(run(&node, dir.path(), &args)).await, 2, "", message);
        assert_eq!(
            node.block_number().await,
            block,
            "{journal}: no transfer sent"
        );
    }
    check_paid_once(&ledger(&node, &plans_on_chain(&node, &[inputs(1000)]).await).await);
}
