//! A private key pasted where something else belongs (an address flag, a field, a path, any
//! flag clap parses) is refused without being echoed, not even its first characters.

use crate::common;

use std::path::Path;
use std::process::Output;

use common::INPUTS;

/// Anvil's first dev key (public test material), as a key an operator might paste.
const KEY: &str = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

/// `tokenomics <args>` in `dir` (also its HOME), without a key in the environment.
fn tokenomics(dir: &Path, args: &[&str]) -> Output {
    common::tokenomics_in(dir)
        .args(args)
        .env_remove("TOKENOMICS_SIGNER_KEY")
        .output()
        .unwrap()
}

/// Refused (exit 2), and no run of 8 of the key's digits appears anywhere in the output.
#[track_caller]
fn check_not_echoed(out: &Output, case: &str) {
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(2), "{case}: {printed}");
    let digits = &KEY[2..];
    for start in 0..=digits.len() - 8 {
        let part = &digits[start..start + 8];
        assert!(
            !printed.contains(part),
            "{case}: {part} echoed in: {printed}"
        );
    }
}

#[test]
fn a_key_given_in_place_of_any_value_is_never_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let community = "0x00000000000000000000000000000000000000f1";
    let bare = &KEY[2..];
    for (name, key) in [("with0x.json", KEY), ("bare.json", bare)] {
        common::write(dir.path(), name, &INPUTS.replace(community, key));
    }
    std::fs::write(
        dir.path().join("treasury.toml"),
        format!("[executor]\ntreasury = \"{KEY}\"\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("evm.toml"),
        format!("[evm]\ntoken_address = \"{KEY}\"\n"),
    )
    .unwrap();
    let a1 = "0x00000000000000000000000000000000000000a1";
    let node = "http://127.0.0.1:9";
    let evm = ["run", "--chain", "evm", "--rpc-url", node];
    let journal = format!("{KEY}/journal.sqlite");
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("inputs field", vec!["plan", "--inputs", "with0x.json"]),
        (
            "inputs field without 0x",
            vec!["plan", "--inputs", "bare.json"],
        ),
        (
            "[executor] treasury",
            vec![
                "plan",
                "--inputs",
                "with0x.json",
                "--config",
                "treasury.toml",
            ],
        ),
        (
            "[evm] token_address",
            [&evm[..], &["--config", "evm.toml"]].concat(),
        ),
        (
            "--token-address",
            [&evm[..], &["--token-address", KEY, "--payout-address", a1]].concat(),
        ),
        (
            "--payout-address",
            [&evm[..], &["--token-address", a1, "--payout-address", bare]].concat(),
        ),
        (
            "--signer-key-file",
            [
                &evm[..],
                &[
                    "--token-address",
                    a1,
                    "--payout-address",
                    a1,
                    "--signer-key-file",
                    KEY,
                ],
            ]
            .concat(),
        ),
        ("--rpc-url", vec!["run", "--rpc-url", KEY]),
        ("--journal", vec!["run", "--journal", &journal]),
        ("status --journal", vec!["status", "--journal", KEY]),
        ("plan --inputs", vec!["plan", "--inputs", KEY]),
        ("run --config", vec!["run", "--config", KEY]),
        (
            "--chain-id",
            vec!["run", "--chain", "evm", "--chain-id", KEY],
        ),
        ("--epochs", vec!["run", "--epochs", bare]),
        ("--metrics-addr", vec!["run", "--metrics-addr", KEY]),
        ("--chain", vec!["run", "--chain", KEY]),
        ("devnet --addr", vec!["devnet", "--addr", KEY]),
        (
            "deploy --chain-id",
            vec!["deploy", "--rpc-url", node, "--chain-id", KEY],
        ),
        ("schedule --epochs", vec!["schedule", "--epochs", KEY]),
    ];
    for (case, args) in cases {
        check_not_echoed(&tokenomics(dir.path(), &args), case);
    }
}
