//! `StandInConfig::default()`: a transparent proxy, every answer as anvil gives it.

use node_standin::StandInConfig;
use serde_json::json;

use crate::support::{
    answer, call, check, nonce, send, sender, sent, stand_in_no_mining, tx, Tx, REVERTING_INIT_CODE,
};

#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
#[tokio::test]
async fn the_default_config_changes_no_answer() {
    let stand_in = stand_in_no_mining(StandInConfig::default()).await;
    let (url, node) = (stand_in.url(), stand_in.node_url());
    for n in 0..17 {
        sent(url, &tx(n)).await;
    }
    let under_intrinsic = Tx {
        gas_limit: 20_999,
        ..tx(17)
    };
    check(
        send(url, &under_intrinsic).await.get("error").is_some(),
        true,
    );
    check(nonce(url, "pending").await, 17);
    call(node, "evm_mine", json!([])).await;
    let block = json!(["latest", false]);
    check(
        call(url, "eth_getBlockByNumber", block.clone()).await,
        call(node, "eth_getBlockByNumber", block).await,
    );
    let creation = json!([{"from": sender(), "data": REVERTING_INIT_CODE}]);
    check(
        answer(url, "eth_call", creation.clone())
            .await
            .get("error")
            .is_some(),
        true,
    );
    check(
        answer(url, "eth_estimateGas", creation)
            .await
            .get("error")
            .is_some(),
        true,
    );
    check(
        call(url, "eth_gasPrice", json!([])).await,
        call(node, "eth_gasPrice", json!([])).await,
    );
    check(stand_in.counters().dropped(), 0);
}
