//! docs/SPEC.md and the binary cannot drift apart: every input field and configuration
//! key the spec names is accepted by the real binary, and every one the binary accepts
//! is named in the spec. The binary says what it accepts in its own refusal of an
//! unknown field ("expected one of `a`, `b`"), asked once per object and section.

use crate::node;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const SPEC: &str = include_str!("../docs/SPEC.md");
/// A field no version of the binary accepts.
const UNKNOWN: &str = "zz_unknown";

/// The fenced block after the `<!-- spec:NAME -->` marker.
fn block<'a>(spec: &'a str, name: &str) -> &'a str {
    let marker = format!("<!-- spec:{name} -->");
    let after = &spec[spec
        .find(&marker)
        .unwrap_or_else(|| panic!("{marker} missing"))..];
    let start = after.find("```").unwrap();
    let body = &after[start..];
    let body = &body[body.find('\n').unwrap() + 1..];
    &body[..body.find("```").unwrap()]
}

/// Runs the binary in `dir` (short relative paths keep its messages short).
fn tokenomics(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tokenomics"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// The names the binary lists after "expected" when it refuses an unknown field.
fn accepted(out: &Output) -> BTreeSet<String> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("unknown field `{UNKNOWN}`")),
        "{stderr}"
    );
    assert!(!stderr.contains('…'), "the list was cut short: {stderr}");
    let list = &stderr[stderr.find("expected").unwrap()..];
    list.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// What differs between the names of `what` in the spec and in the binary.
fn differences(what: &str, spec: &BTreeSet<String>, binary: &BTreeSet<String>) -> Vec<String> {
    let mut out = Vec::new();
    for name in binary.difference(spec) {
        out.push(format!(
            "{what}: `{name}` is accepted by the binary but not named in the spec"
        ));
    }
    for name in spec.difference(binary) {
        out.push(format!(
            "{what}: `{name}` is named in the spec but refused by the binary"
        ));
    }
    out
}

/// Every object of `value`: its name in messages (`network`, `miners[]`, "" for the root)
/// and its JSON pointer (`/miners/0`).
fn objects(name: &str, pointer: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            out.push((name.to_string(), pointer.to_string()));
            for (key, child) in map {
                let sub = if name.is_empty() {
                    key.clone()
                } else {
                    format!("{name}.{key}")
                };
                objects(&sub, &format!("{pointer}/{key}"), child, out);
            }
        }
        Value::Array(items) => {
            if let Some(first) = items.first() {
                objects(&format!("{name}[]"), &format!("{pointer}/0"), first, out);
            }
        }
        _ => {}
    }
}

/// Drift between the spec's inputs example and the binary, one object at a time.
fn inputs_drift(spec: &str) -> Vec<String> {
    let example: Value = serde_json::from_str(block(spec, "inputs")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut found = Vec::new();
    objects("", "", &example, &mut found);
    let mut drift = Vec::new();
    for (name, pointer) in found {
        let mut probe = example.clone();
        let map = probe
            .pointer_mut(&pointer)
            .unwrap()
            .as_object_mut()
            .unwrap();
        let named: BTreeSet<String> = map.keys().cloned().collect();
        map.insert(UNKNOWN.to_string(), Value::from(1));
        std::fs::write(dir.path().join("i.json"), probe.to_string()).unwrap();
        let out = tokenomics(dir.path(), &["plan", "--inputs", "i.json"]);
        let what = if name.is_empty() { "inputs" } else { &name };
        drift.extend(differences(what, &named, &accepted(&out)));
    }
    drift
}

/// The spec's configuration block with its commented-out keys (`# key = value`) enabled.
fn config_all_keys(spec: &str) -> String {
    block(spec, "config")
        .lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(rest) if rest.split_once(" = ").is_some_and(|(k, _)| is_key(k)) => rest,
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_key(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_lowercase() || c == '_')
}

/// Drift between the spec's configuration block and the binary, section by section.
fn config_drift(spec: &str) -> Vec<String> {
    let document: toml_edit::DocumentMut = config_all_keys(spec).parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("i.json"), inputs_without("network")).unwrap();
    let probe = |name: &str, text: &str| {
        std::fs::write(dir.path().join(name), text).unwrap();
        accepted(&tokenomics(
            dir.path(),
            &["plan", "--inputs", "i.json", "--config", name],
        ))
    };
    let sections: BTreeSet<String> = document.iter().map(|(k, _)| k.to_string()).collect();
    let mut drift = differences(
        "config",
        &sections,
        &probe("c.toml", &format!("{UNKNOWN} = 1\n")),
    );
    for (section, table) in document.iter() {
        let keys: BTreeSet<String> = table
            .as_table()
            .unwrap()
            .iter()
            .map(|(k, _)| k.to_string())
            .collect();
        let binary = probe("c.toml", &format!("[{section}]\n{UNKNOWN} = 1\n"));
        drift.extend(differences(&format!("[{section}]"), &keys, &binary));
    }
    drift
}

