//! `EpochExecutor<EvmPayout>::close_epoch` against a real anvil, through the backend's
//! `ClosesEpochs`: a stranded epoch closed once naming its refused recipient, an epoch short
//! of funds only never closed, an epoch never opened refused, a close sent before a crash
//! journaled without sending again, a close reverted when mined.

use crate::evm_support;

use std::path::Path;
use std::sync::atomic::AtomicBool;

use alloy_primitives::{keccak256, Address, U256};
use alloy_sol_types::SolValue;

use evm_support::storage::word;
use evm_support::{check, dev_address, plan_for, Anvil};
use payout_evm::{to_core, Contracts, EvmError, EvmPayout};
use payout_executor::{
    ClosedEpoch, ClosesEpochs, EpochExecutor, ExecutorConfig, ExecutorError, Journal, Opening,
    Stage,
};
use tokenomics_core::synthetic_inputs;
use tokenomics_core::{Amount, EpochPlan, Params, ZERO_ADDRESS};

/// `epoch`'s plan of 400 transfers (two chunks) with transfer 350 (chunk 1) paying the
/// zero address, which the token refuses.
fn stranding_plan(epoch: u64) -> EpochPlan {
    let mut plan = plan_for(&synthetic_inputs(epoch, 400), Amount::ZERO);
    plan.transfers[350].to = ZERO_ADDRESS;
    plan.plan_hash = plan.compute_hash();
    plan
}

/// What the first chunk of `plan` pays.
fn first_chunk_total(plan: &EpochPlan) -> Amount {
    Amount::checked_sum(plan.transfers[..300].iter().map(|t| t.amount), "paid").unwrap()
}

/// Deploys, journals `plan` as a run would (`journal.sqlite` in `dir`), opens it on chain
/// when `open`, and pays chunk 0; the backend (nonce journal `nonces.sqlite`) and journal.
async fn journaled(
    anvil: &Anvil,
    dir: &Path,
    plan: &EpochPlan,
    open: bool,
) -> (EvmPayout, Journal, Contracts) {
    let contracts = anvil.deploy(dir).await;
    let backend = anvil.backend(contracts, &dir.join("nonces.sqlite")).await;
    let mut journal = Journal::open(&dir.join("journal.sqlite")).unwrap();
    journal
        .record_plan(plan, Amount::ZERO, to_core(contracts.payout))
        .unwrap();
    if open {
        let memo = Opening {
            plan_hash: plan.plan_hash,
            minted_supply: Amount::ZERO,
        };
        backend.open_epoch(plan, &memo, Amount::ZERO).await.unwrap();
        journal.set_stage(plan.epoch, Stage::Minted).unwrap();
        let stop = AtomicBool::new(false);
        backend
            .pay_chunks(plan, &[0], &mut |_| Ok(()), &stop)
            .await
            .unwrap();
    }
    (backend, journal, contracts)
}

fn executor(backend: EvmPayout, journal: Journal) -> EpochExecutor<EvmPayout> {
    EpochExecutor::new(
        Params::default(),
        ExecutorConfig::default(),
        backend,
        journal,
    )
}

