//! `tokenomics run --chain evm` against a real anvil, up to a connected backend: which flags
//! and `[evm]` keys are refused (exit 2, naming them, nothing sent, the key never shown), a
//! missing anvil (exit 1, one line saying how to install it), and a fresh anvil with fresh
//! contracts and journals when there is no `--rpc-url`.

use crate::anvil;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use anvil::{Anvil, DEV_KEY};

/// Syntactically valid contract addresses with nothing behind them.
const TOKEN: &str = "0x00000000000000000000000000000000000000a1";
const PAYOUT: &str = "0x00000000000000000000000000000000000000a2";

/// `tokenomics <args>` in `dir` (also its HOME), with the dev key in the environment.
fn tokenomics(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tokenomics"))
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env_remove("XDG_DATA_HOME")
        .env_remove("TOKENOMICS_RPC_TOKEN")
        .env("TOKENOMICS_SIGNER_KEY", DEV_KEY)
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs")
}

/// Exits with `code`; the last line of stderr is the error and contains `message`; the
/// key appears nowhere.
#[track_caller]
fn check(out: &Output, code: i32, message: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(code), "{stderr}");
    let last = stderr.trim_end().lines().last().unwrap_or("");
    assert!(last.starts_with("error: "), "{stderr}");
    assert!(last.contains(message), "{message:?} not in: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for text in [&stderr, &stdout] {
        assert!(!text.contains(&DEV_KEY[2..]), "the key leaked: {text}");
    }
}

/// `run --chain evm --rpc-url <anvil>` with `extra`; returns the output and the dev
/// account's nonce before and after.
async fn run_on(anvil: &Anvil, extra: &[&str]) -> (Output, u64, u64) {
    let dir = tempfile::tempdir().unwrap();
    let before = anvil.dev_nonce().await;
    let args = [
        &["run", "--chain", "evm", "--rpc-url", &anvil.url][..],
        extra,
    ]
    .concat();
    let out = tokenomics(dir.path(), &args, &[]);
    (out, before, anvil.dev_nonce().await)
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_key_file_readable_by_others_is_refused_and_nothing_is_sent() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("signer.key");
    std::fs::write(&key, format!("{DEV_KEY}\n")).unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let key = key.to_str().unwrap();
    let flags = ["--token-address", TOKEN, "--payout-address", PAYOUT];
    let (out, before, after) =
        run_on(&anvil, &[&flags[..], &["--signer-key-file", key]].concat()).await;
    check(&out, 2, "--signer-key-file: key file");
    check(&out, 2, "has mode 644");
    assert_eq!(after, before, "nothing was sent");
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_wrong_chain_id_is_refused_and_the_nonce_does_not_move() {
    let anvil = Anvil::start();
    let home = tempfile::tempdir().unwrap();
    let deployed = tokenomics(
        home.path(),
        &["deploy", "--rpc-url", &anvil.url, "--json"],
        &[],
    );
    assert!(
        deployed.status.success(),
        "{}",
        String::from_utf8_lossy(&deployed.stderr)
    );
    let contracts: serde_json::Value = serde_json::from_slice(&deployed.stdout).unwrap();
    let (token, payout) = (
        contracts["token"].as_str().unwrap(),
        contracts["payout"].as_str().unwrap(),
    );
    let flags = [
        "--token-address",
        token,
        "--payout-address",
        payout,
        "--chain-id",
        "1",
    ];
    let (out, before, after) = run_on(&anvil, &flags).await;
    check(
        &out,
        2,
        "--chain-id: chain id mismatch: configured 1, the node says 31337",
    );
    assert_eq!((before, after), (3, 3), "deployed, then nothing sent");
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_malformed_token_address_exits_2_naming_the_flag() {
    let anvil = Anvil::start();
    let flags = ["--token-address", "0x12", "--payout-address", PAYOUT];
    let (out, before, after) = run_on(&anvil, &flags).await;
    check(&out, 2, "--token-address: invalid address \"0x12\"");
    assert_eq!(after, before, "nothing was sent");
}

#[test]
fn with_rpc_url_a_missing_contract_address_exits_2_naming_its_flag() {
    let dir = tempfile::tempdir().unwrap();
    let url = ["run", "--chain", "evm", "--rpc-url", "http://127.0.0.1:9"];
    for (extra, flag) in [
        (
            &["--payout-address", PAYOUT][..],
            "--token-address: required with --rpc-url",
        ),
        (
            &["--token-address", TOKEN][..],
            "--payout-address: required with --rpc-url",
        ),
    ] {
        check(
            &tokenomics(dir.path(), &[&url[..], extra].concat(), &[]),
            2,
            flag,
        );
    }
}

#[test]
fn an_evm_flag_with_chain_luxtensor_exits_2_and_starts_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for (args, message) in [
        (
            &["run", "--token-address", TOKEN][..],
            "--token-address: only with --chain evm",
        ),
        (
            &["run", "--chain", "luxtensor", "--confirmations", "2"][..],
            "--confirmations: only with --chain evm",
        ),
        (
            &["run", "--chain-id", "1"][..],
            "--chain-id: only with --chain evm",
        ),
    ] {
        check(&tokenomics(dir.path(), args, &[]), 2, message);
    }
    assert!(
        !dir.path().join("tokenomics-data").exists(),
        "no devnet was started"
    );
}

#[test]
fn dry_run_with_chain_evm_without_rpc_url_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = tokenomics(dir.path(), &["run", "--chain", "evm", "--dry-run"], &[]);
    check(
        &out,
        2,
        "--dry-run: with --chain evm, --rpc-url is required",
    );
}

