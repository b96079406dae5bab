//! The devnet serves exactly the protocol crate's method table (`luxtensor_protocol::METHODS`):
//! no method of the table is missing, none is served beside it.

use crate::support;

use std::collections::BTreeSet;

use luxtensor_devnet::{rpc::rpc_module, Ledger, LedgerPath, DEFAULT_CHAIN_ID, DEFAULT_MAX_SUPPLY};
use luxtensor_protocol::METHODS;
use serde_json::json;
use support::start;

/// JSON-RPC's "method not found".
const METHOD_NOT_FOUND: i64 = -32601;

#[test]
fn the_devnet_registers_exactly_the_protocol_method_table() {
    let ledger = Ledger::open(&LedgerPath::Memory, DEFAULT_MAX_SUPPLY, DEFAULT_CHAIN_ID)
        .expect("an in-memory ledger");
    let module = rpc_module(ledger).expect("the module builds");
    let served: BTreeSet<&str> = module.method_names().collect();
    let table: BTreeSet<&str> = METHODS.iter().map(|m| m.name).collect();
    assert_eq!(served, table);
}

#[tokio::test]
async fn every_method_of_the_protocol_table_is_answered_over_http() {
    let (_devnet, rpc) = start(|_| {}).await;
    for method in METHODS {
        let response = rpc.call(method.name, json!([])).await;
        assert_ne!(
            response["error"]["code"].as_i64(),
            Some(METHOD_NOT_FOUND),
            "{}: {response}",
            method.name
        );
    }
}
