//! docs/SPEC.md and the binary cannot drift apart: every input field and configuration
//! key the spec names is accepted by the real binary, and every one the binary accepts
//! is named in the spec. The binary says what it accepts in its own refusal of an
//! unknown field ("expected one of `a`, `b`"), asked once per object and section.

use crate::spec;

use std::collections::BTreeSet;
use std::process::Output;

use serde_json::Value;
use spec::{block, check, differences, inputs_without, plan, tokenomics, SPEC};

/// A field no version of the binary accepts.
const UNKNOWN: &str = "zz_unknown";

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
