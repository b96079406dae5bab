//! Bad inputs and bad config through the real binary: exit code 2 and one short line naming
//! the file, the field or key, and the problem; echoed values are cut short.

use crate::common;

use common::{check_bad_input, check_refused, tokenomics, write, INPUTS};

/// `plan` with `config` as `c.toml` must be refused naming the key: `message` follows
/// `c.toml: ` in the error.
#[track_caller]
fn check_config_refused(config: &str, message: &str) {
    let dir = tempfile::tempdir().unwrap();
    let inputs = write(dir.path(), "inputs.json", INPUTS);
    let config = write(dir.path(), "c.toml", config);
    let out = tokenomics(&["plan", "--inputs", &inputs, "--config", &config]);
    check_bad_input(&out, "c.toml", &format!("c.toml: {message}"));
}

/// Every `[rpc]` and `[executor]` value out of range, and how it is refused.
const BAD_CONFIGS: &[(&str, &str)] = &[
    (
        "[rpc]\nbatch_size = 5000\n",
        "[rpc] batch_size: must be at most 1000 (the devnet's batch limit), found 5000",
    ),
    (
        "[rpc]\nbatch_size = 0\n",
        "[rpc] batch_size: must be at least 1",
    ),
    (
        "[rpc]\ntimeout_ms = 0\n",
        "[rpc] timeout_ms: must be at least 1",
    ),
    (
        "[rpc]\nhealth_interval_ms = 0\n",
        "[rpc] health_interval_ms: must be at least 1",
    ),
    (
        "[rpc]\nhealth_timeout_ms = 0\n",
        "[rpc] health_timeout_ms: must be at least 1",
    ),
    (
        "[rpc]\ninitial_backoff_ms = 0\n",
        "[rpc] initial_backoff_ms: must be at least 1",
    ),
    (
        "[rpc]\nmax_backoff_ms = 0\n",
        "[rpc] max_backoff_ms: must be at least 1",
    ),
    (
        "[rpc]\ninitial_backoff_ms = 5000\nmax_backoff_ms = 1000\n",
        "[rpc] max_backoff_ms: must be at least 5000 (initial_backoff_ms)",
    ),
    (
        "[rpc]\nrecovery_timeout_ms = 0\n",
        "[rpc] recovery_timeout_ms: must be at least 1",
    ),
    (
        "[rpc]\nmax_retry_after_ms = 0\n",
        "[rpc] max_retry_after_ms: must be at least 1",
    ),
    (
        "[rpc]\ndeadline_ms = 0\n",
        "[rpc] deadline_ms: must be at least 1",
    ),
    (
        "[rpc]\nmax_attempts = 0\n",
        "[rpc] max_attempts: must be at least 1",
    ),
    (
        "[rpc]\nfailure_threshold = 0\n",
        "[rpc] failure_threshold: must be at least 1",
    ),
    (
        "[rpc]\nhalf_open_max_calls = 0\n",
        "[rpc] half_open_max_calls: must be at least 1",
    ),
    (
        "[rpc]\nmax_connections = 0\n",
        "[rpc] max_connections: must be at least 1",
    ),
    (
        "[rpc]\nhealth_stall_probes = 0\n",
        "[rpc] health_stall_probes: must be at least 1",
    ),
    (
        "[rpc]\nrequests_per_minute = 1000001\n",
        "[rpc] requests_per_minute: must be at most 1000000 (0: no limit), found 1000001",
    ),
    (
        "[rpc]\nfailure_window = 0\n",
        "[rpc] failure_window: must be at least 1",
    ),
    (
        "[rpc]\nfailure_window = 1000000\n",
        "[rpc] failure_window: must be at most 100000",
    ),
    (
        "[rpc]\nfailure_min_calls = 21\n",
        "[rpc] failure_min_calls: must be at most 20 (failure_window",
    ),
    (
        "[rpc]\nfailure_rate_percent = 0\n",
        "[rpc] failure_rate_percent: must be in 1..=100, found 0",
    ),
    (
        "[rpc]\nfailure_rate_percent = 101\n",
        "[rpc] failure_rate_percent: must be in 1..=100, found 101",
    ),
    (
        "[rpc]\nbackoff_factor = nan\n",
        "[rpc] backoff_factor: must be a finite number of at least 1.0, found NaN",
    ),
    (
        "[rpc]\nbackoff_factor = -1.0\n",
        "[rpc] backoff_factor: must be a finite number of at least 1.0, found -1",
    ),
    (
        "[rpc]\nbackoff_factor = inf\n",
        "[rpc] backoff_factor: must be a finite number of at least 1.0, found inf",
    ),
    (
        "[rpc]\nretry_budget_ratio = -5.0\n",
        "[rpc] retry_budget_ratio: must be a finite number in [0, 1000], found -5",
    ),
    (
        "[rpc]\nretry_budget_ratio = nan\n",
        "[rpc] retry_budget_ratio: must be a finite number in [0, 1000], found NaN",
    ),
    (
        "[rpc]\njitter = \"fast\"\n",
        "[rpc] jitter: unknown variant `fast`",
    ),
    (
        "[rpc]\ntimeout_ms = -1\n",
        "[rpc] timeout_ms: invalid value: integer `-1`",
    ),
    (
        "[rpc]\ntimout_ms = 1\n",
        "[rpc] timout_ms: unknown field `timout_ms`",
    ),
    (
        "[executor]\nverify_sample = 0\n",
        "[executor] verify_sample: must be at least 1",
    ),
    (
        "[executor]\ntreasury = \"0x12\"\n",
        "[executor] treasury: invalid address \"0x12\"",
    ),
    (
        "[rpc]\ntimeout_ms = \n",
        "TOML syntax error at line 2, column 14: ",
    ),
];

