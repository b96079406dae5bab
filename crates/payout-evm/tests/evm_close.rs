//! `EpochPayout.closeEpoch` against a real anvil: an epoch stranded by a recipient the
//! token refuses is found unpayable and closed once; a closed epoch pays and opens no
//! more; only the owner closes; a fully paid epoch is never closed.

use crate::evm_support;

use std::sync::atomic::AtomicBool;

use alloy_primitives::{Address, Bytes};
use alloy_sol_types::{sol, SolCall};
use serde_json::json;

use evm_support::{check, open_and_pay, plan_for, Anvil};
use payout_evm::{Contracts, EpochProgress, EvmError};
use payout_executor::ExecutorError;
use tokenomics_core::synthetic_inputs;
use tokenomics_core::{Amount, EpochPlan, ZERO_ADDRESS};

sol! {
    function closeEpoch(uint64 epoch, uint32 chunks) external;
    function openEpoch(uint64 epoch, bytes32 planHash, uint256 mintedSupplyBefore, uint256 fromMint) external;
}

/// `epoch`'s plan of 400 transfers (two chunks) with transfer 350 (in chunk 1) paying
/// the zero address, which the token refuses: a plan the binary can no longer make.
fn stranding_plan(epoch: u64) -> EpochPlan {
    let mut plan = plan_for(&synthetic_inputs(epoch, 400), Amount::ZERO);
    assert!(plan.transfers.len() > 350 && plan.transfers.len() <= 600);
    plan.transfers[350].to = ZERO_ADDRESS;
    plan.plan_hash = plan.compute_hash();
    plan
}

/// The revert reason of an `EvmReverted` error.
#[track_caller]
fn reason(result: Result<impl std::fmt::Debug, ExecutorError>) -> String {
    match result {
        Err(error) => match error.backend::<EvmError>() {
            Some(EvmError::Reverted { reason, .. }) => reason.clone(),
            _ => panic!("expected a revert, got {error:?}"),
        },
        other => panic!("expected a revert, got {other:?}"),
    }
}

/// `eth_call` of `data` on the payout contract from `from`: the JSON-RPC error's text.
async fn call_error(anvil: &Anvil, contracts: Contracts, from: Address, data: Vec<u8>) -> String {
    let call = json!({"from": from.to_string(), "to": contracts.payout.to_string(), "data": Bytes::from(data).to_string()});
    match anvil
        .client
        .call::<String, _>("eth_call", json!([call, "latest"]))
        .await
    {
        Err(error) => format!("{error:?}"),
        Ok(answer) => panic!("the call succeeded: {answer}"),
    }
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn an_epoch_with_a_refused_recipient_is_unpayable_and_closes_once_then_pays_and_opens_no_more(
) {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let backend = anvil.backend(contracts, &dir.path().join("j.sqlite")).await;
    let plan = stranding_plan(3);
    open_and_pay(&backend, &plan, &[0]).await.unwrap();
    let refused = reason(open_and_pay(&backend, &plan, &[1]).await);
    assert!(refused.contains("ERC20InvalidReceiver"), "{refused}");

    let (chunk, why) = backend
        .unpayable_chunk(3, &plan.transfers)
        .await
        .unwrap()
        .expect("unpayable");
    check(chunk, 1);
    assert!(why.contains("ERC20InvalidReceiver"), "{why}");
    let closed = backend.close_epoch(3, 2).await.unwrap();
    let progress = backend.epoch_progress(3).await.unwrap().unwrap();
    let paid: Amount =
        Amount::checked_sum(plan.transfers[..300].iter().map(|t| t.amount), "paid").unwrap();
    check(
        progress,
        EpochProgress {
            chunks_paid: 1,
            paid_total: paid,
            closed: true,
        },
    );
    // Closing again through the backend is the same operation: nothing sent. Closed
    // twice, paid after closing, opened after closing: refused by the contract.
    let me = evm_support::dev_address();
    let nonce = anvil.nonce(me).await;
    check(backend.close_epoch(3, 2).await.unwrap(), closed);
    check(anvil.nonce(me).await, nonce);
    // EpochIsClosed(uint64)'s selector.
    let is_closed =
        alloy_primitives::hex::encode(&alloy_primitives::keccak256("EpochIsClosed(uint64)")[..4]);
    let close = closeEpochCall {
        epoch: 3,
        chunks: 2,
    };
    let twice = call_error(&anvil, contracts, me, close.abi_encode()).await;
    assert!(twice.contains(&is_closed), "{twice}");
    let mut repaired = plan.clone();
    repaired.transfers[350].to = repaired.transfers[349].to;
    let stop = AtomicBool::new(false);
    let after = reason(
        backend
            .pay_chunks(&repaired, &[1], &mut |_| Ok(()), &stop)
            .await,
    );
    assert!(after.contains("EpochIsClosed"), "{after}");
    let open = openEpochCall {
        epoch: 3,
        planHash: plan.plan_hash.as_bytes().into(),
        mintedSupplyBefore: Default::default(),
        fromMint: alloy_primitives::U256::from(plan.from_mint.base_units()),
    };
    let reopened = call_error(&anvil, contracts, me, open.abi_encode()).await;
    assert!(reopened.contains(&is_closed), "{reopened}");
    check(anvil.nonce(me).await, nonce);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn only_the_owner_closes_an_epoch() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let backend = anvil.backend(contracts, &dir.path().join("j.sqlite")).await;
    let plan = stranding_plan(4);
    open_and_pay(&backend, &plan, &[0]).await.unwrap();
    let stranger: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
        .parse()
        .unwrap();
    let close = closeEpochCall {
        epoch: 4,
        chunks: 2,
    };
    let refused = call_error(&anvil, contracts, stranger, close.abi_encode()).await;
    // OwnableUnauthorizedAccount(address)'s selector.
    assert!(refused.contains("118cdaa7"), "{refused}");
    check(
        backend.epoch_progress(4).await.unwrap().unwrap().closed,
        false,
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_fully_paid_epoch_is_payable_and_cannot_be_closed() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let backend = anvil.backend(contracts, &dir.path().join("j.sqlite")).await;
    let plan = plan_for(&synthetic_inputs(5, 400), Amount::ZERO);
    open_and_pay(&backend, &plan, &[0, 1]).await.unwrap();
    check(
        backend.unpayable_chunk(5, &plan.transfers).await.unwrap(),
        None,
    );
    let refused = reason(backend.close_epoch(5, 2).await);
    assert!(refused.contains("EpochFullyPaid"), "{refused}");
    check(
        backend.epoch_progress(5).await.unwrap().unwrap().closed,
        false,
    );
}
