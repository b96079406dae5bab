//! `tokenomics run --dry-run`, end to end against a real `tokenomics devnet`: it
//! prints the mint and total `plan` computes (the second epoch planned on the supply
//! the first would mint, as a run plans it), sends nothing, writes no journal, and
//! refuses what a run would refuse, with the same exit code.

use crate::node;
use crate::paid;

use node::{finish, run, Finished, Node};
use paid::{delete_journal, inputs, planned, write_json};
use serde_json::Value;
use tokenomics_core::Amount;

fn mdt(units: u128) -> String {
    Amount::from_base_units(units).to_string()
}

/// A dry run's JSON reports (the run must succeed).
#[track_caller]
fn reports(run: &Finished) -> Vec<Value> {
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("dry run: nothing was sent"),
        "{}",
        run.stderr
    );
    serde_json::from_str::<Value>(&run.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// A dry run report: what it would mint, its total, and where it stands.
#[track_caller]
fn check(report: &Value, mint: &str, total: &str, on_chain: &str, to_send: u64) {
    assert_eq!(report["from_mint"], mint, "{report}");
    assert_eq!(report["total"], total, "{report}");
    assert_eq!(report["on_chain"], on_chain, "{report}");
    assert_eq!(report["to_send"], to_send, "{report}");
    assert_eq!(report["would_mint"], on_chain == "not_open", "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_prints_the_plans_figures_sends_nothing_and_writes_no_journal() {
    let node = Node::start().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("inputs")).unwrap();
    let epochs = [inputs(1000), inputs(1001)];
    for epoch in &epochs {
        write_json(
            &dir.path().join("inputs"),
            &format!("{}.json", epoch["epoch"]),
            epoch,
        );
    }
    let first = planned(&epochs[0], 0);
    let second = planned(&epochs[1], first.from_mint);
    let args = [
        "--inputs",
        "inputs",
        "--journal",
        "journal.sqlite",
        "--dry-run",
    ];
    let dry = reports(&finish(run(&node, dir.path(), &[&args[..], &["--json"]].concat())).await);
    let table = finish(run(&node, dir.path(), &args)).await;
    assert_eq!(node.block_number().await, 0, "nothing was sent");
    for name in ["journal.sqlite", "journal.sqlite.lock"] {
        assert!(!dir.path().join(name).exists(), "{name} was created");
    }
    for (report, plan) in dry.iter().zip([&first, &second]) {
        let total = mdt(plan.paid.values().sum());
        check(
            report,
            &mdt(plan.from_mint),
            &total,
            "not_open",
            plan.transfers as u64,
        );
        assert!(
            table.stdout.contains(&mdt(plan.from_mint)),
            "{}",
            table.stdout
        );
    }

    // The run then pays what the dry run printed: epoch 1001 on the supply after 1000.
    let paid = finish(run(&node, dir.path(), &args[..4])).await;
    assert_eq!(paid.code, Some(0), "{}", paid.stderr);
    assert_eq!(node.minted_supply(1001).await, Some(first.from_mint));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paid_epoch_is_reported_paid_with_or_without_its_journal() {
    let node = Node::start().await;
    let dir = tempfile::tempdir().unwrap();
    write_json(dir.path(), "inputs.json", &inputs(1000));
    let args = ["--inputs", "inputs.json", "--journal", "journal.sqlite"];
    let paid = finish(run(&node, dir.path(), &args)).await;
    assert_eq!(paid.code, Some(0), "{}", paid.stderr);
    let block = node.block_number().await;
    let plan = planned(&inputs(1000), 0);
    let dry_args = [&args[..], &["--dry-run", "--json"]].concat();
    for journal in ["kept", "deleted"] {
        if journal == "deleted" {
            delete_journal(&dir.path().join("journal.sqlite"));
        }
        let dry = reports(&finish(run(&node, dir.path(), &dry_args)).await);
        let total = mdt(plan.paid.values().sum());
        check(&dry[0], &mdt(plan.from_mint), &total, "paid", 0);
        assert_eq!(
            node.block_number().await,
            block,
            "{journal}: nothing was sent"
        );
    }
    assert!(!dir.path().join("journal.sqlite").exists(), "not recreated");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_treasury_short_of_the_recycled_pool_exits_2_as_a_run_does() {
    let node = Node::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut pool = inputs(1000);
    pool["recycling_pool"] = "100".into();
    write_json(dir.path(), "pool.json", &pool);
    let args = ["--inputs", "pool.json", "--journal", "journal.sqlite"];
    let message =
        "treasury 0x7472656173757279000000000000000000000000 holds 0 MDT but needs 100 MDT";
    for extra in [&["--dry-run"][..], &[]] {
        let refused = finish(run(&node, dir.path(), &[&args[..], extra].concat())).await;
        assert_eq!(refused.code, Some(2), "{extra:?}: {}", refused.stderr);
        assert!(
            refused.stderr.contains(message),
            "{extra:?}: {}",
            refused.stderr
        );
        assert_eq!(node.block_number().await, 0, "{extra:?}: nothing was sent");
    }
}