/// The reason of a `CloseRefused` of `epoch`.
#[track_caller]
fn close_refused(result: payout_executor::Result<ClosedEpoch>, epoch: u64) -> String {
    match result {
        Err(ExecutorError::CloseRefused { epoch: e, reason }) if e == epoch => reason,
        other => panic!("expected CloseRefused for epoch {epoch}, got {other:?}"),
    }
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_stranded_epoch_closes_once_naming_its_refused_recipient_and_what_stays_unpaid() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let plan = stranding_plan(1);
    let (backend, journal, contracts) = journaled(&anvil, dir.path(), &plan, true).await;
    let mut executor = executor(backend, journal);
    let closed = executor.close_epoch(1, 1_000).await.unwrap();
    let paid = first_chunk_total(&plan);
    let want = ClosedEpoch {
        epoch: 1,
        plan_hash: plan.plan_hash,
        reason: format!("transfer 350 (chunk 1) pays {ZERO_ADDRESS}, the zero address, which the chain refuses as a recipient"),
        closed_tx: closed.closed_tx.clone(),
        total: plan.total,
        paid,
        unpaid: plan.total.checked_sub(paid, "t").unwrap(),
        payout: to_core(contracts.payout),
        already_closed: false,
    };
    check(&closed, &want);
    check(executor.chain().epoch_closed(1).await.unwrap(), true);
    let nonce = anvil.nonce(dev_address()).await;
    let again = executor.close_epoch(1, 2_000).await.unwrap();
    check(
        again,
        ClosedEpoch {
            already_closed: true,
            ..want
        },
    );
    check(anvil.nonce(dev_address()).await, nonce);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn an_epoch_only_short_of_funds_is_never_closed_and_nothing_is_sent() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_for(&synthetic_inputs(2, 400), Amount::ZERO);
    let (backend, journal, contracts) = journaled(&anvil, dir.path(), &plan, true).await;
    // The payout contract's token balance (`_balances`, slot 0) emptied: chunk 1 reverts
    // with ERC20InsufficientBalance, which more funds would cure.
    let slot = keccak256((contracts.payout, U256::ZERO).abi_encode());
    anvil.set_storage(contracts.token, slot, word(0)).await;
    let nonce = anvil.nonce(dev_address()).await;
    let mut executor = executor(backend, journal);
    check(
        executor
            .chain()
            .stranding(2, &plan.transfers)
            .await
            .unwrap(),
        None,
    );
    let reason = close_refused(executor.close_epoch(2, 1_000).await, 2);
    assert!(reason.contains("can still be paid"), "{reason}");
    check(anvil.nonce(dev_address()).await, nonce);
    check(executor.chain().epoch_closed(2).await.unwrap(), false);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn an_epoch_never_opened_on_chain_is_not_closed() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let plan = stranding_plan(3);
    let (backend, journal, _) = journaled(&anvil, dir.path(), &plan, false).await;
    check(backend.close_progress(3).await.unwrap(), None);
    let nonce = anvil.nonce(dev_address()).await;
    let reason = close_refused(executor(backend, journal).close_epoch(3, 1_000).await, 3);
    assert!(reason.contains("never opened on chain"), "{reason}");
    check(anvil.nonce(dev_address()).await, nonce);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_close_sent_before_a_crash_is_journaled_from_the_sender_journal_sending_nothing() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let plan = stranding_plan(4);
    let (backend, journal, _) = journaled(&anvil, dir.path(), &plan, true).await;
    // A close-epoch sent `close:4` and stopped before journaling the closing.
    let sent = backend.close_epoch(4, 2).await.unwrap();
    let nonce = anvil.nonce(dev_address()).await;
    let closed = executor(backend, journal)
        .close_epoch(4, 1_000)
        .await
        .unwrap();
    check(
        (closed.closed_tx, closed.already_closed),
        (sent.to_string(), false),
    );
    check(anvil.nonce(dev_address()).await, nonce);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_close_reverted_when_mined_is_reverted_with_its_transaction_and_reason() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let plan = stranding_plan(5);
    let (backend, _, contracts) = journaled(&anvil, dir.path(), &plan, true).await;
    let stranger: Address = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"
        .parse()
        .unwrap();
    let moved = anvil.set_owner(contracts.payout, dev_address(), stranger);
    let closing = anvil.while_pending(backend.close_epoch(5, 2), moved).await;
    let error = closing.unwrap_err();
    match error.backend::<EvmError>() {
        Some(EvmError::Reverted {
            epoch: 5,
            what,
            tx_hash: Some(_),
            reason,
        }) if what == "close" => {
            assert!(reason.contains("OwnableUnauthorizedAccount"), "{reason}")
        }
        _ => panic!("expected the close reverted, got {error:?}"),
    }
    check(backend.epoch_closed(5).await.unwrap(), false);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_recipient_that_is_the_token_contract_strands_its_unpaid_chunk() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let backend = anvil.backend(contracts, &dir.path().join("j.sqlite")).await;
    let mut plan = plan_for(&synthetic_inputs(6, 400), Amount::ZERO);
    plan.transfers[301].to = to_core(contracts.token);
    check(backend.units(plan.transfers.len()), 2);
    let reason = backend.stranding(6, &plan.transfers).await.unwrap();
    check(
        reason,
        Some(format!(
            "transfer 301 (chunk 1) pays {}, the token contract, which the chain refuses as a recipient",
            to_core(contracts.token)
        )),
    );
}
