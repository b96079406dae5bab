//! The dump: `StandardMerkleTree.dump()`'s JSON, loaded back only when every part agrees.

use alloy_primitives::U256;
use claims_tree::{leaf_hash, node_hash, ClaimsTree, TreeError};
use serde_json::{json, Value};

use crate::support::{account, readme_values, tree, values};

/// Loads `dump`, expecting a refusal that names `field`.
#[track_caller]
fn check_refused(dump: &Value, field: &str) {
    match ClaimsTree::load(dump) {
        Err(TreeError::Dump { field: named, .. }) => assert_eq!(named, field, "{dump}"),
        other => panic!("expected a dump error at {field}, got {other:?}"),
    }
}

#[test]
fn the_dump_is_the_librarys_dump_of_the_same_values() {
    // StandardMerkleTree.of(<the two README values>, ["address", "uint256"]).dump()
    let expected = json!({
        "format": "standard-v1",
        "leafEncoding": ["address", "uint256"],
        "tree": [
            "0xd4dee0beab2d53f2cc83e567171bd2820e49898130a22622b10ead383e90bd77",
            "0xeb02c421cfa48976e66dfb29120745909ea3a0f843456c263cf8f1253483e283",
            "0xb92c48e9d7abe27fd8dfd6b5dfdbfb1c9a463f80c712b66f3a5180a090cccafc"
        ],
        "values": [
            {"value": ["0x1111111111111111111111111111111111111111", "5000000000000000000"], "treeIndex": 1},
            {"value": ["0x2222222222222222222222222222222222222222", "2500000000000000000"], "treeIndex": 2}
        ]
    });
    assert_eq!(tree(&readme_values()).dump(), expected);
}

#[test]
fn a_loaded_dump_is_the_tree_that_was_dumped() {
    for size in [1, 2, 3, 7, 100] {
        let built = tree(&values(size));
        let loaded = ClaimsTree::load(&built.dump()).unwrap_or_else(|e| panic!("{size}: {e}"));
        assert_eq!(loaded, built, "{size} leaves");
    }
}

#[test]
fn a_dump_with_hex_or_integer_amounts_loads() {
    let mut dump = tree(&readme_values()).dump();
    dump["values"][0]["value"] = json!([
        "0x1111111111111111111111111111111111111111",
        "0x4563918244f40000"
    ]);
    dump["values"][1]["value"] = json!([
        "0x2222222222222222222222222222222222222222",
        2_500_000_000_000_000_000u64
    ]);
    assert_eq!(ClaimsTree::load(&dump).ok(), Some(tree(&readme_values())));
}

#[test]
fn a_changed_amount_is_refused() {
    let mut dump = tree(&values(7)).dump();
    dump["values"][3]["value"][1] = json!("1");
    check_refused(&dump, "values[3]");
}

#[test]
fn a_changed_inner_node_is_refused() {
    let mut dump = tree(&values(7)).dump();
    dump["tree"][1] = json!(format!("0x{}", "00".repeat(32)));
    check_refused(&dump, "tree[1]");
}

#[test]
fn a_tree_index_of_an_inner_node_is_refused() {
    let mut dump = tree(&values(7)).dump();
    dump["values"][0]["treeIndex"] = json!(0);
    check_refused(&dump, "values[0].treeIndex");
}

#[test]
fn two_values_on_one_leaf_are_refused() {
    let mut dump = tree(&values(7)).dump();
    dump["values"][1]["treeIndex"] = dump["values"][0]["treeIndex"].clone();
    check_refused(&dump, "values[1].treeIndex");
}

#[test]
fn a_missing_node_is_refused() {
    let mut dump = tree(&values(7)).dump();
    dump["tree"].as_array_mut().map(Vec::pop);
    check_refused(&dump, "tree");
}

#[test]
fn another_format_or_leaf_encoding_is_refused() {
    let mut dump = tree(&values(3)).dump();
    dump["format"] = json!("simple-v1");
    check_refused(&dump, "format");
    let mut dump = tree(&values(3)).dump();
    dump["leafEncoding"] = json!(["address", "uint128"]);
    check_refused(&dump, "leafEncoding");
}

#[test]
fn a_malformed_hash_or_address_is_refused() {
    let mut dump = tree(&values(3)).dump();
    dump["tree"][2] = json!("0x1234");
    check_refused(&dump, "tree[2]");
    let mut dump = tree(&values(3)).dump();
    dump["values"][2]["value"][0] = json!("0x12");
    check_refused(&dump, "values[2].value[0]");
    let mut dump = tree(&values(3)).dump();
    dump["values"][2]["value"][1] = json!("-5");
    check_refused(&dump, "values[2].value[1]");
}

#[test]
fn a_consistent_dump_with_a_repeated_account_is_refused() {
    // Hashes all agree (the library itself would load it), but one account has two leaves.
    let who = account(0x11);
    let (one, two) = (leaf_hash(who, U256::from(1)), leaf_hash(who, U256::from(2)));
    let dump = json!({
        "format": "standard-v1",
        "leafEncoding": ["address", "uint256"],
        "tree": [node_hash(&one, &two), one, two],
        "values": [
            {"value": [who, "1"], "treeIndex": 1},
            {"value": [who, "2"], "treeIndex": 2}
        ]
    });
    match ClaimsTree::load(&dump) {
        Err(TreeError::DuplicateAccount { account: named }) => assert_eq!(named, who),
        other => panic!("expected DuplicateAccount, got {other:?}"),
    }
}
