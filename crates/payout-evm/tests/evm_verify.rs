//! `EvmPayout::verify_paid` against a real anvil whose payout contract was left in a state
//! a run did not make (another run, a tampered node): no record, another record, missing
//! chunks, a cleared chunk bit, a chunk paid to other recipients, a journal naming a
//! transaction that paid no chunk, a chunk no transaction is found for.

use crate::evm_support;

use std::path::Path;
use std::sync::atomic::AtomicBool;

use alloy_primitives::Bytes;
use alloy_sol_types::{sol, SolCall};
use evm_sender::{EvmSender, TxRequest};

use evm_support::storage::{chunk_word_slot, record_slot, totals_word, word, Field};
use evm_support::{all_chunks, check, open_and_pay, plan_for, signer, Anvil};
use payout_evm::{to_evm, Contracts, EvmPayout};
use payout_executor::{ExecutorError, Verified};
use tokenomics_core::synthetic_inputs;
use tokenomics_core::{Amount, EpochPlan};

sol! {
    function payout(uint64 epoch, uint32 chunk, address[] to, uint256[] amounts) external;
    function epochClosed(uint64 epoch) external view returns (bool);
}

/// Deploys the contracts and connects a backend (nonce journal `j.sqlite` in `dir`).
async fn setup(anvil: &Anvil, dir: &Path) -> (EvmPayout, Contracts) {
    let contracts = anvil.deploy(dir).await;
    (
        anvil.backend(contracts, &dir.join("j.sqlite")).await,
        contracts,
    )
}

/// Another sender of the dev key (its own nonce journal `name` in `dir`) sends `data` to
/// `to` and waits for it.
async fn other_run_sends(
    anvil: &Anvil,
    dir: &Path,
    name: &str,
    to: evm_sender::Address,
    data: Vec<u8>,
) {
    let sender = EvmSender::open(
        anvil.config(),
        anvil.client.clone(),
        signer(),
        dir.join(name),
    )
    .await
    .unwrap();
    sender
        .submit("other", TxRequest::call(to, Bytes::from(data)))
        .await
        .unwrap();
    sender.wait_confirmed("other").await.unwrap();
}

