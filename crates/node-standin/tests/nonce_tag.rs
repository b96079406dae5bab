//! Behaviour 6: `eth_getTransactionCount` ignores the block tag.

use node_standin::StandInConfig;

use crate::support::{check, nonce, sent, stand_in_no_mining, tx};

#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
#[tokio::test]
async fn the_pending_nonce_is_the_latest_one() {
    let stand_in = stand_in_no_mining(StandInConfig {
        tagless_nonce: true,
        ..StandInConfig::default()
    })
    .await;
    sent(stand_in.url(), &tx(0)).await;
    check(nonce(stand_in.node_url(), "pending").await, 1);
    check(nonce(stand_in.url(), "pending").await, 0);
    check(nonce(stand_in.url(), "latest").await, 0);
}
