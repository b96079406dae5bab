//! `tokenomics run --chain evm` resumed against a real anvil: every recipient paid exactly
//! once across SIGKILLs, dropped transactions, a reorg and a fresh journal on a half-paid
//! epoch; a nonce taken by a transaction the journal does not know stops the run.
//!
//! Anvil mines on demand in the kill tests (`evm_setAutomine false`), so each kill lands
//! at a known point: a transaction journaled and in the pool but not mined (sent, no
//! receipt), or dropped from the pool afterwards (as if journaled and never sent).

use crate::anvil;
use crate::common;
use crate::evm;

use std::time::Duration;

use anvil::Anvil;
use common::text;
use evm::{check_success, inputs, while_mining, Evm, DEPLOY_TXS};
use payout_evm::chunk_count;
use serde_json::{json, Value};

impl Evm {
    /// Waits (polling the real anvil) until `count` of the dev account's transactions
    /// sit in the pool, unmined.
    async fn until_pending(&self, count: u64) {
        for _ in 0..3_000 {
            if self.anvil.dev_nonce_at("pending").await
                >= self.anvil.dev_nonce_at("latest").await + count
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("never {count} transactions pending");
    }
}

/// The hash of the dev account's pending transaction with the lowest nonce.
async fn first_pending(anvil: &Anvil) -> Value {
    let pool = anvil.rpc("txpool_content", vec![]).await;
    let by_nonce = pool["pending"]
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap();
    let first = by_nonce
        .as_object()
        .unwrap()
        .iter()
        .min_by_key(|(nonce, _)| nonce.parse::<u64>().unwrap())
        .unwrap();
    first.1["hash"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn sigkills_at_four_points_of_an_epoch_still_pay_everyone_once() {
    let evm = Evm::start().await;
    let (inputs, plan) = inputs(1, 1_400);
    assert!(chunk_count(&plan) >= 5, "chunks to kill between");
    let file = evm.inputs(&inputs);
    evm.anvil.automine(false).await;

    // 1. The opening sent, no receipt: killed.
    let mut run = evm.run(&file, "journal.sqlite", &[]).spawn().unwrap();
    evm.until_pending(1).await;
    run.kill().await.unwrap();
    // 2. The restart sends nothing new for that nonce (the same bytes): killed, and the
    //    transaction dropped from the pool, as if it had been journaled and never sent.
    let mut run = evm.run(&file, "journal.sqlite", &[]).spawn().unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        evm.anvil.dev_nonce_at("pending").await,
        DEPLOY_TXS + 1,
        "no second opening"
    );
    run.kill().await.unwrap();
    evm.anvil.rpc("anvil_dropAllTransactions", vec![]).await;
    // 3. The restart resends the opening; mined; chunks sent, no receipts: killed.
    let mut run = evm.run(&file, "journal.sqlite", &[]).spawn().unwrap();
    evm.until_pending(1).await;
    evm.anvil.mine().await;
    evm.until_pending(1).await;
    run.kill().await.unwrap();
    // 4. The restart confirms them once mined and sends the next: killed, next dropped.
    let mut run = evm.run(&file, "journal.sqlite", &[]).spawn().unwrap();
    evm.anvil.mine().await;
    evm.until_pending(1).await;
    run.kill().await.unwrap();
    let dropped = first_pending(&evm.anvil).await;
    evm.anvil.rpc("anvil_dropTransaction", vec![dropped]).await;

    evm.anvil.automine(true).await;
    let reports = check_success(&evm.finish(&file, "journal.sqlite", &[]).await);
    assert_eq!(reports[0]["outcome"], "paid");
    evm.check_paid_once_one_tx_each(&plan).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_reorg_of_the_blocks_holding_payouts_still_pays_everyone_once() {
    let evm = Evm::start().await;
    let (inputs, plan) = inputs(2, 900);
    let file = evm.inputs(&inputs);
    evm.anvil.automine(false).await;
    let run = evm
        .run(&file, "journal.sqlite", &["--confirmations", "2"])
        .spawn()
        .unwrap();
    evm.until_pending(1).await; // the opening
    evm.anvil.mine().await;
    evm.anvil.mine().await;
    evm.until_pending(1).await; // chunks
    evm.anvil.mine().await; // mined, one block deep: not confirmed yet
    evm.anvil
        .rpc("anvil_reorg", vec![json!(1), json!([])])
        .await;
    // Blocks keep coming (two confirmations need a block after each payout).
    let out = while_mining(&evm.anvil, run.wait_with_output())
        .await
        .unwrap();
    let reports = check_success(&out);
    assert_eq!(reports[0]["outcome"], "paid");
    evm.check_paid_once(&plan).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn an_opening_whose_nonce_a_transaction_the_journal_does_not_know_used_is_sent_again_under_a_new_nonce(
) {
    let evm = Evm::start().await;
    let (inputs, plan) = inputs(3, 300);
    let file = evm.inputs(&inputs);
    evm.anvil.automine(false).await;
    let mut run = evm.run(&file, "journal.sqlite", &[]).spawn().unwrap();
    evm.until_pending(1).await;
    run.kill().await.unwrap();
    evm.anvil.rpc("anvil_dropAllTransactions", vec![]).await;
    evm.anvil.automine(true).await;
    evm.anvil.foreign_transaction().await;
    let nonce = evm.anvil.dev_nonce_at("latest").await;

    // The contract does not show the epoch open past the block that used the opening's
    // nonce: the opening goes again under `open:3:retry1`, then the chunks.
    let out = evm.finish(&file, "journal.sqlite", &[]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    evm.check_paid_once(&plan).await;
    assert_eq!(
        evm.anvil.dev_nonce_at("latest").await,
        nonce + 1 + chunk_count(&plan) as u64,
        "one new opening, one transaction per chunk"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_fresh_journal_on_a_half_paid_epoch_pays_only_the_unpaid_chunks() {
    let evm = Evm::start().await;
    let (inputs, plan) = inputs(6, 1_400);
    let file = evm.inputs(&inputs);
    evm.anvil.automine(false).await;
    let mut run = evm.run(&file, "first.sqlite", &[]).spawn().unwrap();
    evm.until_pending(1).await; // the opening
    evm.anvil.mine().await;
    evm.until_pending(1).await; // the first chunks
    evm.anvil.mine().await;
    evm.until_pending(1).await; // the next ones
    run.kill().await.unwrap();
    evm.anvil.rpc("anvil_dropAllTransactions", vec![]).await;
    let paid_before = evm
        .reader()
        .await
        .paid_chunks(6, chunk_count(&plan))
        .await
        .unwrap()
        .iter()
        .filter(|p| **p)
        .count();
    assert!(
        paid_before > 0 && paid_before < chunk_count(&plan),
        "half paid"
    );

    evm.anvil.automine(true).await;
    let reports = check_success(&evm.finish(&file, "fresh.sqlite", &[]).await);
    assert_eq!(reports[0]["outcome"], "paid");
    assert!(reports[0]["found_on_chain"].as_u64().unwrap() > 0);
    evm.check_paid_once_one_tx_each(&plan).await;
}
