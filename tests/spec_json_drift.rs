//! The JSON the binary prints and docs/SPEC.md cannot drift apart: `plan --json`,
//! `status --json`, `status --check-chain --json` and `run --dry-run --json` have exactly
//! the fields of the spec's blocks, no more and no fewer.

use crate::node;
use crate::spec;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;
use spec::{block, check, differences, inputs_without, plan, tokenomics, SPEC};

/// Object keys of `value`, recursively, as paths (`transfers[].to`).
fn key_paths(path: &str, value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let sub = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                out.insert(sub.clone());
                key_paths(&sub, child, out);
            }
        }
        Value::Array(items) => {
            if let Some(first) = items.first() {
                key_paths(&format!("{path}[]"), first, out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_plan_json_has_exactly_the_fields_of_the_spec() {
    let spec: Value = serde_json::from_str(block(SPEC, "plan")).unwrap();
    let printed = plan(&inputs_without("network"), None);
    let (mut named, mut shown) = (BTreeSet::new(), BTreeSet::new());
    key_paths("", &spec, &mut named);
    key_paths("", &printed, &mut shown);
    check(differences("plan", &named, &shown));
}

/// `tokenomics <args>` in `dir`, whose stdout must be JSON (the command must succeed).
fn json_of(dir: &Path, args: &[&str]) -> Value {
    let out = tokenomics(dir, args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?}: {stderr}");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The fields of the spec's `block` and of `printed`, compared.
fn json_drift(block_name: &str, printed: &Value) -> Vec<String> {
    let spec: Value = serde_json::from_str(block(SPEC, block_name)).unwrap();
    let (mut named, mut shown) = (BTreeSet::new(), BTreeSet::new());
    key_paths("", &spec, &mut named);
    key_paths("", printed, &mut shown);
    differences(block_name, &named, &shown)
}

#[test]
fn the_status_and_dry_run_json_have_exactly_the_fields_of_the_spec() {
    // The embedded devnet: `run` without --rpc-url, in a folder of its own.
    let dir = tempfile::tempdir().unwrap();
    let synthetic = ["--synthetic", "5", "--epochs", "1"];
    let dry = json_of(
        dir.path(),
        &[&["run", "--dry-run", "--json"][..], &synthetic].concat(),
    );
    let paid = tokenomics(dir.path(), &[&["run"][..], &synthetic].concat());
    assert!(
        paid.status.success(),
        "{}",
        String::from_utf8_lossy(&paid.stderr)
    );
    let journal = "tokenomics-data/journal.sqlite";
    let status = json_of(dir.path(), &["status", "--json", "--journal", journal]);
    let mut drift = json_drift("dry-run", &dry);
    drift.extend(json_drift("status", &status));
    check(drift);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_status_check_chain_json_has_exactly_the_fields_of_the_spec() {
    let node = node::Node::start().await;
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "--synthetic",
        "5",
        "--epochs",
        "1",
        "--journal",
        "journal.sqlite",
    ];
    let paid = node::finish(node::run(&node, dir.path(), &args)).await;
    assert_eq!(paid.code, Some(0), "{}", paid.stderr);
    let checked = json_of(
        dir.path(),
        &[
            "status",
            "--json",
            "--check-chain",
            "--rpc-url",
            &node.url,
            "--journal",
            "journal.sqlite",
        ],
    );
    check(json_drift("status-check", &checked));
}