#[test]
fn a_dry_run_on_evm_without_the_payout_contract_exits_2_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    // Nothing listens there: the flags are refused before the node is asked anything.
    let url = "http://127.0.0.1:9";
    let args = ["run", "--chain", "evm", "--dry-run", "--rpc-url", url];
    let token = [
        "--token-address",
        "0x00000000000000000000000000000000000000a1",
    ];
    let out = tokenomics(dir.path(), &[&args[..], &token[..]].concat(), &[]);
    check(&out, 2, "--payout-address: required with --rpc-url");
}

#[test]
fn an_evm_key_with_a_bad_value_exits_2_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    for (toml, message) in [
        (
            "confirmations = 0",
            "[evm] confirmations: must be at least 1",
        ),
        ("chain_id = 0", "[evm] chain_id: must be at least 1"),
        (
            "max_gas_per_tx = 20999",
            "[evm] max_gas_per_tx: must be at least 21000",
        ),
        (
            "gas_price_multiplier = 1.00001",
            "[evm] gas_price_multiplier: 1.00001: at most 4 decimals",
        ),
        (
            "gas_price_multiplier = 0.9",
            "[evm] gas_price_multiplier: 0.9: must be at least 1",
        ),
        (
            "token_address = \"0x12\"",
            "[evm] token_address: invalid address",
        ),
        ("fee_bump = 1", "[evm] fee_bump: invalid type"),
    ] {
        std::fs::write(dir.path().join("c.toml"), format!("[evm]\n{toml}\n")).unwrap();
        let out = tokenomics(
            dir.path(),
            &["run", "--chain", "evm", "--config", "c.toml"],
            &[],
        );
        check(&out, 2, &format!("c.toml: {message}"));
    }
}

#[test]
fn without_anvil_it_exits_1_with_one_line_saying_how_to_install_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-anvil");
    let out = tokenomics(
        dir.path(),
        &["run", "--chain", "evm"],
        &[("ANVIL_BIN", missing.to_str().unwrap())],
    );
    check(&out, 1, "install it with `npm ci --prefix contracts`");
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
}

#[test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
fn without_rpc_url_a_fresh_anvil_is_deployed_on_and_paid_and_its_journals_removed_at_the_end() {
    let bin = anvil::bin();
    let dir = tempfile::tempdir().unwrap();
    let out = tokenomics(
        dir.path(),
        &[
            "run",
            "--chain",
            "evm",
            "--synthetic",
            "40",
            "--epochs",
            "2",
            "--json",
        ],
        &[("ANVIL_BIN", bin.to_str().unwrap())],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let reports: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let outcomes: Vec<_> = reports
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["epoch"].as_u64().unwrap(), r["outcome"].as_str().unwrap()))
        .collect();
    assert_eq!(outcomes, vec![(0, "paid"), (1, "paid")]);
    assert!(
        stderr.contains("anvil listening on http://127.0.0.1:"),
        "{stderr}"
    );
    assert!(stderr.contains("deployed token 0x"), "{stderr}");
    let journal = stderr
        .lines()
        .find_map(|line| line.strip_prefix("journal: "))
        .expect("the journal is printed");
    assert!(journal.ends_with("journal.sqlite"), "{journal}");
    assert!(
        !Path::new(journal).parent().unwrap().exists(),
        "the temporary folder is gone"
    );
}
