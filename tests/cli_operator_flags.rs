//! Flags and fields named in the binary's refusals, against the real binary and a real
//! anvil: a chain id the node contradicts, contracts missing or not owned as needed, and
//! addresses that are not exactly 40 hex digits in any flag, field or configuration key.

use crate::anvil;
use crate::common;
use crate::operator;

use common::{text, INPUTS};
use operator::{check, tokenomics};

#[test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
fn deploy_names_chain_id_when_the_node_reports_another() {
    let anvil = anvil::Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let out = tokenomics(
        dir.path(),
        &["deploy", "--rpc-url", &anvil.url, "--chain-id", "1"],
    );
    check(
        &out,
        2,
        "--chain-id: chain id mismatch: configured 1, the node says 31337",
    );
}

#[test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
fn contracts_missing_or_not_owned_as_needed_are_refused_naming_their_flag() {
    let anvil = anvil::Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let deployed = tokenomics(dir.path(), &["deploy", "--rpc-url", &anvil.url, "--json"]);
    assert!(deployed.status.success(), "{}", text(&deployed.stderr));
    let contracts: serde_json::Value = serde_json::from_slice(&deployed.stdout).unwrap();
    let (token, payout) = (
        contracts["token"].as_str().unwrap(),
        contracts["payout"].as_str().unwrap(),
    );
    let nothing = "0x00000000000000000000000000000000000000a1";
    let run = |token: &str, payout: &str| {
        tokenomics(
            dir.path(),
            &[
                "run",
                "--chain",
                "evm",
                "--rpc-url",
                &anvil.url,
                "--token-address",
                token,
                "--payout-address",
                payout,
                "--journal",
                "j.sqlite",
            ],
        )
    };
    check(
        &run(token, nothing),
        2,
        "--payout-address: no payout contract at 0x",
    );
    check(
        &run(nothing, payout),
        2,
        "--token-address: no token contract at 0x",
    );
    // The token as payout: it is owned by the payout contract, not by the signer.
    check(
        &run(token, token),
        2,
        "--payout-address: the payout contract",
    );
}

#[test]
fn addresses_are_exactly_40_hex_digits_in_every_flag_field_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let a1 = "0x00000000000000000000000000000000000000a1";
    for bad in [
        format!("0x0{}", &a1[2..]),
        format!("0x{}", &a1[3..]),
        format!("0x00{}", &a1[2..]),
    ] {
        let inputs = common::write(
            dir.path(),
            "in.json",
            &INPUTS.replace("0x00000000000000000000000000000000000000f1", &bad),
        );
        check(
            &tokenomics(dir.path(), &["plan", "--inputs", &inputs]),
            2,
            "community_address: invalid address",
        );
        std::fs::write(
            dir.path().join("c.toml"),
            format!("[executor]\ntreasury = \"{bad}\"\n"),
        )
        .unwrap();
        check(
            &tokenomics(dir.path(), &["schedule", "--config", "c.toml"]),
            2,
            "[executor] treasury: invalid address",
        );
        let flags = [
            "run",
            "--chain",
            "evm",
            "--rpc-url",
            "http://127.0.0.1:9",
            "--payout-address",
            a1,
            "--token-address",
            &bad,
        ];
        check(
            &tokenomics(dir.path(), &flags),
            2,
            "--token-address: invalid address",
        );
    }
}
