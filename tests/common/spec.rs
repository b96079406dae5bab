//! What the spec-drift test files share: docs/SPEC.md and its fenced blocks, the binary
//! run in a folder, the names that differ between the two, and `plan --json` of the spec's
//! inputs example.
// Each test file uses its own part of this module.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// docs/SPEC.md.
pub(crate) const SPEC: &str = include_str!("../../docs/SPEC.md");

/// The fenced block after the `<!-- spec:NAME -->` marker.
pub(crate) fn block<'a>(spec: &'a str, name: &str) -> &'a str {
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
pub(crate) fn tokenomics(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tokenomics"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// What differs between the names of `what` in the spec and in the binary.
pub(crate) fn differences(
    what: &str,
    spec: &BTreeSet<String>,
    binary: &BTreeSet<String>,
) -> Vec<String> {
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

/// The spec's inputs example without `field` (it names both `utility_score` and
/// `network`, which one file may not give together).
pub(crate) fn inputs_without(field: &str) -> String {
    let mut example: Value = serde_json::from_str(block(SPEC, "inputs")).unwrap();
    example.as_object_mut().unwrap().remove(field).unwrap();
    example.to_string()
}

/// `plan --json` of `inputs` with `config` (none when `None`).
pub(crate) fn plan(inputs: &str, config: Option<&str>) -> Value {
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

/// Fails listing every difference when `drift` has any.
#[track_caller]
pub(crate) fn check(drift: Vec<String>) {
    assert!(
        drift.is_empty(),
        "docs/SPEC.md and the binary differ:\n{}",
        drift.join("\n")
    );
}
