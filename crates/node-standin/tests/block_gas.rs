//! Behaviour 5: a transaction that does not fit what is left of the block's 30M gas is
//! executed but left out: its nonce is used, it is never mined, it has no receipt.

use node_standin::StandInConfig;
use serde_json::{json, Value};

use crate::support::{call, check, mine, nonce, sent, stand_in_no_mining, tx, Tx};

#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
#[tokio::test]
async fn a_transaction_past_the_blocks_gas_is_left_out_with_its_nonce_used() {
    let stand_in = stand_in_no_mining(StandInConfig {
        block_gas_overflow: true,
        ..StandInConfig::default()
    })
    .await;
    let big = |nonce| Tx {
        gas_limit: 10_000_000,
        ..tx(nonce)
    };
    let mut hashes = Vec::new();
    for n in 0..4 {
        hashes.push(sent(stand_in.url(), &big(n)).await);
    }
    check(stand_in.counters().left_out_block_gas, 1);
    mine(&stand_in).await;
    check(nonce(stand_in.url(), "latest").await, 4);
    let receipt = |hash: &String| call(stand_in.url(), "eth_getTransactionReceipt", json!([hash]));
    check(receipt(&hashes[2]).await["status"].clone(), json!("0x1"));
    check(receipt(&hashes[3]).await, Value::Null);
    let next = sent(stand_in.url(), &big(4)).await;
    mine(&stand_in).await;
    check(receipt(&next).await["status"].clone(), json!("0x1"));
}

#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
#[tokio::test]
async fn a_later_nonce_sent_before_the_left_out_one_is_used_is_mined_after_it() {
    let stand_in = stand_in_no_mining(StandInConfig {
        block_gas_overflow: true,
        block_gas_limit: 25_000_000,
        ..StandInConfig::default()
    })
    .await;
    let big = |nonce| Tx {
        gas_limit: 10_000_000,
        ..tx(nonce)
    };
    for n in 0..3 {
        sent(stand_in.url(), &big(n)).await;
    }
    let later = sent(stand_in.url(), &tx(3)).await;
    check(stand_in.counters().left_out_block_gas, 1);
    mine(&stand_in).await;
    check(nonce(stand_in.url(), "latest").await, 3);
    mine(&stand_in).await;
    let receipt = call(stand_in.url(), "eth_getTransactionReceipt", json!([later])).await;
    check(receipt["status"].clone(), json!("0x1"));
}
