//! The same trees as `@openzeppelin/merkle-tree` (the version pinned in
//! `contracts/package.json`), both ways: the library loads this crate's dump and gets the same
//! root and proofs; this crate loads the library's `StandardMerkleTree.of` dump and gets the
//! same tree, dump for dump. Needs Node.js and `npm ci --prefix contracts`: skipped when
//! missing, failing under `CI=true` (see build.rs).

use std::path::{Path, PathBuf};
use std::process::Command;

use alloy_primitives::{Address, U256};
use claims_tree::ClaimsTree;
use serde_json::{json, Value};

use crate::support::{tree, values};

const SIZES: [usize; 5] = [1, 2, 3, 7, 100];

/// Runs `node contracts/merkle-compat.js MODE FILE` on `input` and parses its answer.
#[track_caller]
fn library(mode: &str, input: &Value) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("input.json");
    std::fs::write(&file, input.to_string()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../contracts/merkle-compat.js");
    let out = Command::new("node")
        .arg(&script)
        .arg(mode)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run node (npm ci --prefix contracts): {e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "node merkle-compat.js {mode} failed: {stderr}"
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("node's answer: {e}"))
}

/// The library's proofs, in value order, as this crate's types.
fn proofs(answer: &Value) -> Vec<((Address, U256), Vec<String>)> {
    let proofs = answer["proofs"].as_array().cloned().unwrap_or_default();
    proofs
        .iter()
        .map(|entry| {
            let who: Address = entry["value"][0].as_str().unwrap().parse().unwrap();
            let amount = U256::from_str_radix(entry["value"][1].as_str().unwrap(), 10).unwrap();
            let proof = serde_json::from_value(entry["proof"].clone()).unwrap();
            ((who, amount), proof)
        })
        .collect()
}

/// This crate's proofs of `tree`'s values in order, as hex text.
fn own_proofs(tree: &ClaimsTree) -> Vec<((Address, U256), Vec<String>)> {
    tree.entries()
        .map(|(who, amount)| {
            let siblings = tree.proof(who).unwrap().siblings;
            (
                (who, amount),
                siblings.iter().map(ToString::to_string).collect(),
            )
        })
        .collect()
}

#[test]
#[cfg_attr(
    merkle_js_missing,
    ignore = "node or @openzeppelin/merkle-tree missing: npm ci --prefix contracts"
)]
fn the_library_loads_our_dump_with_the_same_root_and_proofs() {
    for size in SIZES {
        let ours = tree(&values(size));
        let answer = library("load", &ours.dump());
        assert_eq!(
            answer["root"],
            json!(ours.root().to_string()),
            "{size} leaves"
        );
        assert_eq!(proofs(&answer), own_proofs(&ours), "{size} leaves");
    }
}

#[test]
#[cfg_attr(
    merkle_js_missing,
    ignore = "node or @openzeppelin/merkle-tree missing: npm ci --prefix contracts"
)]
fn the_librarys_tree_of_the_same_values_is_ours() {
    for size in SIZES {
        let values = values(size);
        let input: Vec<Value> = values
            .iter()
            .map(|(who, amount)| json!([format!("{who:#x}"), amount.to_string()]))
            .collect();
        let answer = library("of", &Value::Array(input));
        let ours = tree(&values);
        assert_eq!(answer["dump"], ours.dump(), "{size} leaves");
        let loaded = ClaimsTree::load(&answer["dump"]).unwrap();
        assert_eq!(loaded, ours, "{size} leaves");
        assert_eq!(proofs(&answer), own_proofs(&ours), "{size} leaves");
    }
}

/// The files a crate user cannot see from here: the script the tests run exists.
#[test]
fn the_compatibility_script_is_in_contracts() {
    let script: PathBuf =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../contracts/merkle-compat.js");
    assert!(script.is_file(), "{}", script.display());
}
