//! Living within a node's limits, against a real anvil (through a counting proxy where the
//! rule is about what the sender asks): pending transactions per sender, gas in flight per
//! block, gas limits the node will mine, no `pending` nonce after open, and a resend only
//! when the node lost the transaction.

use crate::common;

use std::time::Duration;

use common::counting::Counting;
use common::{bob, check, dev_address, Anvil, DEV_KEY};
use evm_sender::anvil::AnvilConfig;
use evm_sender::{Bytes, Error, EvmSender, SenderConfig, Signer, TxRequest, U256};
use serde_json::{json, Value};

/// The tests' config, giving up on waiting after `ms` (nothing is mined without a block).
fn impatient(anvil: &Anvil, ms: u64) -> SenderConfig {
    let mut config = anvil.config();
    config.confirm_timeout = Some(Duration::from_millis(ms));
    config
}

/// A sender whose calls go through `url` (a proxy in front of anvil).
async fn sender_via(url: &str, config: SenderConfig, journal: &std::path::Path) -> EvmSender {
    let signer = Signer::from_hex(DEV_KEY).unwrap();
    EvmSender::open(config, common::client(url), signer, journal)
        .await
        .expect("sender opens")
}

fn pay(n: u64) -> TxRequest {
    TxRequest::transfer(bob(), U256::from(n))
}