#[test]
fn every_rpc_and_executor_value_out_of_range_is_refused_naming_its_key() {
    for (config, message) in BAD_CONFIGS {
        check_config_refused(config, message);
    }
}

#[test]
fn the_largest_accepted_values_pass() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = write(dir.path(), "inputs.json", INPUTS);
    let config = "[rpc]\nbatch_size = 1000\nbackoff_factor = 1.0\nretry_budget_ratio = 0.0\n\
                  failure_rate_percent = 100\nfailure_min_calls = 20\n[executor]\nverify_sample = 1\n";
    let config = write(dir.path(), "c.toml", config);
    let out = tokenomics(&["plan", "--inputs", &inputs, "--config", &config]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_huge_config_value_is_echoed_cut_short() {
    let config = format!("[rpc]\njitter = \"{}\"\n", "x".repeat(50_000));
    let message = format!(
        "[rpc] jitter: unknown variant `{}… (50000 characters)`",
        "x".repeat(32)
    );
    check_config_refused(&config, &message);
}

#[test]
fn run_refuses_a_bad_rpc_setting_before_doing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = write(dir.path(), "inputs.json", INPUTS);
    let config = write(dir.path(), "c.toml", "[rpc]\nbatch_size = 5000\n");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tokenomics"))
        .args(["run", "--inputs", &inputs, "--config", &config])
        .current_dir(dir.path())
        .output()
        .unwrap();
    check_bad_input(&out, "c.toml", "[rpc] batch_size: must be at most 1000");
    assert!(
        !dir.path().join("tokenomics-data").exists(),
        "no devnet, no journal"
    );
}

#[test]
fn a_json_syntax_error_names_the_field_line_and_column() {
    check_refused(
        r#""utility_score": 0.67"#,
        r#""utility_score": 0x10"#,
        "inputs.json: utility_score: JSON syntax error at line 5, column 21: expected `,` or `}`",
    );
    check_refused(
        r#""score": 0.9"#,
        r#""score": 0.9.1"#,
        "inputs.json: miners[0].score: JSON syntax error at line 8, column",
    );
}

#[test]
fn a_truncated_file_is_a_syntax_error_at_its_end() {
    let cut = &INPUTS[..INPUTS.find(r#""validators""#).unwrap()];
    let dir = tempfile::tempdir().unwrap();
    let inputs = write(dir.path(), "inputs.json", cut);
    let out = tokenomics(&["plan", "--inputs", &inputs]);
    check_bad_input(&out, "inputs.json", "JSON syntax error at line 10");
}

#[test]
fn a_number_beyond_any_amount_is_out_of_range_not_malformed() {
    check_refused(
        r#""utility_score": 0.67"#,
        r#""utility_score": 1e400"#,
        "inputs.json: utility_score: number 1e400 is out of range (too large)",
    );
    check_refused(
        r#""stake": "10000""#,
        r#""stake": 1E400"#,
        "inputs.json: validators[0].stake: number 1E400 is out of range (too large)",
    );
}

#[test]
fn a_huge_number_is_echoed_cut_short() {
    let digits = "1".repeat(50_000);
    check_refused(
        r#""stake": "10000""#,
        &format!(r#""stake": {digits}"#),
        &format!(
            "inputs.json: validators[0].stake: invalid decimal \"{}… (50000 characters)\": too large",
            "1".repeat(32)
        ),
    );
}

#[test]
fn a_huge_string_is_echoed_cut_short() {
    // Not hex: a long run of hex digits with letters could hold a key and is not shown.
    let address = format!("0x{}", "z".repeat(50_000));
    check_refused(
        "0x00000000000000000000000000000000000000b1",
        &address,
        "inputs.json: validators[0].address: invalid address \"0xzzz",
    );
    check_refused(
        r#""score": 0.9"#,
        &format!(r#""score": "{}""#, "9 ".repeat(25_000)),
        "(50000 characters)",
    );
}
