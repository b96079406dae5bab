//! Proof files: `tree.json` and the per-byte shards, written whole and read back checked.

use std::fs;
use std::path::Path;

use alloy_primitives::{Address, U256};
use claims_tree::{read_account_proof, AccountProof, ClaimsTree, TreeError};
use serde_json::Value;

use crate::support::{account, tree, values};

#[track_caller]
fn read(dir: &Path, who: Address) -> Option<AccountProof> {
    read_account_proof(dir, who).unwrap_or_else(|e| panic!("reading {who}: {e}"))
}

#[track_caller]
fn json(path: &Path) -> Value {
    let text = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_account_reads_back_its_amount_and_proof() {
    let dir = tempfile::tempdir().unwrap();
    let values = values(300);
    let built = tree(&values);
    let written = built.write_proofs(dir.path()).unwrap();
    assert_eq!((written.root, written.accounts), (built.root(), 300));
    for (who, amount) in values {
        let read = read(dir.path(), who).unwrap_or_else(|| panic!("{who} missing"));
        assert_eq!(read.root, built.root());
        assert_eq!(read.proof, built.proof(who).unwrap());
        assert_eq!(read.proof.amount, amount);
    }
}

#[test]
fn tree_json_is_the_dump() {
    let dir = tempfile::tempdir().unwrap();
    let built = tree(&values(20));
    built.write_proofs(dir.path()).unwrap();
    assert_eq!(json(&dir.path().join("tree.json")), built.dump());
}

#[test]
fn a_shard_holds_the_root_and_its_byte_s_accounts_in_lowercase_hex_and_decimal() {
    let dir = tempfile::tempdir().unwrap();
    let who = Address::repeat_byte(0xab);
    let built = tree(&[(who, U256::from(1500)), (account(0x01), U256::from(7))]);
    let written = built.write_proofs(dir.path()).unwrap();
    let shard = json(&dir.path().join("accounts/ab.json"));
    let key = format!("0x{}", "ab".repeat(20));
    assert_eq!(shard["root"], Value::String(built.root().to_string()));
    assert_eq!(shard["accounts"][&key]["amount"], "1500");
    let proof = built.proof(who).unwrap().siblings;
    assert_eq!(
        shard["accounts"][&key]["proof"],
        serde_json::to_value(proof).unwrap()
    );
    assert_eq!(shard["accounts"].as_object().map(|a| a.len()), Some(1));
    assert_eq!(written.shards, 2);
    let on_disk: u64 = ["tree.json", "accounts/ab.json", "accounts/01.json"]
        .iter()
        .map(|f| fs::metadata(dir.path().join(f)).unwrap().len())
        .sum();
    assert_eq!(written.bytes, on_disk);
}

#[test]
fn an_account_without_a_leaf_reads_as_none() {
    let dir = tempfile::tempdir().unwrap();
    tree(&[
        (account(0x11), U256::from(1)),
        (account(0x12), U256::from(2)),
    ])
    .write_proofs(dir.path())
    .unwrap();
    // Same first byte as a written shard, and a byte with no shard at all.
    let same_byte = Address::left_padding_from(&[0x11]);
    assert_eq!(read(dir.path(), same_byte), None);
    assert_eq!(read(dir.path(), account(0x99)), None);
}

#[test]
fn a_directory_without_proof_files_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let result = read_account_proof(&dir.path().join("nothing"), account(0x11));
    assert!(matches!(result, Err(TreeError::Io { .. })), "{result:?}");
}

#[test]
fn rewriting_leaves_no_shard_of_the_earlier_tree_and_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    tree(&[
        (account(0x11), U256::from(1)),
        (account(0x22), U256::from(2)),
    ])
    .write_proofs(dir.path())
    .unwrap();
    let next = tree(&[(account(0x22), U256::from(5))]);
    next.write_proofs(dir.path()).unwrap();
    let mut names: Vec<String> = fs::read_dir(dir.path().join("accounts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["22.json"]);
    assert_eq!(read(dir.path(), account(0x11)), None);
    assert_eq!(
        read(dir.path(), account(0x22)).map(|p| p.root),
        Some(next.root())
    );
    let top: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(top.len(), 2, "{top:?}");
}

#[test]
fn a_shard_whose_proof_does_not_verify_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let who = account(0x11);
    tree(&[(who, U256::from(1)), (account(0x22), U256::from(2))])
        .write_proofs(dir.path())
        .unwrap();
    let path = dir.path().join("accounts/11.json");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace("\"1\"", "\"1000\"");
    fs::write(&path, text).unwrap();
    let result = read_account_proof(dir.path(), who);
    assert!(matches!(result, Err(TreeError::Shard { .. })), "{result:?}");
}

#[test]
fn a_loaded_tree_writes_the_same_files() {
    let (first, second) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let built = tree(&values(50));
    built.write_proofs(first.path()).unwrap();
    let loaded = ClaimsTree::load(&json(&first.path().join("tree.json"))).unwrap();
    loaded.write_proofs(second.path()).unwrap();
    for name in ["tree.json", "accounts/00.json"] {
        let (a, b) = (first.path().join(name), second.path().join(name));
        assert_eq!(fs::read(&a).ok(), fs::read(&b).ok(), "{name}");
    }
}
