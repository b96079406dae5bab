//! The `tokenomics plan` and `schedule` commands, run as a user runs them (the real binary).

use crate::common;

use common::{check_bad_input, check_refused, plan_json, tokenomics, write, INPUTS};

#[test]
fn plan_json_has_the_designed_fields_and_pays_the_total_exactly() {
    let plan = plan_json(INPUTS, None);
    assert_eq!(plan["epoch"], 1000);
    assert_eq!(plan["halvings"], 0);
    assert_eq!(plan["utility_score"].to_string(), "0.67");
    assert_eq!(plan["quality_multiplier"].to_string(), "1");
    assert_eq!(plan["emission"], "670");
    assert_eq!(plan["total"], "670");
    assert_eq!(plan["categories"]["miners"], "234.5");
    assert_eq!(plan["categories"]["dao"], "33.5");
    assert_eq!(
        plan["transfers"][0]["to"],
        "0x00000000000000000000000000000000000000a1"
    );
    assert_eq!(plan["transfers"][0]["amount"], "211.05");
    assert_eq!(plan["plan_hash"].as_str().unwrap().len(), 64);
    for key in [
        "unmet_burned",
        "fees_burned",
        "from_pool",
        "from_mint",
        "recycling_pool_after",
    ] {
        assert!(plan[key].is_string(), "{key}");
    }
}

#[test]
fn network_metrics_and_toml_fractions_are_exact() {
    let inputs = INPUTS.replace(
        r#""utility_score": 0.67,"#,
        r#""network": {"task_volume": 5000, "avg_task_difficulty": 0.1, "validator_participation": "0.3"},"#,
    );
    // U = 0.1 * 0.5 + 0.2 * 0.1 + 0.7 * 0.3 = 0.28 exactly (in f64 it would not be).
    let plan = plan_json(
        &inputs,
        Some("[emission]\nutility_weights = [0.1, 0.2, 0.7]\n"),
    );
    assert_eq!(plan["utility_score"].to_string(), "0.28");
    assert_eq!(plan["emission"], "280");
}

#[test]
fn json_numbers_with_exponents_are_read_exactly() {
    let inputs = INPUTS.replace(r#""utility_score": 0.67,"#, r#""utility_score": 6.7e-1,"#);
    let plan = plan_json(&inputs, None);
    assert_eq!(plan["utility_score"].to_string(), "0.67");
    let inputs = INPUTS.replace(r#""stake": "10000""#, r#""stake": 1E4"#);
    assert_eq!(plan_json(&inputs, None)["total"], "670");
}

#[test]
fn plan_summary_names_every_figure() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = write(dir.path(), "inputs.json", INPUTS);
    let out = tokenomics(&["plan", "--inputs", &inputs]);
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "emission              670 MDT",
        "total paid",
        "plan hash",
        "miners",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
}

#[test]
fn an_out_of_range_fraction_is_refused() {
    check_refused(r#""score": 0.9"#, r#""score": 1.5"#, "miners[0].score");
}

#[test]
fn a_nan_fraction_is_refused() {
    check_refused(r#""score": 0.9"#, r#""score": "NaN""#, "miners[0].score");
}

#[test]
fn a_negative_amount_is_refused() {
    check_refused(
        r#""stake": "10000""#,
        r#""stake": "-1""#,
        "validators[0].stake",
    );
}

#[test]
fn more_than_18_decimals_is_refused() {
    check_refused(
        r#""stake": "10000""#,
        r#""stake": "0.0000000000000000001""#,
        "more than 18 decimals",
    );
}

#[test]
fn a_fractional_json_number_for_an_amount_is_refused() {
    check_refused(
        r#""stake": "10000""#,
        r#""stake": 10000.5"#,
        "must be a decimal string",
    );
}

#[test]
fn a_malformed_address_is_refused() {
    check_refused(
        "0x00000000000000000000000000000000000000b1",
        "0xb1",
        "validators[0].address",
    );
}

#[test]
fn a_duplicate_address_in_a_category_is_refused() {
    check_refused(
        "0x00000000000000000000000000000000000000a2",
        "0x00000000000000000000000000000000000000a1",
        "duplicate address",
    );
}

#[test]
fn utility_score_and_network_together_are_refused() {
    check_refused(
        r#""utility_score": 0.67,"#,
        r#""utility_score": 0.67, "network": {"task_volume": 1, "avg_task_difficulty": 0, "validator_participation": 0},"#,
        "not both",
    );
}

#[test]
fn an_unknown_field_is_refused() {
    check_refused(
        r#""epoch": 1000,"#,
        r#""epoch": 1000, "epoc": 1,"#,
        "unknown field `epoc`",
    );
}

#[test]
fn a_missing_required_field_is_refused() {
    check_refused(r#""epoch": 1000,"#, "", "missing field `epoch`");
}

#[test]
fn a_missing_file_is_refused() {
    let out = tokenomics(&["plan", "--inputs", "/nonexistent/inputs.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/inputs.json: cannot read"));
}

#[test]
fn shares_that_do_not_sum_to_10000_are_refused_naming_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = write(dir.path(), "inputs.json", INPUTS);
    let config = write(dir.path(), "bad.toml", "[distribution]\nminers = 3000\n");
    let out = tokenomics(&["plan", "--inputs", &inputs, "--config", &config]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("bad.toml: distribution: shares sum to 9500"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_config_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = write(dir.path(), "inputs.json", INPUTS);
    let config = write(
        dir.path(),
        "bad.toml",
        "[burn]\nslashing = 0.8\nslahsing = 0.1\n",
    );
    let out = tokenomics(&["plan", "--inputs", &inputs, "--config", &config]);
    check_bad_input(
        &out,
        "bad.toml",
        "[burn] slahsing: unknown field `slahsing`",
    );
}

#[test]
fn schedule_prints_eras_and_draws_the_supply_curve() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "c.toml",
        "[emission]\nhalving_interval = 5000\n",
    );
    let svg = dir.path().join("supply.svg");
    let svg_arg = svg.to_string_lossy().into_owned();
    let out = tokenomics(&[
        "schedule", "--config", &config, "--epochs", "12000", "--svg", &svg_arg,
    ]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<Vec<&str>> = text
        .lines()
        .map(|line| line.split_whitespace().collect())
        .filter(|cells: &Vec<&str>| cells.first().is_some_and(|c| c.parse::<u64>().is_ok()))
        .collect();
    assert_eq!(rows[0], ["0", "0", "5000", "1000", "5000000", "5000000"]);
    assert_eq!(rows[2], ["2", "10000", "12000", "250", "500000", "8000000"]);
    assert!(std::fs::read_to_string(svg).unwrap().starts_with("<svg"));
}

#[test]
fn plan_with_a_mint_room_mints_at_most_the_room_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = write(dir.path(), "inputs.json", INPUTS);
    let json = tokenomics(&["plan", "--inputs", &inputs, "--mint-room", "0.5", "--json"]);
    let plan: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        (&plan["from_mint"], &plan["total"]),
        (&"0.5".into(), &"0.5".into())
    );
    assert_ne!(plan["plan_hash"], plan_json(INPUTS, None)["plan_hash"]);
    let summary = tokenomics(&["plan", "--inputs", &inputs, "--mint-room", "0.5"]);
    let summary = String::from_utf8_lossy(&summary.stdout);
    assert!(
        summary.contains("capped by the chain's mint room (0.5 MDT)"),
        "{summary}"
    );
}
