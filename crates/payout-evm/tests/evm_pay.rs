//! Paying chunks against a real anvil when it does not go as planned: a chunk paid by
//! another run while this one's waits in the pool, a chunk that reverted in an earlier
//! run, a chunk a reorg took, chunks past the plan's end, the in-flight floor.

use crate::evm_support;

use std::sync::atomic::AtomicBool;

use alloy_primitives::{keccak256, U256};
use alloy_sol_types::SolValue;
use serde_json::json;

use evm_support::storage::{chunk_word_slot, word};
use evm_support::{check, check_every_balance, dev_address, plan_for, Anvil};
use payout_evm::{Contracts, EvmError, EvmPayout, PaidChunk};
use payout_executor::Opening;
use tokenomics_core::synthetic_inputs;
use tokenomics_core::{Amount, EpochPlan};

/// Deploys, connects a backend (nonce journal `j.sqlite`) and opens `plan`.
async fn opened(anvil: &Anvil, dir: &std::path::Path, plan: &EpochPlan) -> (EvmPayout, Contracts) {
    let contracts = anvil.deploy(dir).await;
    let backend = anvil.backend(contracts, &dir.join("j.sqlite")).await;
    let memo = Opening {
        plan_hash: plan.plan_hash,
        minted_supply: Amount::ZERO,
    };
    backend.open_epoch(plan, &memo, Amount::ZERO).await.unwrap();
    (backend, contracts)
}

/// Pays `chunks` of `plan`; what was reported, or the error.
async fn pay(
    backend: &EvmPayout,
    plan: &EpochPlan,
    chunks: &[u32],
) -> payout_executor::Result<Vec<PaidChunk>> {
    let mut reported = Vec::new();
    let stop = AtomicBool::new(false);
    backend
        .pay_chunks(
            plan,
            chunks,
            &mut |c| {
                reported.push(c);
                Ok(())
            },
            &stop,
        )
        .await?;
    Ok(reported)
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_chunk_reverted_because_another_run_paid_it_meanwhile_counts_as_paid_by_that_run() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_for(&synthetic_inputs(1, 10), Amount::ZERO);
    let (backend, contracts) = opened(&anvil, dir.path(), &plan).await;
    // While this run's chunk 0 waits in the pool, the contract marks it paid.
    let meanwhile = anvil.set_storage(contracts.payout, chunk_word_slot(1, 0), word(1));
    let reported = anvil
        .while_pending(pay(&backend, &plan, &[0]), meanwhile)
        .await
        .unwrap();
    check(
        reported,
        vec![PaidChunk {
            chunk: 0,
            transfers: plan.transfers.len(),
            confirmation: None,
        }],
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_chunk_that_reverted_in_an_earlier_run_is_paid_under_the_next_retry_id() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_for(&synthetic_inputs(2, 10), Amount::ZERO);
    let (backend, contracts) = opened(&anvil, dir.path(), &plan).await;
    // The payout contract's token balance (OpenZeppelin's `_balances`, slot 0) emptied while
    // chunk 0 waits in the pool: it reverts.
    let slot = keccak256((contracts.payout, U256::ZERO).abi_encode());
    let balance = anvil.storage(contracts.token, slot).await;
    let emptied = anvil.set_storage(contracts.token, slot, word(0));
    let refused = anvil
        .while_pending(pay(&backend, &plan, &[0]), emptied)
        .await;
    check(
        matches!(
            refused.as_ref().err().and_then(|e| e.backend::<EvmError>()),
            Some(EvmError::Reverted {
                epoch: 2,
                tx_hash: Some(_),
                ..
            })
        ),
        true,
    );
    anvil.set_storage(contracts.token, slot, balance).await;
    let nonce = anvil.nonce(dev_address()).await;

    let reported = pay(&backend, &plan, &[0]).await.unwrap();
    let retry = backend
        .sender()
        .journaled_confirmation("payout:2:0:retry1")
        .unwrap();
    check(retry.is_some(), true);
    check(
        reported,
        vec![PaidChunk {
            chunk: 0,
            transfers: plan.transfers.len(),
            confirmation: retry,
        }],
    );
    check(anvil.nonce(dev_address()).await, nonce + 1);
    check_every_balance(&backend, &plan).await;
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_chunk_a_reorg_took_is_paid_again_by_its_journaled_transaction_under_its_nonce() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_for(&synthetic_inputs(3, 10), Amount::ZERO);
    let (backend, _) = opened(&anvil, dir.path(), &plan).await;
    let nonce = anvil.nonce(dev_address()).await;
    let first = pay(&backend, &plan, &[0]).await.unwrap();
    anvil.rpc("anvil_reorg", json!([1, []])).await;
    check(backend.paid_chunks(3, 1).await.unwrap(), vec![false]);

    let again = pay(&backend, &plan, &[0]).await.unwrap();
    check(again.len(), 1);
    let (before, after) = (
        first[0].confirmation.unwrap(),
        again[0].confirmation.unwrap(),
    );
    check(after.tx_hash, before.tx_hash);
    check(backend.paid_chunks(3, 1).await.unwrap(), vec![true]);
    check(anvil.nonce(dev_address()).await, nonce + 1);
    check_every_balance(&backend, &plan).await;
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_pending_chunk_past_the_plans_last_is_skipped_and_sends_nothing() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_for(&synthetic_inputs(4, 10), Amount::ZERO);
    let (backend, _) = opened(&anvil, dir.path(), &plan).await;
    let nonce = anvil.nonce(dev_address()).await;
    let reported = pay(&backend, &plan, &[0, 1, 7]).await.unwrap();
    let chunks: Vec<u32> = reported.iter().map(|c| c.chunk).collect();
    check(chunks, vec![0]);
    check(anvil.nonce(dev_address()).await, nonce + 1);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn chunks_in_flight_is_at_least_one() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let mut backend = anvil.backend(contracts, &dir.path().join("j.sqlite")).await;
    check(backend.chunks_in_flight(), payout_evm::CHUNKS_IN_FLIGHT);
    backend.set_chunks_in_flight(0);
    check(backend.chunks_in_flight(), 1);
    check(backend.contracts(), contracts);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_chunk_reverted_without_revert_data_keeps_the_nodes_message_as_its_reason() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_for(&synthetic_inputs(5, 10), Amount::ZERO);
    let (backend, contracts) = opened(&anvil, dir.path(), &plan).await;
    // While chunk 0 waits in the pool, the token's code becomes `revert(0, 0)`: the chunk
    // reverts with no data, and so does the call that asks why.
    let code = json!([contracts.token.to_string(), "0x60006000fd"]);
    let bare = async {
        anvil.rpc("anvil_setCode", code).await;
    };
    let refused = anvil.while_pending(pay(&backend, &plan, &[0]), bare).await;
    let error = refused.unwrap_err();
    match error.backend::<EvmError>() {
        Some(EvmError::Reverted {
            epoch: 5,
            tx_hash: Some(_),
            reason,
            ..
        }) => check(reason.as_str(), "execution reverted"),
        _ => panic!("expected the chunk reverted, got {error:?}"),
    }
}
