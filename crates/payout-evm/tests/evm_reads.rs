//! The backend's reads against a real anvil: what a dry run and `status --check-chain` read
//! through `EvmPayout` and `PayoutReader` (unpaid transfers, funds needed, the opening, the
//! chunks shown per transfer), answers the ABI cannot decode, a payout contract of another
//! token, and the balance check a moved balance fails.

use crate::evm_support;

use alloy_primitives::{keccak256, Address, U256};
use alloy_sol_types::SolValue;
use serde_json::json;

use evm_support::storage::word;
use evm_support::{check, dev_address, open_and_pay, opening, plan_for, Anvil};
use payout_evm::{to_core, to_evm, Contracts, EvmError, EvmPayout, PayoutReader};
use payout_executor::{
    ChainShows, ExecutorError, JournaledEpoch, PayoutPreview, ShowsChain, Stage,
};
use tokenomics_core::synthetic_inputs;
use tokenomics_core::Amount;

/// Deploys and connects a backend (nonce journal `j.sqlite` in `dir`).
async fn setup(anvil: &Anvil, dir: &std::path::Path) -> (EvmPayout, Contracts) {
    let contracts = anvil.deploy(dir).await;
    (
        anvil.backend(contracts, &dir.join("j.sqlite")).await,
        contracts,
    )
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn unpaid_counts_the_pending_transfers_whose_chunk_the_contract_does_not_mark_paid() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let (backend, _) = setup(&anvil, dir.path()).await;
    let plan = plan_for(&synthetic_inputs(1, 700), Amount::ZERO);
    let n = plan.transfers.len() as u32;
    assert!(n > 600 && n <= 900, "{n} transfers: three chunks");
    open_and_pay(&backend, &plan, &[1]).await.unwrap();
    let all: Vec<u32> = (0..n).collect();
    check(backend.unpaid(&plan, &all).await.unwrap(), n as usize - 300);
    check(
        backend
            .unpaid(&plan, &[0, 299, 300, 599, 600])
            .await
            .unwrap(),
        3,
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn funds_needed_is_the_total_and_what_is_owed_less_what_the_epoch_mints() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let (backend, _) = setup(&anvil, dir.path()).await;
    let plan = plan_for(&synthetic_inputs(2, 10), Amount::ZERO);
    open_and_pay(&backend, &plan, &[0]).await.unwrap();
    // What the epoch left in the contract is what a later epoch may owe.
    let left = backend
        .balance_of(backend.contracts().payout)
        .await
        .unwrap();
    let next = plan_for(&synthetic_inputs(3, 10), Amount::ZERO);
    let needed = backend.funds_needed(&next, left).await.unwrap();
    let want = next
        .total
        .checked_add(left, "t")
        .unwrap()
        .checked_sub(next.from_mint, "t")
        .unwrap();
    check(needed, want);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn opened_with_is_false_before_opening_true_for_the_plan_and_a_conflict_for_another() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let (backend, _) = setup(&anvil, dir.path()).await;
    let plan = plan_for(&synthetic_inputs(4, 10), Amount::ZERO);
    check(
        backend
            .opened_with(&plan, &opening(&plan, Amount::ZERO))
            .await
            .unwrap(),
        false,
    );
    open_and_pay(&backend, &plan, &[]).await.unwrap();
    check(
        backend
            .opened_with(&plan, &opening(&plan, Amount::ZERO))
            .await
            .unwrap(),
        true,
    );
    let other = plan_for(&synthetic_inputs(4, 20), Amount::ZERO);
    check(
        matches!(
            backend
                .opened_with(&other, &opening(&other, Amount::ZERO))
                .await,
            Err(ExecutorError::ChainConflict { epoch: 4, .. })
        ),
        true,
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn the_check_chain_view_of_a_journaled_epoch_marks_each_transfer_of_a_paid_chunk() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let (backend, contracts) = setup(&anvil, dir.path()).await;
    let plan = plan_for(&synthetic_inputs(5, 700), Amount::ZERO);
    open_and_pay(&backend, &plan, &[1]).await.unwrap();
    let journaled = JournaledEpoch {
        epoch: 5,
        stage: Stage::Minted,
        plan_hash: plan.plan_hash,
        treasury: to_core(contracts.payout),
        transfers: plan
            .transfers
            .iter()
            .map(|t| (t.to, t.amount, false))
            .collect(),
    };
    let reader = PayoutReader::new(backend.sender().reader(), contracts);
    let shows = reader.shows_journaled(&journaled).await.unwrap();
    let paid: Vec<bool> = (0..plan.transfers.len()).map(|i| i / 300 == 1).collect();
    check(
        shows,
        ChainShows {
            opened: true,
            plan_hash: Some(plan.plan_hash),
            paid,
        },
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_view_answered_with_bytes_the_abi_cannot_decode_is_malformed() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let (backend, contracts) = setup(&anvil, dir.path()).await;
    // Code that answers every call with one zero byte: PUSH1 1 PUSH1 0 RETURN.
    let odd: Address = "0x00000000000000000000000000000000000000bb"
        .parse()
        .unwrap();
    anvil
        .rpc("anvil_setCode", json!([odd.to_string(), "0x60016000f3"]))
        .await;
    let reader = PayoutReader::new(
        backend.sender().reader(),
        Contracts {
            token: contracts.token,
            payout: odd,
        },
    );
    let error = reader.epoch_state(1, None).await.unwrap_err();
    check(
        matches!(
            error.backend::<EvmError>(),
            Some(EvmError::Malformed {
                call: "epochRecord(uint64)",
                ..
            })
        ),
        true,
    );
    check(error.is_bad_input() || error.is_retryable(), false);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_payout_contract_of_another_token_is_refused_at_connect_before_sending() {
    let anvil = Anvil::start();
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = anvil.deploy(one.path()).await;
    let second = anvil.deploy(two.path()).await;
    // The first token handed to the second payout contract, which pays the second token.
    anvil
        .set_owner(first.token, first.payout, second.payout)
        .await;
    let nonce = anvil.nonce(dev_address()).await;
    let mixed = Contracts {
        token: first.token,
        payout: second.payout,
    };
    let error = EvmPayout::connect(
        anvil.config(),
        anvil.client.clone(),
        evm_support::signer(),
        mixed,
        &one.path().join("j.sqlite"),
    )
    .await
    .unwrap_err();
    check(
        matches!(
            error.backend::<EvmError>(),
            Some(EvmError::NoContract { what: "payout (for this token)", address })
                if *address == second.payout
        ),
        true,
    );
    check(error.is_bad_input(), true);
    check(anvil.nonce(dev_address()).await, nonce);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_sampled_recipients_balance_moved_by_someone_else_fails_the_balance_check() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let (backend, contracts) = setup(&anvil, dir.path()).await;
    let plan = plan_for(&synthetic_inputs(6, 10), Amount::ZERO);
    let before = backend.balances(&plan, 16).await.unwrap();
    open_and_pay(&backend, &plan, &[0]).await.unwrap();
    check(
        backend.verify_balances(&plan, &before).await.unwrap(),
        before.sample.len(),
    );
    // One more base unit in a sampled recipient's `_balances` slot (slot 0).
    let (who, _) = before.sample[0];
    let slot = keccak256((to_evm(who), U256::ZERO).abi_encode());
    let has = backend.balance_of(to_evm(who)).await.unwrap();
    let more = has.checked_add(Amount::from_base_units(1), "t").unwrap();
    anvil
        .set_storage(contracts.token, slot, word(more.base_units()))
        .await;
    let error = backend.verify_balances(&plan, &before).await.unwrap_err();
    check(
        error.to_string().contains(&format!(
            "recipient {who}: expected {has} MDT, found {more} MDT"
        )),
        true,
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn an_opening_lowers_the_emission_room_by_exactly_what_it_mints() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let (backend, _) = setup(&anvil, dir.path()).await;
    let plan = plan_for(&synthetic_inputs(7, 10), Amount::ZERO);
    assert!(plan.from_mint > Amount::ZERO);
    let before = backend.emission_room().await.unwrap();
    open_and_pay(&backend, &plan, &[]).await.unwrap();
    check(
        backend.emission_room().await.unwrap(),
        before.checked_sub(plan.from_mint, "t").unwrap(),
    );
}