/// The gas limit the node holds for `op`'s transaction.
async fn gas_of(anvil: &Anvil, tx_hash: evm_sender::B256) -> u64 {
    let tx = anvil
        .rpc("eth_getTransactionByHash", json!([tx_hash.to_string()]))
        .await;
    u64::from_str_radix(tx["gas"].as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn beyond_max_pending_unmined_transactions_a_new_operation_waits_and_sends_nothing() {
    let anvil = Anvil::start_no_mining();
    let dir = tempfile::tempdir().unwrap();
    let mut config = impatient(&anvil, 200);
    config.max_pending = 2;
    let sender = anvil
        .sender_with(config, &dir.path().join("j.sqlite"))
        .await;
    sender.submit("a", pay(1)).await.unwrap();
    sender.submit("b", pay(2)).await.unwrap();
    let third = sender.submit("c", pay(3)).await;
    check(
        matches!(
            third,
            Err(Error::NoRoom {
                pending: 2,
                max_pending: 2,
                ..
            })
        ),
        true,
    );
    check(sender.journaled_confirmation("c").unwrap(), None);
    anvil.mine().await; // a and b mined: room again
    check(sender.submit("c", pay(3)).await.unwrap().nonce, 2);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn gas_in_flight_stays_within_the_block_gas_limit_the_node_reports() {
    let anvil = Anvil::start_with(AnvilConfig {
        no_mining: true,
        args: vec!["--gas-limit".into(), "100000".into()],
        ..AnvilConfig::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let sender = anvil
        .sender_with(impatient(&anvil, 200), &dir.path().join("j.sqlite"))
        .await;
    // 25,200 gas each (21,000 with the 1.2 margin): three fit 100,000, a fourth does not.
    for n in 0..3 {
        sender.submit(&format!("pay{n}"), pay(n)).await.unwrap();
    }
    let fourth = sender.submit("pay3", pay(3)).await;
    check(
        matches!(
            fourth,
            Err(Error::NoRoom {
                pending: 3,
                gas_in_flight: 75_600,
                block_gas_limit: 100_000,
                ..
            })
        ),
        true,
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_transaction_that_could_never_fit_a_block_is_refused_before_journaling() {
    let anvil = Anvil::start_with(AnvilConfig {
        args: vec!["--gas-limit".into(), "100000".into()],
        ..AnvilConfig::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let sender = anvil.sender(&dir.path().join("j.sqlite")).await;
    let refused = sender.submit("big", pay(1).with_gas_limit(200_000)).await;
    check(
        refused.map(|_| ()).map_err(|e| e.to_string()),
        Err(
            "operation big needs a gas limit of 200000, above the block gas limit 100000: \
             it could never be mined; nothing was sent"
                .into(),
        ),
    );
    check(anvil.nonce(dev_address()).await, 0);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_gas_limit_is_at_least_21000_plus_68_per_calldata_byte() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let sender = anvil.sender(&dir.path().join("j.sqlite")).await;
    // 1,000 zero bytes to an account without code: anvil estimates 25,000 (4 per zero byte).
    let data = Bytes::from(vec![0u8; 1_000]);
    let estimated = sender
        .submit("estimated", TxRequest::call(bob(), data.clone()))
        .await
        .unwrap();
    let fixed = sender
        .submit("fixed", TxRequest::call(bob(), data).with_gas_limit(30_000))
        .await
        .unwrap();
    sender.confirm_all().await.unwrap();
    check(
        (
            gas_of(&anvil, estimated.tx_hash).await,
            gas_of(&anvil, fixed.tx_hash).await,
        ),
        (89_000, 89_000),
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn after_open_new_operations_never_ask_for_the_pending_nonce() {
    let anvil = Anvil::start();
    let proxy = Counting::start(&anvil.url).await;
    let dir = tempfile::tempdir().unwrap();
    let sender = sender_via(&proxy.url, anvil.config(), &dir.path().join("j.sqlite")).await;
    for n in 0..3 {
        sender.submit(&format!("pay{n}"), pay(n)).await.unwrap();
    }
    sender.confirm_all().await.unwrap();
    let pending_tag = |params: &Value| params[1] == json!("pending");
    check(proxy.count("eth_getTransactionCount", pending_tag), 1);
    check(anvil.nonce(dev_address()).await, 3);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_transaction_is_sent_again_only_once_the_node_lost_it_never_on_every_poll() {
    let anvil = Anvil::start_no_mining();
    let proxy = Counting::start(&anvil.url).await;
    let dir = tempfile::tempdir().unwrap();
    let sender = sender_via(&proxy.url, anvil.config(), &dir.path().join("j.sqlite")).await;
    let op = sender.submit("pay", pay(9)).await.unwrap();
    // Polls every 20 ms without a block: the node knows the transaction, nothing is resent.
    let waited = tokio::time::timeout(Duration::from_millis(300), sender.wait_confirmed("pay"));
    check(waited.await.is_err(), true);
    let sends = || proxy.count("eth_sendRawTransaction", |_| true);
    check(sends(), 1);
    anvil
        .rpc("anvil_dropTransaction", json!([op.tx_hash.to_string()]))
        .await;
    let done = anvil.while_mining(sender.wait_confirmed("pay")).await;
    check((done.unwrap().tx_hash, sends()), (op.tx_hash, 2));
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn an_estimate_below_the_intrinsic_gas_is_checked_with_eth_call_and_a_revert_journals_nothing(
) {
    let anvil = Anvil::start();
    // A node whose estimate never reports a revert.
    let proxy = Counting::answering(&anvil.url, vec![("eth_estimateGas", json!("0x5208"))]).await;
    let dir = tempfile::tempdir().unwrap();
    let sender = sender_via(&proxy.url, anvil.config(), &dir.path().join("j.sqlite")).await;
    let init: Bytes = common::REVERTER_INIT.parse().unwrap();
    let reverter = sender
        .submit("deploy", TxRequest::deploy(init).with_gas_limit(100_000))
        .await
        .unwrap();
    let reverter = sender.wait_confirmed(&reverter.op_id).await.unwrap();
    let call = TxRequest::call(reverter.contract_address.unwrap(), vec![1u8; 100]);
    let refused = sender.submit("call", call).await;
    check(matches!(refused, Err(Error::WouldRevert { .. })), true);
    check(
        (
            proxy.count("eth_sendRawTransaction", |_| true),
            anvil.nonce(dev_address()).await,
        ),
        (1, 1),
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_view_answering_0x_is_the_typed_no_data_error() {
    let anvil = Anvil::start();
    let reader = evm_sender::EvmReader::new(anvil.client.clone(), 1);
    let answer = reader.call_for_data(bob(), vec![0x12u8; 4], None).await;
    check(
        answer.map_err(|e| e.to_string()),
        Err(format!(
            "the call of {} at block latest returned no data: it reverted, or {} has no such \
             view (no contract there?)",
            bob(),
            bob()
        )),
    );
}
