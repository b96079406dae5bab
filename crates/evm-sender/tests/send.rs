//! Sending against a real anvil: transfers, idempotent op ids, resume after a crash,
//! reverts, the chain id check and the key file rule.

use crate::common;

use common::{bob, check, dev_address, Anvil, CHAIN_ID, REVERTER_INIT};
use evm_sender::{Bytes, Error, Signer, TxRequest, U256};

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_value_transfer_is_confirmed_in_a_canonical_block() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let sender = anvil.sender(&dir.path().join("j.sqlite")).await;
    let before = anvil.balance(common::BOB).await;
    let op = sender
        .submit("pay", TxRequest::transfer(bob(), U256::from(1234)))
        .await
        .unwrap();
    let done = sender.wait_confirmed("pay").await.unwrap();
    check(done.tx_hash, op.tx_hash);
    check(anvil.balance(common::BOB).await - before, U256::from(1234));
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn the_same_op_id_twice_sends_one_transaction() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let sender = anvil.sender(&dir.path().join("j.sqlite")).await;
    let start = anvil.nonce(dev_address()).await;
    let request = TxRequest::transfer(bob(), U256::from(5));
    let first = sender.submit("once", request.clone()).await.unwrap();
    sender.wait_confirmed("once").await.unwrap();
    let second = sender.submit("once", request).await.unwrap();
    sender.confirm_all().await.unwrap();
    check((second.tx_hash, second.created), (first.tx_hash, false));
    check(anvil.nonce(dev_address()).await, start + 1);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_crash_after_journaling_sends_the_same_bytes_on_resume() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.sqlite");
    let request = TxRequest::transfer(bob(), U256::from(77));
    let prepared = {
        let sender = anvil.sender(&journal).await;
        sender.prepare("crash", request.clone()).await.unwrap()
    }; // dropped: the process "died" before sending
    check(anvil.nonce(dev_address()).await, 0);
    let sender = anvil.sender(&journal).await;
    let resumed = sender.submit("crash", request).await.unwrap();
    let done = sender.wait_confirmed("crash").await.unwrap();
    check(
        (resumed.tx_hash, done.tx_hash),
        (prepared.tx_hash, prepared.tx_hash),
    );
    check(anvil.nonce(dev_address()).await, 1);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_status_0_receipt_is_the_typed_reverted_error() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let sender = anvil.sender(&dir.path().join("j.sqlite")).await;
    let init: Bytes = REVERTER_INIT.parse().unwrap();
    sender
        .submit("deploy", TxRequest::deploy(init))
        .await
        .unwrap();
    let contract = sender
        .wait_confirmed("deploy")
        .await
        .unwrap()
        .contract_address
        .unwrap();
    // A fixed gas limit skips the estimate, so the transaction is mined and reverts.
    let call = TxRequest::call(contract, Bytes::new()).with_gas_limit(50_000);
    let op = sender.submit("boom", call).await.unwrap();
    match sender.wait_confirmed("boom").await {
        Err(Error::Reverted {
            tx_hash, gas_used, ..
        }) => check((tx_hash, gas_used > 0), (op.tx_hash, true)),
        other => panic!("expected Reverted, got {other:?}"),
    }
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_call_that_would_revert_is_refused_before_journaling() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let sender = anvil.sender(&dir.path().join("j.sqlite")).await;
    sender
        .submit(
            "deploy",
            TxRequest::deploy(REVERTER_INIT.parse::<Bytes>().unwrap()),
        )
        .await
        .unwrap();
    let contract = sender
        .wait_confirmed("deploy")
        .await
        .unwrap()
        .contract_address
        .unwrap();
    let error = sender
        .submit("boom", TxRequest::call(contract, Bytes::new()))
        .await
        .unwrap_err();
    check(matches!(error, Error::WouldRevert { .. }), true);
    check(anvil.nonce(dev_address()).await, 1);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_wrong_chain_id_is_refused_before_anything_is_sent() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let mut config = anvil.config();
    config.chain_id = CHAIN_ID + 1;
    let signer = Signer::from_hex(common::DEV_KEY).unwrap();
    let opened =
        evm_sender::EvmSender::open(config, anvil.client.clone(), signer, dir.path().join("j"))
            .await;
    check(
        matches!(opened, Err(Error::ChainIdMismatch { expected, actual }) if expected == CHAIN_ID + 1 && actual == CHAIN_ID),
        true,
    );
    check(anvil.nonce(dev_address()).await, 0);
}

#[test]
fn a_key_file_readable_by_others_is_refused_naming_the_file_not_the_key() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("signer.key");
    std::fs::write(&path, format!("{}\n", common::DEV_KEY)).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let error = Signer::from_file(&path).unwrap_err();
    let text = error.to_string();
    check(
        matches!(error, Error::KeyFileMode { mode: 0o644, .. }),
        true,
    );
    check(
        (text.contains("signer.key"), text.contains("ac0974bec")),
        (true, false),
    );
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    check(Signer::from_file(&path).unwrap().address(), dev_address());
}

#[test]
fn the_sender_s_futures_can_be_spawned() {
    fn is_send<T: Send>(_: &T) {}
    fn futures(sender: &evm_sender::EvmSender) {
        is_send(&sender.submit("a", TxRequest::transfer(bob(), U256::ZERO)));
        is_send(&sender.prepare("a", TxRequest::transfer(bob(), U256::ZERO)));
        is_send(&sender.wait_confirmed("a"));
        is_send(&sender.confirm_all());
        is_send(&sender.call(bob(), Bytes::new()));
    }
    let _ = futures;
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_second_sender_on_a_journal_in_use_is_refused_naming_the_holder() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.sqlite");
    let _first = anvil.sender(&journal).await;
    let second = evm_sender::EvmSender::open(
        anvil.config(),
        anvil.client.clone(),
        Signer::from_hex(common::DEV_KEY).unwrap(),
        &journal,
    )
    .await;
    let error = second.expect_err("one sender per journal");
    check(
        matches!(
            &error,
            Error::JournalLock(pid_lock::LockError::InUse { pid: Some(pid), .. })
                if *pid == std::process::id()
        ),
        true,
    );
    check(error.is_retryable(), true);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn operations_within_the_gas_price_ttl_are_priced_from_one_reading() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let sender = anvil.sender(&dir.path().join("j.sqlite")).await;
    let mut prices = Vec::new();
    for op in ["a", "b", "c", "d"] {
        let handle = sender
            .submit(op, TxRequest::transfer(bob(), U256::from(1)))
            .await
            .unwrap();
        sender.wait_confirmed(op).await.unwrap();
        let tx = anvil
            .rpc(
                "eth_getTransactionByHash",
                serde_json::json!([handle.tx_hash.to_string()]),
            )
            .await;
        prices.push(tx["gasPrice"].as_str().unwrap().to_string());
    }
    // Read per operation, anvil's price (base fee + recent tips) would rise with each.
    check(prices.iter().all(|p| *p == prices[0]), true);
}
