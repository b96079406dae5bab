//! `StandInConfig::luxtensor()`: every behaviour at once still mines a transaction that
//! keeps the node's rules.

use node_standin::{StandInConfig, ZERO_HASH};
use serde_json::json;

use crate::support::{call, check, nonce, receipt_once_mined, sent, stand_in, tx};

#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
#[tokio::test]
async fn every_behaviour_at_once_mines_a_transaction_within_the_nodes_rules() {
    let stand_in = stand_in(StandInConfig::luxtensor()).await;
    let hash = sent(stand_in.url(), &tx(0)).await;
    let mined = receipt_once_mined(stand_in.node_url(), &hash).await;
    let receipt = call(stand_in.url(), "eth_getTransactionReceipt", json!([hash])).await;
    check(receipt["status"].clone(), json!("0x1"));
    check(receipt["blockHash"] == mined["blockHash"], false);
    let block = call(
        stand_in.url(),
        "eth_getBlockByNumber",
        json!(["latest", false]),
    )
    .await;
    check(block["hash"].clone(), json!(ZERO_HASH));
    check(nonce(stand_in.url(), "pending").await, 1);
    check(stand_in.counters().dropped(), 0);
}
