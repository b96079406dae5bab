//! What an operator meets around a run, against the real binary (the embedded devnet, a
//! `tokenomics devnet`, a real anvil): a journal file that is not one, `--journal` paths,
//! a closed stdout, flags named in refusals, a dry run beside a devnet holding the ledger,
//! what is logged on a resume and printed after a failure.

use crate::anvil;
use crate::common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{text, INPUTS};

/// `tokenomics <args>` in `dir` (also its HOME), with anvil's dev key in the environment.
fn tokenomics(dir: &Path, args: &[&str]) -> Output {
    common::tokenomics_in(dir)
        .args(args)
        .env_remove("XDG_DATA_HOME")
        .env("TOKENOMICS_SIGNER_KEY", anvil::DEV_KEY)
        .output()
        .unwrap()
}

/// Exits with `code`; the error line contains `message`; stdout is empty.
#[track_caller]
fn check(out: &Output, code: i32, message: &str) {
    common::check_error(out, code, message);
    assert_eq!(text(&out.stdout), "", "nothing on stdout");
}

#[test]
fn run_refuses_a_database_that_is_not_a_journal_and_leaves_it_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("app.sqlite");
    rusqlite::Connection::open(&file)
        .unwrap()
        .execute_batch("CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('a');")
        .unwrap();
    let bytes = std::fs::read(&file).unwrap();
    let out = tokenomics(
        dir.path(),
        &[
            "run",
            "--epochs",
            "1",
            "--synthetic",
            "5",
            "--journal",
            "app.sqlite",
        ],
    );
    check(
        &out,
        2,
        "app.sqlite: journal is corrupt: not a journal of this tool",
    );
    assert_eq!(
        std::fs::read(&file).unwrap(),
        bytes,
        "the file is untouched"
    );
}

#[test]
fn a_journal_path_that_is_a_folder_or_in_a_missing_folder_exits_2_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("folder")).unwrap();
    for (args, message) in [
        (
            &["run", "--journal", "folder"][..],
            "--journal folder: is a folder",
        ),
        (
            &["run", "--journal", "missing/j.sqlite"][..],
            "--journal missing/j.sqlite: folder missing does not exist",
        ),
        (
            &[
                "deploy",
                "--rpc-url",
                "http://127.0.0.1:9",
                "--journal",
                "folder",
            ][..],
            "--journal folder: is a folder",
        ),
    ] {
        check(&tokenomics(dir.path(), args), 2, message);
    }
    assert!(
        !dir.path().join("tokenomics-data").exists(),
        "nothing started"
    );
}

#[test]
fn plan_json_into_a_reader_that_stops_after_one_line_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let miners: Vec<String> = (1..=3000)
        .map(|i| format!(r#"{{"address": "0x{i:040x}", "score": 0.5}}"#))
        .collect();
    let inputs = INPUTS.replacen(
        r#"[{"address": "0x00000000000000000000000000000000000000A1", "score": 0.9},
             {"address": "0x00000000000000000000000000000000000000a2", "score": "0.1"}]"#,
        &format!("[{}]", miners.join(",")),
        1,
    );
    let inputs = common::write(dir.path(), "inputs.json", &inputs);
    let mut child = Command::new(env!("CARGO_BIN_EXE_tokenomics"))
        .args(["plan", "--inputs", &inputs, "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap(); // the reader is dropped here: stdout is closed, as by `| head -1`
    assert_eq!(first, "{\n");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn a_dry_run_takes_no_lock_on_the_embedded_ledger() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("tokenomics-data")).unwrap();
    // A devnet holds the ledger the embedded devnet of `run` uses.
    let mut devnet = Command::new(env!("CARGO_BIN_EXE_tokenomics"))
        .args([
            "devnet",
            "--addr",
            "127.0.0.1:0",
            "--db",
            "tokenomics-data/devnet.sqlite",
        ])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(devnet.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with("listening on"), "{line}");
    let out = tokenomics(
        dir.path(),
        &["run", "--dry-run", "--epochs", "1", "--synthetic", "5"],
    );
    devnet.kill().unwrap();
    devnet.wait().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("transfers"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn a_resumed_epoch_found_open_on_chain_is_not_logged_as_minted() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = common::write(dir.path(), "inputs.json", INPUTS);
    let run = |journal: &str| {
        tokenomics(
            dir.path(),
            &["run", "--inputs", &inputs, "--journal", journal],
        )
    };
    let first = run("a.sqlite");
    assert!(
        text(&first.stderr).contains("epoch 1000: minted "),
        "{}",
        text(&first.stderr)
    );
    // Another journal: the epoch is open on the (same embedded) chain already.
    let second = run("b.sqlite");
    let stderr = text(&second.stderr);
    assert_eq!(second.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("epoch 1000: minted"), "{stderr}");
    assert!(
        stderr.contains("epoch 1000: already open on chain ("),
        "{stderr}"
    );
}

#[test]
fn a_run_that_fails_prints_no_table() {
    let dir = tempfile::tempdir().unwrap();
    let other = INPUTS.replace("\"epoch\": 1000", "\"epoch\": 1001");
    let first = common::write(dir.path(), "1001.json", &other);
    let paid = tokenomics(
        dir.path(),
        &["run", "--inputs", &first, "--journal", "a.sqlite"],
    );
    assert_eq!(paid.status.code(), Some(0), "{}", text(&paid.stderr));
    // Epoch 1000 is paid, then 1001 with other inputs is refused by the chain.
    let epochs = dir.path().join("epochs");
    std::fs::create_dir(&epochs).unwrap();
    common::write(&epochs, "1000.json", INPUTS);
    common::write(
        &epochs,
        "1001.json",
        &other.replace("\"utility_score\": 0.67", "\"utility_score\": 0.5"),
    );
    let out = tokenomics(
        dir.path(),
        &["run", "--inputs", "epochs", "--journal", "b.sqlite"],
    );
    check(&out, 2, "epoch 1001");
    assert!(
        text(&out.stderr).contains("epoch 1000: done in"),
        "{}",
        text(&out.stderr)
    );
}

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
