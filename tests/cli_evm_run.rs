//! `tokenomics run --chain evm` against a real anvil: every recipient paid exactly once
//! (5,000 of them; on an anvil that mines only on `evm_mine`), one transaction per
//! operation (the signer's nonce counts them), a re-run with the same or a fresh journal
//! sends nothing; a payout contract short of the recycled pool is refused sending nothing.

use crate::anvil;
use crate::common;
use crate::evm;

use anvil::Anvil;
use common::text;
use evm::{check_success, inputs, while_mining, Evm, DEPLOY_TXS};
use payout_evm::chunk_count;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn five_thousand_recipients_are_each_paid_their_plan_once_and_a_rerun_sends_nothing() {
    let evm = Evm::start().await;
    let (inputs, plan) = inputs(0, 5_000);
    assert!(plan.transfers.len() >= 5_000, "{}", plan.transfers.len());
    let file = evm.inputs(&inputs);
    let reports = check_success(&evm.finish(&file, "journal.sqlite", &[]).await);
    assert_eq!(reports[0]["outcome"], "paid");
    evm.check_paid_once_one_tx_each(&plan).await;

    let again = check_success(&evm.finish(&file, "journal.sqlite", &[]).await);
    assert_eq!(again[0]["outcome"], "already_done");
    let fresh = check_success(&evm.finish(&file, "fresh.sqlite", &[]).await);
    assert_eq!(fresh[0]["outcome"], "already_paid_on_chain");
    assert_eq!(
        evm.anvil.dev_nonce_at("latest").await,
        DEPLOY_TXS + 1 + chunk_count(&plan) as u64,
        "re-runs sent nothing"
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
    evm.check_paid_once_one_tx_each(&plan).await;
}
