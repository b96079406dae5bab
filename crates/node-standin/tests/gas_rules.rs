//! Behaviour 4: the intrinsic gas rule (21,000 + 68 per calldata byte: below it, a hash and
//! never mined), estimates and calls that hide reverts, a gas price below the pool's minimum.

use node_standin::{intrinsic_gas, StandInConfig, GWEI, HIDDEN_REVERT_ESTIMATE};
use serde_json::{json, Value};

use crate::support::{
    call, check, error_code, error_message, mine, nonce, quantity, send, sender, sent, stand_in,
    stand_in_no_mining, tx, Tx, GWEI_HALF, REVERTING_INIT_CODE,
};

fn config() -> StandInConfig {
    StandInConfig {
        intrinsic_gas: true,
        estimates_hide_reverts: true,
        low_gas_price: true,
        ..StandInConfig::default()
    }
}

#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
#[tokio::test]
async fn a_gas_limit_below_the_intrinsic_gas_is_answered_its_hash_and_never_mined() {
    let stand_in = stand_in_no_mining(config()).await;
    let data = vec![0u8; 10];
    check(intrinsic_gas(data.len()), 21_680);
    let short = Tx {
        gas_limit: 21_679,
        data: data.clone(),
        ..tx(0)
    };
    let hash = sent(stand_in.url(), &short).await;
    mine(&stand_in).await;
    let receipt = call(stand_in.url(), "eth_getTransactionReceipt", json!([hash])).await;
    check(receipt, Value::Null);
    check(nonce(stand_in.node_url(), "latest").await, 0);
    check(stand_in.counters().swallowed_intrinsic_gas, 1);
    let enough = Tx {
        gas_limit: 21_680,
        data,
        ..tx(0)
    };
    sent(stand_in.url(), &enough).await;
    check(nonce(stand_in.node_url(), "pending").await, 1);
}

#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
#[tokio::test]
async fn an_estimate_of_a_reverting_call_is_a_plain_transfers_gas() {
    let stand_in = stand_in(config()).await;
    let creation = json!([{"from": sender(), "data": REVERTING_INIT_CODE}]);
    let estimate = quantity(stand_in.url(), "eth_estimateGas", creation).await;
    check(estimate, HIDDEN_REVERT_ESTIMATE);
}

#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
#[tokio::test]
async fn a_reverting_call_answers_empty_data() {
    let stand_in = stand_in(config()).await;
    let creation = json!([{"from": sender(), "data": REVERTING_INIT_CODE}, "latest"]);
    check(
        call(stand_in.url(), "eth_call", creation).await,
        json!("0x"),
    );
}

#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
#[tokio::test]
async fn the_gas_price_answered_is_below_the_pools_minimum() {
    let stand_in = stand_in(config()).await;
    let price = quantity(stand_in.url(), "eth_gasPrice", json!([])).await;
    check(u128::from(price) < GWEI, true);
}

#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
#[tokio::test]
async fn a_gas_price_below_one_gwei_is_refused() {
    let stand_in = stand_in(config()).await;
    let cheap = Tx {
        gas_price: GWEI_HALF,
        ..tx(0)
    };
    let refused = send(stand_in.url(), &cheap).await;
    check(error_code(&refused), Some(-32603));
    check(
        error_message(&refused),
        format!("Mempool rejected transaction: Gas price too low: {GWEI_HALF} (min: {GWEI})"),
    );
    check(stand_in.counters().refused_low_gas_price, 1);
    sent(
        stand_in.url(),
        &Tx {
            gas_price: GWEI,
            ..tx(0)
        },
    )
    .await;
}
