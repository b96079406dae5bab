//! Behaviour 1: every block has a zero hash, a receipt names a block no stored block is, and
//! a transaction still pending has a made-up receipt.

use node_standin::{StandInConfig, ZERO_HASH};
use serde_json::{json, Value};

use crate::support::{call, check, receipt_once_mined, sent, stand_in, stand_in_no_mining, tx};

fn config() -> StandInConfig {
    StandInConfig {
        zero_block_hashes: true,
        ..StandInConfig::default()
    }
}

#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
#[tokio::test]
async fn a_block_answers_a_zero_hash_and_parent_hash() {
    let stand_in = stand_in(config()).await;
    let hash = sent(stand_in.url(), &tx(0)).await;
    receipt_once_mined(stand_in.url(), &hash).await;
    let block = call(
        stand_in.url(),
        "eth_getBlockByNumber",
        json!(["latest", false]),
    )
    .await;
    check(block["number"].clone(), json!("0x1"));
    check(block["hash"].clone(), json!(ZERO_HASH));
    check(block["parentHash"].clone(), json!(ZERO_HASH));
    let real = call(
        stand_in.node_url(),
        "eth_getBlockByNumber",
        json!(["latest", false]),
    )
    .await;
    let by_hash = call(
        stand_in.url(),
        "eth_getBlockByHash",
        json!([real["hash"], false]),
    )
    .await;
    check(by_hash["hash"].clone(), json!(ZERO_HASH));
}

#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
#[tokio::test]
async fn a_receipt_names_a_block_hash_that_no_stored_block_has() {
    let stand_in = stand_in(config()).await;
    let hash = sent(stand_in.url(), &tx(0)).await;
    let receipt = receipt_once_mined(stand_in.url(), &hash).await;
    check(receipt["status"].clone(), json!("0x1"));
    let block_hash = receipt["blockHash"].clone();
    let canonical = call(
        stand_in.node_url(),
        "eth_getBlockByNumber",
        json!([receipt["blockNumber"], false]),
    )
    .await;
    check(block_hash == canonical["hash"], false);
    let stored = call(
        stand_in.url(),
        "eth_getBlockByHash",
        json!([block_hash, false]),
    )
    .await;
    check(stored, Value::Null);
}

#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
#[tokio::test]
async fn a_pending_transaction_has_a_made_up_receipt_with_status_1() {
    let stand_in = stand_in_no_mining(StandInConfig {
        fabricated_receipts: true,
        ..StandInConfig::default()
    })
    .await;
    let hash = sent(stand_in.url(), &tx(0)).await;
    let params = json!([hash]);
    check(
        call(
            stand_in.node_url(),
            "eth_getTransactionReceipt",
            params.clone(),
        )
        .await,
        Value::Null,
    );
    let receipt = call(stand_in.url(), "eth_getTransactionReceipt", params).await;
    check(receipt["status"].clone(), json!("0x1"));
    check(receipt["blockHash"].clone(), json!(ZERO_HASH));
    check(receipt["blockNumber"].clone(), json!("0x0"));
}
