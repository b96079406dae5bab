//! What the CLI test files share: a valid epoch inputs file, the binary, and the checks
//! that a refusal is one bounded line naming the file and the problem.
// Each test file uses its own part of this module.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// The longest refusal message accepted: echoed values are cut short.
pub(crate) const MAX_MESSAGE: usize = 700;

pub(crate) const INPUTS: &str = r#"{
  "epoch": 1000,
  "minted_supply": "0",
  "recycling_pool": "0",
  "utility_score": 0.67,
  "quality_score": 0.5,
  "fees": {"transaction_fees": "0", "slashing": "0", "registration": "0", "task_fees": "0"},
  "miners": [{"address": "0x00000000000000000000000000000000000000A1", "score": 0.9},
             {"address": "0x00000000000000000000000000000000000000a2", "score": "0.1"}],
  "validators": [{"address": "0x00000000000000000000000000000000000000b1", "stake": "10000"}],
  "delegators": [{"address": "0x00000000000000000000000000000000000000c1", "stake": 500, "lock_days": 90}],
  "subnet_owners": [{"address": "0x00000000000000000000000000000000000000d1", "weight": "1"}],
  "infrastructure": [{"address": "0x00000000000000000000000000000000000000e1", "weight": "1"}],
  "community_address": "0x00000000000000000000000000000000000000f1",
  "dao_address": "0x00000000000000000000000000000000000000f2"
}"#;

/// `bytes` as text (lossy).
pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Exits with `code`, and the error line (stderr's first `error: ` line) contains `message`.
#[track_caller]
pub(crate) fn check_error(out: &Output, code: i32, message: &str) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{stderr}");
    let error = stderr
        .lines()
        .find(|l| l.starts_with("error: "))
        .unwrap_or("");
    assert!(error.contains(message), "{message:?} not in: {stderr}");
}

/// The binary run in `dir` (also its HOME), stdin closed.
pub(crate) fn tokenomics_in(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tokenomics"));
    command
        .current_dir(dir)
        .env("HOME", dir)
        .stdin(std::process::Stdio::null());
    command
}

pub(crate) fn tokenomics(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tokenomics"))
        .args(args)
        .output()
        .unwrap()
}

pub(crate) fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// Runs `plan` on INPUTS with `from` replaced by `to` and expects exit code 2 and a
/// one-line message on stderr naming the file and containing `message`.
#[track_caller]
pub(crate) fn check_refused(from: &str, to: &str, message: &str) {
    assert!(INPUTS.contains(from), "{from} not in INPUTS");
    let dir = tempfile::tempdir().unwrap();
    let inputs = write(dir.path(), "inputs.json", &INPUTS.replacen(from, to, 1));
    let out = tokenomics(&["plan", "--inputs", &inputs]);
    check_bad_input(&out, "inputs.json", message);
}

/// Expects exit code 2, nothing on stdout, and on stderr one line of bounded length
/// starting with `error: ` and the `file` name, containing `message`, with no panic.
#[track_caller]
pub(crate) fn check_bad_input(out: &Output, file: &str, message: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        stderr.contains(&format!("{file}: ")),
        "{file} not named: {stderr}"
    );
    assert!(stderr.contains(message), "{message:?} not in: {stderr}");
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "not one line: {stderr}"
    );
    assert!(
        stderr.len() <= MAX_MESSAGE,
        "{} bytes: {stderr}",
        stderr.len()
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.stdout.is_empty());
}

/// `plan --json` of `inputs` (with `config` when given); the run must succeed.
pub(crate) fn plan_json(inputs: &str, config: Option<&str>) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let inputs = write(dir.path(), "inputs.json", inputs);
    let mut args = vec!["plan", "--inputs", &inputs, "--json"];
    let config_path;
    if let Some(config) = config {
        config_path = write(dir.path(), "config.toml", config);
        args.extend(["--config", &config_path]);
    }
    let out = tokenomics(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
