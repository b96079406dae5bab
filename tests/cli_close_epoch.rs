//! The way out of an epoch that can never complete, through the binary against a real
//! anvil: `close-epoch` closing a stranded epoch once, after which `run` moves on and the
//! remainder pays a later epoch; `close-epoch` refusing a payable epoch, sending nothing,
//! and refused on the Luxtensor protocol.

use crate::common;
use crate::evm;

use std::sync::atomic::AtomicBool;

use common::{check_error as check, text};
use evm::{Evm, NONCES};
use payout_evm::CHUNK_SIZE;
use payout_executor::{Journal, Opening, PaidBy, Stage};
use serde_json::Value;
use tokenomics_core::synthetic_inputs;
use tokenomics_core::{Amount, EpochPlan, Params, ZERO_ADDRESS};

impl Evm {
    /// Journals `plan`, opens it on chain and pays its `chunks` as a run would, returning
    /// what the last chunk gave; the journal and the backend are closed again.
    async fn half_pay(&self, plan: &EpochPlan, chunks: &[u32]) -> bool {
        let backend = self.backend(NONCES).await;
        let mut journal = Journal::open(&self.journal()).unwrap();
        let payout = tokenomics_core::Address::from_bytes(self.contracts.payout.into_array());
        journal.record_plan(plan, Amount::ZERO, payout).unwrap();
        let memo = Opening {
            plan_hash: plan.plan_hash,
            minted_supply: Amount::ZERO,
        };
        backend.open_epoch(plan, &memo, Amount::ZERO).await.unwrap();
        journal.set_stage(plan.epoch, Stage::Minted).unwrap();
        let stop = AtomicBool::new(false);
        let mut confirmed = Vec::new();
        let paid = backend
            .pay_chunks(
                plan,
                chunks,
                &mut |chunk| {
                    let first = chunk.chunk * CHUNK_SIZE as u32;
                    confirmed.extend(
                        (first..first + chunk.transfers as u32).map(|i| (i, PaidBy::AnotherRun)),
                    );
                    Ok(())
                },
                &stop,
            )
            .await
            .is_ok();
        journal.confirm(plan.epoch, &confirmed).unwrap();
        paid
    }

    async fn balance(&self, who: evm_sender::Address) -> Amount {
        self.backend(NONCES).await.balance_of(who).await.unwrap()
    }
}

/// Epoch `epoch`'s synthetic plan of 400 transfers (two chunks), minted supply 0, with
/// transfer 350 (chunk 1) paying the zero address when `strand`: a plan the binary can
/// no longer make, as earlier versions did.
fn plan(epoch: u64, strand: bool) -> EpochPlan {
    let mut plan = EpochPlan::build(&Params::default(), &synthetic_inputs(epoch, 400)).unwrap();
    assert!(plan.transfers.len() > 350 && plan.transfers.len() <= 2 * CHUNK_SIZE);
    if strand {
        plan.transfers[350].to = ZERO_ADDRESS;
        plan.plan_hash = plan.compute_hash();
    }
    plan
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_stranded_epoch_is_closed_once_then_run_moves_on_and_its_remainder_pays_a_later_epoch() {
    let evm = Evm::start().await;
    let stranded = plan(10, true);
    assert!(
        !evm.half_pay(&stranded, &[0, 1]).await,
        "chunk 1 is refused"
    );
    let paid = Amount::checked_sum(
        stranded.transfers[..CHUNK_SIZE].iter().map(|t| t.amount),
        "paid",
    )
    .unwrap();
    let remainder = stranded.total.checked_sub(paid, "remainder").unwrap();
    assert_eq!(evm.balance(evm.contracts.payout).await, remainder);
    let nonce = evm.anvil.dev_nonce().await;

    let out = evm.tokenomics("close-epoch", &["--epoch", "10", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let closed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(closed["unpaid"], remainder.to_string());
    assert_eq!(closed["paid"], paid.to_string());
    assert!(
        closed["reason"]
            .as_str()
            .unwrap()
            .contains("the zero address"),
        "{closed}"
    );
    assert_eq!(
        evm.anvil.dev_nonce().await,
        nonce + 1,
        "closeEpoch sent once"
    );
    let again = evm.tokenomics("close-epoch", &["--epoch", "10", "--json"]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert_eq!(evm.anvil.dev_nonce().await, nonce + 1, "not sent again");
    let status = evm.status();
    let epochs: Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(epochs[0]["stage"], "closed");
    assert!(epochs[0]["closed_reason"]
        .as_str()
        .unwrap()
        .contains("the zero address"));

    // Valid inputs of the closed epoch: reported closed, never paid.
    let file = evm.inputs_file("epoch-10.json", &synthetic_inputs(10, 400), false);
    let out = evm.tokenomics("run", &["--inputs", &file, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let reports: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reports[0]["outcome"], "closed");
    assert_eq!(
        evm.anvil.dev_nonce().await,
        nonce + 1,
        "nothing sent for it"
    );
    // A synthetic run carries on with the next epoch; the remainder is not owed by it.
    let out = evm.tokenomics("run", &["--epochs", "1", "--synthetic", "50", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let reports: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reports[0]["epoch"], 11);
    assert_eq!(reports[0]["outcome"], "paid");
    assert_eq!(evm.balance(evm.contracts.payout).await, remainder);
    // A later epoch whose recycling pool is the remainder pays it out.
    let mut later = synthetic_inputs(12, 50);
    later.recycling_pool = remainder;
    let file = evm.inputs_file("epoch-12.json", &later, true);
    let out = evm.tokenomics("run", &["--inputs", &file, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let reports: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reports[0]["outcome"], "paid");
    assert_eq!(reports[0]["from_pool"], remainder.to_string());
    assert_eq!(evm.balance(evm.contracts.payout).await, Amount::ZERO);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn close_epoch_refuses_a_payable_epoch_sending_nothing() {
    let evm = Evm::start().await;
    let payable = plan(20, false);
    assert!(evm.half_pay(&payable, &[0]).await);
    let nonce = evm.anvil.dev_nonce().await;
    let out = evm.tokenomics("close-epoch", &["--epoch", "20"]);
    check(
        &out,
        2,
        "epoch 20 cannot be closed: every unpaid chunk can still be paid",
    );
    let out = evm.tokenomics("close-epoch", &["--epoch", "21"]);
    check(
        &out,
        2,
        "epoch 21 cannot be closed: the journal has no plan for it",
    );
    assert_eq!(evm.anvil.dev_nonce().await, nonce, "nothing sent");
    // Then paid in full by a run: a fully paid epoch is not closed either.
    let file = evm.inputs_file("epoch-20.json", &synthetic_inputs(20, 400), false);
    let out = evm.tokenomics("run", &["--inputs", &file]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let nonce = evm.anvil.dev_nonce().await;
    let out = evm.tokenomics("close-epoch", &["--epoch", "20"]);
    check(&out, 2, "epoch 20 cannot be closed: it is done");
    assert_eq!(evm.anvil.dev_nonce().await, nonce, "nothing sent");
}

#[test]
fn close_epoch_on_the_luxtensor_protocol_is_refused_saying_why() {
    let out = common::tokenomics(&[
        "close-epoch",
        "--chain",
        "luxtensor",
        "--epoch",
        "1",
        "--rpc-url",
        "http://127.0.0.1:1",
        "--journal",
        "j.sqlite",
    ]);
    check(
        &out,
        2,
        "--chain luxtensor: an epoch there is never stranded",
    );
}
