//! `tokenomics run --chain evm` against a real anvil: every recipient paid exactly once
//! across SIGKILLs, dropped transactions, a reorg and fresh journals; one transaction per
//! operation (the signer's nonce counts them); refusals that send nothing.
//!
//! Anvil mines on demand in the kill tests (`evm_setAutomine false`), so each kill lands
//! at a known point: a transaction journaled and in the pool but not mined (sent, no
//! receipt), or dropped from the pool afterwards (as if journaled and never sent).

use crate::anvil;
use crate::common;
use crate::evm;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use anvil::{Anvil, CHAIN_ID, DEV_KEY};
use common::text;
use evm::{while_mining, Evm, DEPLOY_TXS};
use payout_evm::{chunk_count, EvmPayout};
use serde_json::{json, Value};
use tokenomics_core::synthetic_inputs;
use tokenomics_core::{EpochInputs, EpochPlan, Params};

impl Evm {
    /// `run --chain evm` on this anvil and these contracts, journal `journal`, paying
    /// the inputs file `inputs`, the key in the environment.
    fn run(&self, inputs: &Path, journal: &str, extra: &[&str]) -> tokio::process::Command {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_tokenomics"));
        command
            .args(["run", "--chain", "evm", "--rpc-url", &self.anvil.url])
            .args(["--token-address", &self.contracts.token.to_string()])
            .args(["--payout-address", &self.contracts.payout.to_string()])
            .args(["--chain-id", &CHAIN_ID.to_string(), "--json", "--inputs"])
            .arg(inputs)
            .arg("--journal")
            .arg(self.dir.path().join(journal))
            .args(extra)
            .env("TOKENOMICS_SIGNER_KEY", DEV_KEY)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true);
        command
    }

    /// Runs to the end; the output.
    async fn finish(&self, inputs: &Path, journal: &str, extra: &[&str]) -> Output {
        self.run(inputs, journal, extra).output().await.unwrap()
    }

    /// Writes `inputs` to a file in the folder.
    fn inputs(&self, inputs: &EpochInputs) -> PathBuf {
        let path = self.dir.path().join(format!("epoch-{}.json", inputs.epoch));
        std::fs::write(&path, serde_json::to_string(inputs).unwrap()).unwrap();
        path
    }

    /// A backend that only reads (its own, empty sender journal).
    async fn reader(&self) -> EvmPayout {
        self.backend("reader.sqlite").await
    }

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

    /// Every recipient holds exactly its plan amount (fresh addresses before), every
    /// chunk is paid, and the supply is what the plan minted.
    async fn check_paid_once(&self, plan: &EpochPlan) {
        let reader = self.reader().await;
        let mut owed: std::collections::BTreeMap<_, u128> = Default::default();
        for transfer in &plan.transfers {
            *owed.entry(transfer.to).or_default() += transfer.amount.base_units();
        }
        let mut wrong = Vec::new();
        for (who, amount) in owed {
            let address = evm_sender::Address::from(*who.as_bytes());
            let balance = reader.balance_of(address).await.unwrap().base_units();
            if balance != amount {
                wrong.push((who, amount, balance));
            }
        }
        assert_eq!(wrong, Vec::new(), "recipients not paid exactly once");
        let paid = reader
            .paid_chunks(plan.epoch, chunk_count(plan))
            .await
            .unwrap();
        assert!(paid.iter().all(|p| *p), "every chunk paid: {paid:?}");
        assert_eq!(reader.minted_supply().await.unwrap(), plan.from_mint);
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

/// The run succeeded; its JSON reports.
#[track_caller]
fn check_success(out: &Output) -> Vec<Value> {
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Synthetic inputs with `participants` and the minted supply given (0, a fresh token).
fn inputs(epoch: u64, participants: usize) -> (EpochInputs, EpochPlan) {
    let inputs = synthetic_inputs(epoch, participants);
    let plan = EpochPlan::build(&Params::default(), &inputs).unwrap();
    (inputs, plan)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn five_thousand_recipients_are_each_paid_their_plan_once_and_a_rerun_sends_nothing() {
    let evm = Evm::start().await;
    let (inputs, plan) = inputs(0, 5_000);
    assert!(plan.transfers.len() >= 5_000, "{}", plan.transfers.len());
    let file = evm.inputs(&inputs);
    let reports = check_success(&evm.finish(&file, "journal.sqlite", &[]).await);
    assert_eq!(reports[0]["outcome"], "paid");
    evm.check_paid_once(&plan).await;
    let txs = 1 + chunk_count(&plan) as u64;
    assert_eq!(
        evm.anvil.dev_nonce_at("latest").await,
        DEPLOY_TXS + txs,
        "one tx per operation"
    );

    let again = check_success(&evm.finish(&file, "journal.sqlite", &[]).await);
    assert_eq!(again[0]["outcome"], "already_done");
    let fresh = check_success(&evm.finish(&file, "fresh.sqlite", &[]).await);
    assert_eq!(fresh[0]["outcome"], "already_paid_on_chain");
    assert_eq!(
        evm.anvil.dev_nonce_at("latest").await,
        DEPLOY_TXS + txs,
        "re-runs sent nothing"
    );
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
    evm.check_paid_once(&plan).await;
    let txs = 1 + chunk_count(&plan) as u64;
    assert_eq!(
        evm.anvil.dev_nonce_at("latest").await,
        DEPLOY_TXS + txs,
        "one tx per operation"
    );
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
async fn a_nonce_used_by_a_transaction_the_journal_does_not_know_stops_the_run() {
    let evm = Evm::start().await;
    let (inputs, _) = inputs(3, 300);
    let file = evm.inputs(&inputs);
    evm.anvil.automine(false).await;
    let mut run = evm.run(&file, "journal.sqlite", &[]).spawn().unwrap();
    evm.until_pending(1).await;
    run.kill().await.unwrap();
    evm.anvil.rpc("anvil_dropAllTransactions", vec![]).await;
    evm.anvil.automine(true).await;
    evm.anvil.foreign_transaction().await;
    let nonce = evm.anvil.dev_nonce_at("latest").await;

    let out = evm.finish(&file, "journal.sqlite", &[]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("nonce"), "{}", text(&out.stderr));
    assert_eq!(
        evm.anvil.dev_nonce_at("latest").await,
        nonce,
        "nothing re-issued"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_payout_contract_short_of_the_recycled_pool_is_refused_with_exit_2_sending_nothing() {
    let evm = Evm::start().await;
    let (mut inputs, _) = inputs(4, 50);
    inputs.recycling_pool = tokenomics_core::Amount::from_mdt(100).unwrap();
    let file = evm.inputs(&inputs);
    let out = evm.finish(&file, "journal.sqlite", &[]).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("payout contract"), "{stderr}");
    assert_eq!(
        evm.anvil.dev_nonce_at("latest").await,
        DEPLOY_TXS,
        "nothing sent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn on_an_anvil_with_no_mining_an_epoch_is_paid_once_as_evm_mine_makes_blocks() {
    let anvil = Anvil::start_no_mining();
    let evm = Evm::deployed_on(anvil).await;
    let (inputs, plan) = inputs(5, 1_000);
    let file = evm.inputs(&inputs);
    let run = evm.finish(&file, "journal.sqlite", &["--confirmations", "3"]);
    let reports = check_success(&while_mining(&evm.anvil, run).await);
    assert_eq!(reports[0]["outcome"], "paid");
    evm.check_paid_once(&plan).await;
    let txs = 1 + chunk_count(&plan) as u64;
    assert_eq!(
        evm.anvil.dev_nonce_at("latest").await,
        DEPLOY_TXS + txs,
        "one tx per operation"
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
    evm.check_paid_once(&plan).await;
    let txs = 1 + chunk_count(&plan) as u64;
    assert_eq!(
        evm.anvil.dev_nonce_at("latest").await,
        DEPLOY_TXS + txs,
        "one tx per operation"
    );
}
