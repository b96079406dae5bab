//! Inputs a person would write, through the real binary: weights as JSON numbers, lock
//! bonus tiers, and `plan --inputs -` reading standard input.

use crate::common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::{check_bad_input, check_refused, plan_json, tokenomics, write, INPUTS};
use serde_json::Value;

const OWNER_WEIGHT: &str = r#""weight": "1"}],
  "infrastructure""#;

/// INPUTS with the first subnet owner's weight written as `weight` and a second owner
/// (0x..d2) of weight `other`.
fn owners(weight: &str, other: &str) -> String {
    assert!(INPUTS.contains(OWNER_WEIGHT));
    INPUTS.replacen(
        OWNER_WEIGHT,
        &format!(
            r#""weight": {weight}}}, {{"address": "0x00000000000000000000000000000000000000d2", "weight": {other}}}],
  "infrastructure""#
        ),
        1,
    )
}

/// The plan with weights written as JSON numbers equals the plan with the same weights as
/// decimal strings: both are read exactly.
#[track_caller]
fn check_number_weight(number: &str, other: &str) {
    let as_number = plan_json(&owners(number, other), None);
    let as_string = plan_json(
        &owners(&format!("\"{number}\""), &format!("\"{other}\"")),
        None,
    );
    assert_eq!(as_number["plan_hash"], as_string["plan_hash"], "{number}");
}

#[test]
fn a_weight_may_be_a_json_number_read_exactly() {
    check_number_weight("0.5", "1");
    // Beyond f64's precision: read through f64, the two would differ.
    check_number_weight("0.123456789012345678", "0.123456789012345677");
}

#[test]
fn weights_as_json_numbers_split_exactly() {
    // Subnet owners get 8% of 670 MDT = 53.6 MDT, split 0.1 : 0.3 exactly.
    let plan = plan_json(&owners("0.1", "0.3"), None);
    let paid = |to: &str| {
        plan["transfers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["to"] == to && t["category"] == "subnet_owners")
            .map(|t| t["amount"].clone())
    };
    assert_eq!(
        paid("0x00000000000000000000000000000000000000d1"),
        Some("13.4".into())
    );
    assert_eq!(
        paid("0x00000000000000000000000000000000000000d2"),
        Some("40.2".into())
    );
}

#[test]
fn an_infrastructure_weight_may_be_a_json_number() {
    let inputs = INPUTS.replace(
        r#""weight": "1"}],
  "community_address""#,
        r#""weight": 2.5}],
  "community_address""#,
    );
    assert_ne!(inputs, INPUTS);
    assert_eq!(
        plan_json(&inputs, None)["categories"]["infrastructure"],
        "13.4"
    );
}

#[test]
fn a_negative_weight_is_refused() {
    check_refused(
        OWNER_WEIGHT,
        r#""weight": -0.5}],
  "infrastructure""#,
        "subnet_owners[0].weight",
    );
}

#[test]
fn a_weight_that_is_not_a_number_is_refused() {
    check_refused(
        OWNER_WEIGHT,
        r#""weight": true}],
  "infrastructure""#,
        "expected a number or decimal string",
    );
}

/// Three delegators whose stakes times their tier's bonus all weigh 1000.
const DELEGATORS: &str = r#""delegators": [
    {"address": "0x00000000000000000000000000000000000000c1", "stake": "800", "lock_days": 90},
    {"address": "0x00000000000000000000000000000000000000c2", "stake": "1000"},
    {"address": "0x00000000000000000000000000000000000000c3", "stake": "500", "lock_days": 400}]"#;

#[test]
fn a_delegator_gets_the_bonus_of_the_highest_threshold_reached() {
    let one = r#""delegators": [{"address": "0x00000000000000000000000000000000000000c1", "stake": 500, "lock_days": 90}]"#;
    assert!(INPUTS.contains(one));
    let plan = plan_json(&INPUTS.replace(one, DELEGATORS), None);
    // 800 * 1.25 = 1000 * 1 = 500 * 2: 12% of 670 MDT = 80.4 MDT in three equal parts.
    let delegators: Vec<&Value> = plan["transfers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["category"] == "delegators")
        .map(|t| &t["amount"])
        .collect();
    assert_eq!(delegators, ["26.8", "26.8", "26.8"]);
}

#[test]
fn a_lock_bonus_that_falls_as_the_lock_grows_is_refused_naming_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = write(dir.path(), "inputs.json", INPUTS);
    let config = write(
        dir.path(),
        "tiers.toml",
        "[distribution]\nlock_bonus = [[30, 1000], [90, 2500], [180, 500]]\n",
    );
    let out = tokenomics(&["plan", "--inputs", &inputs, "--config", &config]);
    check_bad_input(
        &out,
        "tiers.toml",
        "distribution.lock_bonus: entry [180, 500] (index 2): the bonus falls as the lock grows",
    );
}

/// `plan --inputs -` with `stdin` as its standard input.
fn plan_stdin(stdin: &str, json: bool) -> Output {
    let mut args = vec!["plan", "--inputs", "-"];
    if json {
        args.push("--json");
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_tokenomics"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn plan_reads_standard_input_for_inputs_dash() {
    let out = plan_stdin(INPUTS, true);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let from_stdin: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        from_stdin["plan_hash"],
        plan_json(INPUTS, None)["plan_hash"]
    );
}

#[test]
fn bad_inputs_on_standard_input_are_named_stdin() {
    let out = plan_stdin(&INPUTS.replace(r#""score": 0.9"#, r#""score": 1.5"#), false);
    check_bad_input(&out, "<stdin>", "miners[0].score");
}
