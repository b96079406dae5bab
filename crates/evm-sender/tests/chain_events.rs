//! What the chain does under the sender on a real anvil: manual mining, a dropped
//! transaction, a reorg after confirmation, a foreign use of the key, a receipt shown after
//! the nonce moves, fee bumps.

use crate::common;

use std::time::Duration;

use common::lagging::LaggingReceipts;
use common::{bob, check, dev_address, Anvil, BOB};
use evm_sender::{Error, EvmSender, FeeBump, Signer, TxRequest, GWEI, U256};
use serde_json::json;

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn without_automine_the_operation_is_confirmed_once_a_block_is_mined() {
    let anvil = Anvil::start_no_mining();
    let dir = tempfile::tempdir().unwrap();
    let sender = anvil.sender(&dir.path().join("j.sqlite")).await;
    let op = sender
        .submit("pay", TxRequest::transfer(bob(), U256::from(9)))
        .await
        .unwrap();
    let waited = tokio::time::timeout(Duration::from_millis(100), sender.wait_confirmed("pay"));
    check(waited.await.is_err(), true); // nothing is mined yet
    anvil.mine().await;
    check(
        sender.wait_confirmed("pay").await.unwrap().tx_hash,
        op.tx_hash,
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_dropped_transaction_is_sent_again_with_the_same_bytes() {
    let anvil = Anvil::start_no_mining();
    let dir = tempfile::tempdir().unwrap();
    let sender = anvil.sender(&dir.path().join("j.sqlite")).await;
    let before = anvil.balance(BOB).await;
    let op = sender
        .submit("pay", TxRequest::transfer(bob(), U256::from(9)))
        .await
        .unwrap();
    anvil
        .rpc("anvil_dropTransaction", json!([op.tx_hash.to_string()]))
        .await;
    anvil.mine().await; // a block without it
    check(anvil.nonce(dev_address()).await, 0);
    let done = anvil
        .while_mining(sender.wait_confirmed("pay"))
        .await
        .unwrap();
    check(done.tx_hash, op.tx_hash);
    check(anvil.balance(BOB).await - before, U256::from(9));
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_reorg_after_confirmation_ends_confirmed_exactly_once() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let sender = anvil.sender(&dir.path().join("j.sqlite")).await;
    let before = anvil.balance(BOB).await;
    let op = sender
        .submit("pay", TxRequest::transfer(bob(), U256::from(5)))
        .await
        .unwrap();
    let first = sender.wait_confirmed("pay").await.unwrap();
    anvil.rpc("anvil_reorg", json!([1, []])).await; // the block holding it is replaced
    let rpc_receipt = anvil
        .rpc("eth_getTransactionReceipt", json!([op.tx_hash.to_string()]))
        .await;
    check(rpc_receipt.is_null(), true);
    sender.confirm_all().await.unwrap();
    let second = sender.wait_confirmed("pay").await.unwrap();
    check(second.tx_hash, op.tx_hash);
    check(second.block_hash != first.block_hash, true);
    check(anvil.nonce(dev_address()).await, 1);
    check(anvil.balance(BOB).await - before, U256::from(5));
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_nonce_used_outside_the_journal_stops_with_the_typed_error() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let sender = anvil.sender(&dir.path().join("j.sqlite")).await;
    sender
        .prepare("mine", TxRequest::transfer(bob(), U256::from(1)))
        .await
        .unwrap();
    // Someone else uses the key (anvil signs for its dev accounts): nonce 0 is taken.
    let foreign = json!({"from": dev_address().to_string(), "to": BOB, "value": "0x2"});
    anvil.rpc("eth_sendTransaction", json!([foreign])).await;
    let error = sender.wait_confirmed("mine").await.unwrap_err();
    check(
        matches!(
            error,
            Error::ForeignNonce {
                nonce: 0,
                chain_nonce: 1,
                ..
            }
        ),
        true,
    );
    let next = sender
        .submit("next", TxRequest::transfer(bob(), U256::from(1)))
        .await;
    check(matches!(next, Err(Error::ForeignNonce { .. })), true);
    check(anvil.nonce(dev_address()).await, 1);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_receipt_shown_a_moment_after_the_nonce_moves_is_not_a_foreign_nonce() {
    let anvil = Anvil::start();
    // Shorter than the sender's poll interval (20 ms), longer than two looks in a row.
    let node = LaggingReceipts::start(&anvil.url, Duration::from_millis(10)).await;
    let dir = tempfile::tempdir().unwrap();
    let sender = EvmSender::open(
        anvil.config(),
        common::client(&node.url),
        Signer::from_hex(common::DEV_KEY).unwrap(),
        dir.path().join("j.sqlite"),
    )
    .await
    .unwrap();
    let op = sender
        .submit("pay", TxRequest::transfer(bob(), U256::from(4)))
        .await
        .unwrap();
    let done = sender.wait_confirmed("pay").await;
    check(
        done.map(|done| done.tx_hash).map_err(|e| e.to_string()),
        Ok(op.tx_hash),
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_nonce_used_outside_the_journal_with_nothing_pending_is_skipped_not_refused() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.sqlite");
    {
        let sender = anvil.sender(&journal).await;
        sender
            .submit("a", TxRequest::transfer(bob(), U256::from(1)))
            .await
            .unwrap();
        sender.wait_confirmed("a").await.unwrap();
    }
    // The key is used elsewhere (nonce 1), and that transaction is mined.
    let foreign = json!({"from": dev_address().to_string(), "to": BOB, "value": "0x2"});
    anvil.rpc("eth_sendTransaction", json!([foreign])).await;
    let sender = anvil.sender(&journal).await;
    let op = sender
        .submit("b", TxRequest::transfer(bob(), U256::from(1)))
        .await
        .unwrap();
    check(op.nonce, 2);
    sender.wait_confirmed("b").await.unwrap();
    check(anvil.nonce(dev_address()).await, 3);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn pending_transactions_the_journal_does_not_know_stop_it_until_they_are_mined() {
    let anvil = Anvil::start_no_mining();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.sqlite");
    // Sent with another (or a deleted) nonce journal: in the pool, not mined yet.
    let other = json!({"from": dev_address().to_string(), "to": BOB, "value": "0x2"});
    anvil.rpc("eth_sendTransaction", json!([other])).await;
    let signer = || evm_sender::Signer::from_hex(common::DEV_KEY).unwrap();
    let opened = EvmSender::open(anvil.config(), anvil.client.clone(), signer(), &journal).await;
    check(
        matches!(opened, Err(Error::UnknownPending { from: 0, to: 1, .. })),
        true,
    );
    anvil.rpc("evm_mine", json!([])).await;
    let sender = EvmSender::open(anvil.config(), anvil.client.clone(), signer(), &journal)
        .await
        .unwrap();
    let op = sender
        .prepare("a", TxRequest::transfer(bob(), U256::from(1)))
        .await
        .unwrap();
    check(op.nonce, 1);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_fee_bump_replaces_with_the_same_nonce_and_a_journaled_higher_price() {
    let anvil = Anvil::start_no_mining();
    let dir = tempfile::tempdir().unwrap();
    let mut config = anvil.config();
    config.fee_bump = Some(FeeBump {
        after: Duration::ZERO,
        bump_bps: 1_250,
        max_gas_price_wei: 100 * GWEI,
    });
    let sender = anvil
        .sender_with(config, &dir.path().join("j.sqlite"))
        .await;
    let before = anvil.balance(BOB).await;
    let op = sender
        .submit("pay", TxRequest::transfer(bob(), U256::from(3)))
        .await
        .unwrap();
    // A few rounds without a block: each one replaces the transaction.
    let _ = tokio::time::timeout(Duration::from_millis(100), sender.wait_confirmed("pay")).await;
    let done = anvil
        .while_mining(sender.wait_confirmed("pay"))
        .await
        .unwrap();
    check(done.tx_hash != op.tx_hash, true);
    check(anvil.nonce(dev_address()).await, 1);
    check(anvil.balance(BOB).await - before, U256::from(3));
}
