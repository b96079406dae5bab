//! Behaviour 2: 16 pending transactions per sender; a slot comes back when its transaction
//! is mined with status 1, else only when it expires (30 minutes).

use std::time::Duration;

use node_standin::StandInConfig;

use crate::support::{
    check, error_code, error_message, mine, receipt_once_mined, send, sent, stand_in,
    stand_in_no_mining, tx, Tx, REVERTING_INIT_CODE,
};

fn config() -> StandInConfig {
    StandInConfig {
        sender_slots: true,
        ..StandInConfig::default()
    }
}

#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
#[tokio::test]
async fn a_seventeenth_pending_transaction_of_a_sender_is_refused() {
    let stand_in = stand_in_no_mining(config()).await;
    for nonce in 0..16 {
        sent(stand_in.url(), &tx(nonce)).await;
    }
    let refused = send(stand_in.url(), &tx(16)).await;
    check(error_code(&refused), Some(-32603));
    check(
        error_message(&refused).ends_with("has reached limit of 16 pending transactions"),
        true,
    );
    check(stand_in.counters().refused_sender_limit, 1);
}

#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
#[tokio::test]
async fn a_transaction_mined_with_status_1_gives_its_slot_back() {
    let stand_in = stand_in_no_mining(config()).await;
    for nonce in 0..16 {
        sent(stand_in.url(), &tx(nonce)).await;
    }
    mine(&stand_in).await;
    for nonce in 16..32 {
        sent(stand_in.url(), &tx(nonce)).await;
    }
    check(
        error_code(&send(stand_in.url(), &tx(32)).await),
        Some(-32603),
    );
}

#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
#[tokio::test(start_paused = true)]
async fn a_resent_duplicate_keeps_its_slot_until_it_expires() {
    let stand_in = stand_in(config()).await;
    let first = tx(0);
    sent(stand_in.url(), &first).await;
    for _ in 0..16 {
        // Mined already: anvil refuses it, and the slot is taken all the same.
        send(stand_in.url(), &first).await;
    }
    check(
        error_code(&send(stand_in.url(), &tx(1)).await),
        Some(-32603),
    );
    tokio::time::advance(Duration::from_secs(30 * 60 - 1)).await;
    check(
        error_code(&send(stand_in.url(), &tx(1)).await),
        Some(-32603),
    );
    tokio::time::advance(Duration::from_secs(1)).await;
    sent(stand_in.url(), &tx(1)).await;
}

#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
#[tokio::test]
async fn a_reverted_transaction_keeps_its_slot() {
    let stand_in = stand_in(config()).await;
    let reverting = |nonce| Tx {
        to: None,
        gas_limit: 100_000,
        data: alloy_primitives::hex::decode(REVERTING_INIT_CODE).unwrap(),
        ..tx(nonce)
    };
    let mut last = String::new();
    for nonce in 0..16 {
        last = sent(stand_in.url(), &reverting(nonce)).await;
    }
    let receipt = receipt_once_mined(stand_in.node_url(), &last).await;
    check(receipt["status"].as_str(), Some("0x0"));
    check(
        error_code(&send(stand_in.url(), &tx(16)).await),
        Some(-32603),
    );
}