/// The spec's inputs example without `field` (it names both `utility_score` and
/// `network`, which one file may not give together).
fn inputs_without(field: &str) -> String {
    let mut example: Value = serde_json::from_str(block(SPEC, "inputs")).unwrap();
    example.as_object_mut().unwrap().remove(field).unwrap();
    example.to_string()
}

/// `plan --json` of `inputs` with `config` (none when `None`).
fn plan(inputs: &str, config: Option<&str>) -> Value {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("i.json"), inputs).unwrap();
    let mut args = vec!["plan", "--inputs", "i.json", "--json"];
    if let Some(config) = config {
        std::fs::write(dir.path().join("c.toml"), config).unwrap();
        args.extend(["--config", "c.toml"]);
    }
    let out = tokenomics(dir.path(), &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[track_caller]
fn check(drift: Vec<String>) {
    assert!(
        drift.is_empty(),
        "docs/SPEC.md and the binary differ:\n{}",
        drift.join("\n")
    );
}

#[test]
fn every_input_field_of_the_spec_and_only_those_are_accepted() {
    check(inputs_drift(SPEC));
}

#[test]
fn every_config_key_of_the_spec_and_only_those_are_accepted() {
    check(config_drift(SPEC));
}

#[test]
fn the_spec_inputs_example_plans_with_either_utility_or_network() {
    plan(&inputs_without("network"), None);
    plan(&inputs_without("utility_score"), None);
}

#[test]
fn the_spec_config_defaults_are_the_binary_defaults() {
    let inputs = inputs_without("network");
    let spec = plan(&inputs, Some(block(SPEC, "config")));
    assert_eq!(spec["plan_hash"], plan(&inputs, None)["plan_hash"]);
    plan(&inputs, Some(&config_all_keys(SPEC)));
}

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

#[test]
fn an_input_field_removed_from_the_spec_is_reported() {
    let spec = SPEC.replacen(r#", "lock_days": 90"#, "", 1);
    assert_ne!(spec, SPEC);
    let drift = inputs_drift(&spec);
    assert_eq!(
        drift,
        ["delegators[]: `lock_days` is accepted by the binary but not named in the spec"]
    );
}

#[test]
fn a_config_key_removed_from_the_spec_is_reported() {
    let spec = SPEC.replacen("# deadline_ms = 60000", "#", 1);
    assert_ne!(spec, SPEC);
    assert_eq!(
        config_drift(&spec),
        ["[rpc]: `deadline_ms` is accepted by the binary but not named in the spec"]
    );
}

#[test]
fn a_config_key_the_binary_does_not_know_is_reported() {
    let spec = SPEC.replacen(
        "verify_sample = 100",
        "verify_sample = 100\nsample_seed = 1",
        1,
    );
    assert_eq!(
        config_drift(&spec),
        ["[executor]: `sample_seed` is named in the spec but refused by the binary"]
    );
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
