//! The EVM payout backend refuses before it sends: a payout contract short of the recycled
//! pool, a wrong chain id, a chunk above `max_gas_per_tx`, contracts that are not the pair;
//! and a chunk mined with status 0 stops the epoch with its reason.

use crate::evm_support;

use std::sync::atomic::AtomicBool;

use alloy_primitives::{keccak256, B256, U256};
use alloy_sol_types::SolValue;
use serde_json::json;

use evm_support::{check, dev_address, opening, plan_for, Anvil, CHAIN_ID};
use payout_evm::{Contracts, EvmError, EvmPayout};
use payout_executor::ExecutorError;
use tokenomics_core::synthetic_inputs;
use tokenomics_core::Amount;

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_payout_contract_short_of_the_recycled_pool_is_refused_before_sending() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let backend = anvil.backend(contracts, &dir.path().join("j.sqlite")).await;
    let mut inputs = synthetic_inputs(5, 10);
    inputs.recycling_pool = Amount::from_mdt(1_000_000).unwrap();
    let plan = plan_for(&inputs, Amount::ZERO);
    let nonce = anvil.nonce(dev_address()).await;
    let refused = backend
        .open_epoch(&plan, &opening(&plan, Amount::ZERO), Amount::ZERO)
        .await
        .unwrap_err();
    let message = refused.to_string();
    check(
        matches!(&refused, ExecutorError::PoolShort(short)
            if short.holds == Amount::ZERO && short.mints == plan.from_mint && short.pays == plan.total),
        true,
    );
    check(
        message.contains(&format!(
            "holds 0 MDT but needs {} MDT before the epoch mints {} MDT",
            plan.total.checked_sub(plan.from_mint, "t").unwrap(),
            plan.from_mint
        )) && message.contains(&format!("it pays {} MDT", plan.total)),
        true,
    );
    check(anvil.nonce(dev_address()).await, nonce);
    check(backend.epoch_record(5).await.unwrap(), None);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_wrong_chain_id_is_refused_before_anything_is_sent() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let nonce = anvil.nonce(dev_address()).await;
    let mut config = anvil.config();
    config.chain_id = CHAIN_ID + 1;
    let journal = dir.path().join("j.sqlite");
    let refused = EvmPayout::connect(
        config,
        anvil.client.clone(),
        evm_support::signer(),
        contracts,
        &journal,
    )
    .await;
    check(
        matches!(
            refused.as_ref().err().and_then(ExecutorError::backend::<EvmError>),
            Some(EvmError::Sender(evm_sender::Error::ChainIdMismatch { expected, actual }))
                if *expected == CHAIN_ID + 1 && *actual == CHAIN_ID
        ),
        true,
    );
    check(
        (journal.exists(), anvil.nonce(dev_address()).await),
        (false, nonce),
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_chunk_above_max_gas_per_tx_is_refused_naming_it_before_sending() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let mut config = anvil.config();
    config.max_gas_per_tx = 2_000_000;
    let backend = anvil
        .backend_with(config, contracts, &dir.path().join("j.sqlite"))
        .await;
    let plan = plan_for(&synthetic_inputs(6, 400), Amount::ZERO);
    backend
        .open_epoch(&plan, &opening(&plan, Amount::ZERO), Amount::ZERO)
        .await
        .unwrap();
    let nonce = anvil.nonce(dev_address()).await;
    let stop = AtomicBool::new(false);
    let refused = backend
        .pay_chunks(&plan, &[0], &mut |_| Ok(()), &stop)
        .await;
    check(
        matches!(
            refused.as_ref().err().and_then(ExecutorError::backend::<EvmError>),
            Some(EvmError::ChunkGas { epoch: 6, chunk: 0, transfers: 300, needed, max: 2_000_000 })
                if *needed > 2_000_000
        ),
        true,
    );
    check(anvil.nonce(dev_address()).await, nonce);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_chunk_mined_with_status_0_stops_the_epoch_with_the_reason() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let contracts = anvil.deploy(dir.path()).await;
    let backend = anvil.backend(contracts, &dir.path().join("j.sqlite")).await;
    let plan = plan_for(&synthetic_inputs(7, 10), Amount::ZERO);
    backend
        .open_epoch(&plan, &opening(&plan, Amount::ZERO), Amount::ZERO)
        .await
        .unwrap();
    anvil.rpc("evm_setAutomine", json!([false])).await;
    let stop = AtomicBool::new(false);
    let mut ignore = |_| Ok(());
    let paying = backend.pay_chunks(&plan, &[0], &mut ignore, &stop);
    // Once the chunk is in the pool (its estimate passed), empty the payout contract's
    // balance (OpenZeppelin's `_balances`, slot 0), then mine: the chunk reverts.
    let meddle = async {
        let me = dev_address();
        while anvil.nonce_at(me, "pending").await == anvil.nonce(me).await {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        let slot = keccak256((contracts.payout, U256::ZERO).abi_encode());
        let zero = B256::ZERO.to_string();
        let params = json!([contracts.token.to_string(), slot.to_string(), zero]);
        anvil.rpc("anvil_setStorageAt", params).await;
        check(
            backend.balance_of(contracts.payout).await.unwrap(),
            Amount::ZERO,
        );
        loop {
            anvil.rpc("evm_mine", json!([])).await;
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    };
    let refused = tokio::select! {
        refused = paying => refused,
        () = meddle => unreachable!(),
    };
    check(
        matches!(
            refused.as_ref().err().and_then(ExecutorError::backend::<EvmError>),
            Some(EvmError::Reverted { epoch: 7, tx_hash: Some(_), reason, .. })
                if reason.contains("ERC20InsufficientBalance")
        ),
        true,
    );
    check(backend.paid_chunks(7, 1).await.unwrap(), vec![false]);
}

/// Connecting to `contracts` is refused with an error naming `what`, and sends nothing.
async fn check_connect_refused(anvil: &Anvil, contracts: Contracts, what: &str) {
    let dir = tempfile::tempdir().unwrap();
    let nonce = anvil.nonce(dev_address()).await;
    let error = EvmPayout::connect(
        anvil.config(),
        anvil.client.clone(),
        evm_support::signer(),
        contracts,
        &dir.path().join("sender.sqlite"),
    )
    .await
    .unwrap_err();
    assert!(error.to_string().contains(what), "{error}");
    assert!(error.is_bad_input(), "{error}");
    check(anvil.nonce(dev_address()).await, nonce);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn connecting_to_contracts_that_are_not_the_pair_is_refused_before_sending() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let deployed = anvil.deploy(dir.path()).await;
    let nowhere = "0x00000000000000000000000000000000000000aa"
        .parse()
        .unwrap();
    let swapped = Contracts {
        token: deployed.payout,
        payout: deployed.token,
    };
    check_connect_refused(&anvil, swapped, "payout").await;
    let no_code = Contracts {
        token: deployed.token,
        payout: nowhere,
    };
    check_connect_refused(&anvil, no_code, "payout").await;
}
