//! Opening an epoch (`openEpoch`, `open:<epoch>`) against a real anvil when it does not go
//! as planned: refused before sending, reverted when mined, another plan opened meanwhile,
//! the opening taken by a reorg.

use crate::evm_support;

use alloy_primitives::Address;
use serde_json::json;

use evm_support::{check, dev_address, opening, plan_for, Anvil};
use payout_evm::{EvmError, EvmPayout};
use payout_executor::ExecutorError;
use tokenomics_core::synthetic_inputs;
use tokenomics_core::{Amount, EpochPlan};

/// Anvil's second dev account, a stranger to the payouts.
const STRANGER: &str = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

fn stranger() -> Address {
    STRANGER.parse().unwrap()
}

/// Opens `plan` through `backend`.
async fn open(backend: &EvmPayout, plan: &EpochPlan) -> payout_executor::Result<bool> {
    backend
        .open_epoch(plan, &opening(plan, Amount::ZERO), Amount::ZERO)
        .await
}

/// The `Reverted` error of an opening: its transaction and its reason.
#[track_caller]
fn reverted(result: payout_executor::Result<bool>) -> (Option<evm_sender::B256>, String) {
    let error = result.unwrap_err();
    match error.backend::<EvmError>() {
        Some(EvmError::Reverted {
            what,
            tx_hash,
            reason,
            ..
        }) if what == "open" => (*tx_hash, reason.clone()),
        _ => panic!("expected the opening reverted, got {error:?}"),
    }
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn an_opening_the_contract_would_refuse_is_reverted_with_its_reason_and_sends_nothing() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let backend = anvil.backend(contracts, &dir.path().join("j.sqlite")).await;
    // The payout contract's ownership moved on after the backend connected.
    anvil
        .set_owner(contracts.payout, dev_address(), stranger())
        .await;
    let plan = plan_for(&synthetic_inputs(1, 10), Amount::ZERO);
    let nonce = anvil.nonce(dev_address()).await;
    let (tx_hash, reason) = reverted(open(&backend, &plan).await);
    check(tx_hash, None);
    assert!(reason.contains("OwnableUnauthorizedAccount"), "{reason}");
    check(anvil.nonce_at(dev_address(), "pending").await, nonce);
    check(backend.epoch_record(1).await.unwrap(), None);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn an_opening_reverted_when_mined_is_reverted_with_its_transaction_and_reason() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let backend = anvil.backend(contracts, &dir.path().join("j.sqlite")).await;
    let plan = plan_for(&synthetic_inputs(2, 10), Amount::ZERO);
    let moved = anvil.set_owner(contracts.payout, dev_address(), stranger());
    let opened = anvil.while_pending(open(&backend, &plan), moved).await;
    let (tx_hash, reason) = reverted(opened);
    assert!(tx_hash.is_some());
    assert!(reason.contains("OwnableUnauthorizedAccount"), "{reason}");
    check(backend.epoch_record(2).await.unwrap(), None);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn an_opening_reverted_because_another_plan_was_opened_meanwhile_is_a_conflict() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let backend = anvil.backend(contracts, &dir.path().join("j.sqlite")).await;
    let plan = plan_for(&synthetic_inputs(3, 10), Amount::ZERO);
    let other = plan_for(&synthetic_inputs(3, 20), Amount::ZERO);
    // Another run opens the epoch with its plan while this one's opening waits in the pool.
    let meanwhile = anvil.write_record(contracts.payout, &other, Amount::ZERO, other.from_mint);
    let opened = anvil.while_pending(open(&backend, &plan), meanwhile).await;
    check(
        matches!(opened, Err(ExecutorError::ChainConflict { epoch: 3, .. })),
        true,
    );
    check(
        backend.epoch_record(3).await.unwrap(),
        Some((opening(&other, Amount::ZERO), other.from_mint)),
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn an_opening_a_reorg_took_is_sent_again_from_the_sender_journal_under_its_nonce() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let backend = anvil.backend(contracts, &dir.path().join("j.sqlite")).await;
    let plan = plan_for(&synthetic_inputs(4, 10), Amount::ZERO);
    let nonce = anvil.nonce(dev_address()).await;
    check(open(&backend, &plan).await.unwrap(), false);
    anvil.rpc("anvil_reorg", json!([1, []])).await;
    check(backend.epoch_record(4).await.unwrap(), None);
    check(anvil.nonce(dev_address()).await, nonce);
    // Not open on chain: the journaled `open:4` is sent again (same bytes, same nonce).
    check(open(&backend, &plan).await.unwrap(), false);
    check(
        backend.epoch_record(4).await.unwrap(),
        Some((opening(&plan, Amount::ZERO), plan.from_mint)),
    );
    check(anvil.nonce(dev_address()).await, nonce + 1);
}
