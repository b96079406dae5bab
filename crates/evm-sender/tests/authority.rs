//! The chain, not the journal, decides on a real anvil: operations the journal holds as
//! mined but whose blocks a reorg took (a nonce gap later nonces would wait behind) are
//! sent again with their journaled bytes, and a node serving another chain with the same
//! chain id is refused before anything is sent.

use crate::common;

use std::time::Duration;

use common::{bob, check, dev_address, Anvil, BOB};
use evm_sender::{Error, EvmSender, Signer, TxRequest, U256};
use serde_json::json;

/// The tests' config, giving up after `seconds` of waiting (a gap would wait forever).
fn patient(anvil: &Anvil, seconds: u64) -> evm_sender::SenderConfig {
    let mut config = anvil.config();
    config.confirm_timeout = Some(Duration::from_secs(seconds));
    config
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn operations_a_reorg_took_are_sent_again_while_a_later_one_is_waited_for() {
    let anvil = Anvil::start_no_mining();
    let dir = tempfile::tempdir().unwrap();
    let sender = anvil
        .sender_with(patient(&anvil, 10), &dir.path().join("j.sqlite"))
        .await;
    let before = anvil.balance(BOB).await;
    let a = sender
        .submit("a", TxRequest::transfer(bob(), U256::from(1)))
        .await
        .unwrap();
    sender
        .submit("b", TxRequest::transfer(bob(), U256::from(2)))
        .await
        .unwrap();
    anvil.mine().await;
    sender.wait_confirmed("a").await.unwrap();
    sender.wait_confirmed("b").await.unwrap();
    sender
        .submit("c", TxRequest::transfer(bob(), U256::from(4)))
        .await
        .unwrap();
    // The block holding a and b is replaced by an empty one: nonces 0 and 1 are free
    // again, and c (nonce 2) waits behind them.
    anvil.rpc("anvil_reorg", json!([1, []])).await;
    check(anvil.nonce(dev_address()).await, 0);

    let done = anvil.while_mining(sender.wait_confirmed("c")).await;
    check(done.map(|_| ()).map_err(|e| e.to_string()), Ok(()));
    check(sender.wait_confirmed("a").await.unwrap().tx_hash, a.tx_hash);
    check(anvil.nonce(dev_address()).await, 3);
    check(anvil.balance(BOB).await - before, U256::from(7));
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_nonce_gap_found_at_open_is_filled_before_the_next_operation() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.sqlite");
    let before = anvil.balance(BOB).await;
    let b = {
        let sender = anvil.sender(&journal).await;
        for (op, amount) in [("a", 1u64), ("b", 2)] {
            sender
                .submit(op, TxRequest::transfer(bob(), U256::from(amount)))
                .await
                .unwrap();
            sender.wait_confirmed(op).await.unwrap();
        }
        sender.wait_confirmed("b").await.unwrap()
    };
    anvil.rpc("anvil_reorg", json!([1, []])).await; // b's block is gone
    check(anvil.nonce(dev_address()).await, 1);

    let sender = anvil.sender_with(patient(&anvil, 10), &journal).await;
    sender
        .submit("c", TxRequest::transfer(bob(), U256::from(4)))
        .await
        .unwrap();
    let done = sender.wait_confirmed("c").await;
    check(done.map(|_| ()).map_err(|e| e.to_string()), Ok(()));
    check(sender.wait_confirmed("b").await.unwrap().tx_hash, b.tx_hash);
    check(anvil.nonce(dev_address()).await, 3);
    check(anvil.balance(BOB).await - before, U256::from(7));
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_journal_opened_on_another_chain_with_the_same_chain_id_is_refused_naming_it() {
    let first = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.sqlite");
    {
        let sender = first.sender(&journal).await;
        sender
            .submit("a", TxRequest::transfer(bob(), U256::from(1)))
            .await
            .unwrap();
        sender.wait_confirmed("a").await.unwrap();
    }
    drop(first);
    // Another anvil: the same chain id and accounts, an empty chain (as a node restarted
    // empty at the same URL; the journal does not record the URL). Anvil's block 0 depends
    // on its start time in seconds: another genesis timestamp makes sure it differs.
    let second = Anvil::start_with(evm_sender::anvil::AnvilConfig {
        args: vec!["--timestamp".into(), "1000000000".into()],
        ..Default::default()
    });
    let opened = EvmSender::open(
        second.config(),
        second.client.clone(),
        Signer::from_hex(common::DEV_KEY).unwrap(),
        &journal,
    )
    .await;
    let error = opened.map(|_| ()).unwrap_err();
    check(matches!(error, Error::OtherChain { .. }), true);
    check(error.to_string().contains("j.sqlite"), true);
    check(second.nonce(dev_address()).await, 0);
}