/// The reason of an `Unverified` verification of `plan`'s epoch.
#[track_caller]
fn unverified(result: payout_executor::Result<Verified>, plan: &EpochPlan) -> String {
    match result {
        Err(ExecutorError::Unverified { epoch, reason }) if epoch == plan.epoch => reason,
        other => panic!(
            "expected Unverified for epoch {}, got {other:?}",
            plan.epoch
        ),
    }
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn an_epoch_the_contract_never_opened_is_unverified() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let (backend, _) = setup(&anvil, dir.path()).await;
    let plan = plan_for(&synthetic_inputs(1, 10), Amount::ZERO);
    let reason = unverified(backend.verify_paid(&plan, Amount::ZERO, 4).await, &plan);
    check(reason, "the payout contract has no record".to_string());
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_record_that_minted_other_than_the_plan_is_a_conflict_not_a_verified_epoch() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let (backend, contracts) = setup(&anvil, dir.path()).await;
    let plan = plan_for(&synthetic_inputs(2, 10), Amount::ZERO);
    open_and_pay(&backend, &plan, &all_chunks(&plan))
        .await
        .unwrap();
    check(
        backend.verify_paid(&plan, Amount::ZERO, 4).await.is_ok(),
        true,
    );
    let slot = record_slot(2, Field::FromMint);
    let other = word(plan.from_mint.base_units() + 1);
    anvil.set_storage(contracts.payout, slot, other).await;
    let verified = backend.verify_paid(&plan, Amount::ZERO, 4).await;
    check(
        matches!(verified, Err(ExecutorError::ChainConflict { epoch: 2, .. })),
        true,
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn an_epoch_with_a_chunk_still_unpaid_is_unverified_naming_the_records_totals() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let (backend, _) = setup(&anvil, dir.path()).await;
    let plan = plan_for(&synthetic_inputs(3, 400), Amount::ZERO);
    open_and_pay(&backend, &plan, &[0]).await.unwrap();
    let paid: Amount = plan.transfers[..300]
        .iter()
        .try_fold(Amount::ZERO, |sum, t| sum.checked_add(t.amount, "t"))
        .unwrap();
    let reason = unverified(backend.verify_paid(&plan, Amount::ZERO, 4).await, &plan);
    check(
        reason,
        format!(
            "the payout contract records 1 of 2 chunks paid, {paid} MDT of {} MDT",
            plan.total
        ),
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_chunk_bit_cleared_under_a_complete_record_is_unverified_naming_the_chunk() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let (backend, contracts) = setup(&anvil, dir.path()).await;
    let plan = plan_for(&synthetic_inputs(4, 400), Amount::ZERO);
    open_and_pay(&backend, &plan, &all_chunks(&plan))
        .await
        .unwrap();
    // Chunks 0 and 1 are bits 0 and 1 of word 0: keep chunk 0 only.
    anvil
        .set_storage(contracts.payout, chunk_word_slot(4, 0), word(0b01))
        .await;
    check(backend.paid_chunks(4, 2).await.unwrap(), vec![true, false]);
    let reason = unverified(backend.verify_paid(&plan, Amount::ZERO, 4).await, &plan);
    check(reason, "chunk 1 is not paid".to_string());
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_chunk_paid_with_the_plans_total_to_recipients_in_another_order_is_unverified() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let (backend, contracts) = setup(&anvil, dir.path()).await;
    let plan = plan_for(&synthetic_inputs(5, 10), Amount::ZERO);
    open_and_pay(&backend, &plan, &[]).await.unwrap();
    // Another run pays chunk 0 with the first two recipients swapped: same count, same
    // total, the record cannot tell; the chunk's Transfer logs can.
    let mut to: Vec<_> = plan.transfers.iter().map(|t| to_evm(t.to)).collect();
    assert_ne!(to[0], to[1]);
    to.swap(0, 1);
    let amounts = plan
        .transfers
        .iter()
        .map(|t| alloy_primitives::U256::from(t.amount.base_units()))
        .collect();
    let data = payoutCall {
        epoch: 5,
        chunk: 0,
        to,
        amounts,
    }
    .abi_encode();
    other_run_sends(&anvil, dir.path(), "other.sqlite", contracts.payout, data).await;
    check(backend.paid_chunks(5, 1).await.unwrap(), vec![true]);
    let reason = unverified(backend.verify_paid(&plan, Amount::ZERO, 4).await, &plan);
    assert!(
        reason.starts_with("chunk 0: transaction 0x")
            && reason.contains(&format!(
                "made {n} transfers from the payout contract, the plan {n}; first difference at position 0",
                n = plan.transfers.len()
            )),
        "{reason}"
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_journal_naming_a_transaction_without_the_chunks_event_is_unverified() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let (backend, contracts) = setup(&anvil, dir.path()).await;
    let plan = plan_for(&synthetic_inputs(6, 10), Amount::ZERO);
    open_and_pay(&backend, &plan, &[]).await.unwrap();
    // This journal's `payout:6:0` is a transaction that paid nothing (a view called as a
    // transaction); another run pays the chunk.
    let nothing = TxRequest::call(
        contracts.payout,
        Bytes::from(epochClosedCall { epoch: 6 }.abi_encode()),
    );
    backend
        .sender()
        .submit("payout:6:0", nothing)
        .await
        .unwrap();
    let done = backend.sender().wait_confirmed("payout:6:0").await.unwrap();
    let other = anvil
        .backend(contracts, &dir.path().join("other.sqlite"))
        .await;
    let stop = AtomicBool::new(false);
    other
        .pay_chunks(&plan, &[0], &mut |_| Ok(()), &stop)
        .await
        .unwrap();
    let reason = unverified(backend.verify_paid(&plan, Amount::ZERO, 4).await, &plan);
    check(
        reason,
        format!(
            "chunk 0: transaction {} has no ChunkPaid(6, 0) event",
            done.tx_hash
        ),
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_chunk_no_paying_transaction_is_found_for_is_checked_by_its_bit_and_totals_only() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let (backend, contracts) = setup(&anvil, dir.path()).await;
    let plan = plan_for(&synthetic_inputs(7, 10), Amount::ZERO);
    open_and_pay(&backend, &plan, &[]).await.unwrap();
    // The record and the bit say paid; no journal and no log names a transaction.
    let totals = totals_word(plan.total, 1);
    anvil
        .set_storage(contracts.payout, record_slot(7, Field::Totals), totals)
        .await;
    anvil
        .set_storage(contracts.payout, chunk_word_slot(7, 0), word(1))
        .await;
    let verified = backend.verify_paid(&plan, Amount::ZERO, 4).await.unwrap();
    check(
        verified,
        Verified {
            records: 0,
            balances: 0,
        },
    );
}
