//! What an operator meets around a run, against the real binary (the embedded devnet, a
//! `tokenomics devnet`): a journal file that is not one, `--journal` paths, a closed
//! stdout, a dry run beside a devnet holding the ledger, what is logged on a resume and
//! printed after a failure.

use crate::common;
use crate::operator;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{text, INPUTS};
use operator::{check, tokenomics};

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
