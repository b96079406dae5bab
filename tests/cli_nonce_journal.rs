//! The EVM sender's nonce journal through `tokenomics run --chain evm` on a real anvil: its
//! file name and checks (a file that is not a nonce journal is refused untouched, exit 2,
//! naming it), and what the key used outside it does: mined with nothing of ours pending,
//! the run carries on; unknown transactions still pending are named with what to do; an
//! opening whose nonce was taken is sent again under a new nonce (the contract decides).

use crate::anvil;
use crate::common;
use crate::evm;

use std::path::PathBuf;
use std::process::Output;
use std::time::Duration;

use anvil::DEV_KEY;
use common::text;
use evm::Evm;

impl Evm {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `run --chain evm` of one synthetic epoch (20 recipients) with journal `journal`.
    fn run_with_journal(&self, journal: &str) -> tokio::process::Command {
        let mut run = command(&["run", "--chain", "evm", "--rpc-url", &self.anvil.url]);
        run.args([
            "--token-address",
            &self.contracts.token.to_string(),
            "--payout-address",
            &self.contracts.payout.to_string(),
        ])
        .args(["--epochs", "1", "--synthetic", "20", "--journal"])
        .arg(self.path(journal));
        run
    }
}

fn command(args: &[&str]) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_tokenomics"));
    command
        .args(args)
        .env("TOKENOMICS_SIGNER_KEY", DEV_KEY)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    command
}

/// Exits with `code`, and the error line contains each of `parts`.
#[track_caller]
fn check(out: &Output, code: i32, parts: &[&str]) {
    for part in parts {
        common::check_error(out, code, part);
    }
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("someone else"), "{stderr}");
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn the_nonce_journal_lies_beside_the_journal_as_documented_and_is_named() {
    let evm = Evm::start().await;
    let out = evm.run_with_journal("run.db").output().await.unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let nonces = evm.path("run.nonces.sqlite");
    let line = format!("nonce journal: {}", nonces.display());
    assert!(text(&out.stderr).contains(&line), "{}", text(&out.stderr));
    assert!(nonces.is_file());
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_nonce_journal_that_is_not_one_is_refused_untouched_naming_it_and_nothing_is_sent() {
    let evm = Evm::start().await;
    let nonces = evm.path("j.nonces.sqlite");
    let before = evm.anvil.dev_nonce_at("latest").await;
    let other = |sql: &str| {
        let _ = std::fs::remove_file(&nonces);
        rusqlite::Connection::open(&nonces)
            .unwrap()
            .execute_batch(sql)
            .unwrap();
    };
    let cases: [(&dyn Fn(), &str); 4] = [
        (
            &|| std::fs::write(&nonces, vec![0x5a; 8192]).unwrap(),
            "not a SQLite database, or a damaged one",
        ),
        (
            &|| other("CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('a');"),
            "not a nonce journal: table meta is missing",
        ),
        (
            &|| {
                other("CREATE TABLE meta (key TEXT); CREATE TABLE ops (x); CREATE TABLE attempts (y);")
            },
            "not a nonce journal: table meta has no column value",
        ),
        (
            &|| other("PRAGMA user_version = 99; CREATE TABLE meta (key TEXT, value TEXT);"),
            "schema version 99 is newer than this version reads (1)",
        ),
    ];
    for (make, reason) in cases {
        make();
        let bytes = std::fs::read(&nonces).unwrap();
        let out = evm.run_with_journal("j.sqlite").output().await.unwrap();
        let named = format!("nonce journal {}: {reason}", nonces.display());
        check(&out, 2, &[&named]);
        assert_eq!(
            std::fs::read(&nonces).unwrap(),
            bytes,
            "{reason}: file changed"
        );
    }
    assert_eq!(
        evm.anvil.dev_nonce_at("latest").await,
        before,
        "nothing sent"
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn the_key_used_outside_the_tool_with_nothing_of_ours_pending_does_not_block_the_journal() {
    let evm = Evm::start().await;
    let out = evm.run_with_journal("j.sqlite").output().await.unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    evm.anvil.foreign_transaction().await; // mined at once: the chain nonce is past the journal's
    let out = evm.run_with_journal("j.sqlite").output().await.unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("paid"), "{}", text(&out.stdout));
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn pending_transactions_a_fresh_nonce_journal_does_not_know_are_named_with_what_to_do() {
    let evm = Evm::start().await;
    evm.anvil.automine(false).await;
    evm.anvil.foreign_transaction().await; // e.g. sent with a nonce journal since deleted
    let before = evm.anvil.dev_nonce_at("pending").await;
    let out = evm.run_with_journal("fresh.sqlite").output().await.unwrap();
    check(
        &out,
        1,
        &[
            "has 1 pending transaction(s) this nonce journal does not know",
            "sent with a deleted or another nonce journal",
            "nothing was sent: wait until they are mined, then run again",
        ],
    );
    assert_eq!(
        evm.anvil.dev_nonce_at("pending").await,
        before,
        "nothing sent"
    );
    evm.anvil.automine(true).await;
    evm.anvil.rpc("evm_mine", vec![]).await;
    let out = evm.run_with_journal("fresh.sqlite").output().await.unwrap();
    assert!(out.status.success(), "once mined: {}", text(&out.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_run_whose_opening_nonce_was_taken_pays_without_touching_the_nonce_journal() {
    let evm = Evm::start().await;
    evm.anvil.automine(false).await;
    let mut run = evm.run_with_journal("j.sqlite").spawn().unwrap();
    for _ in 0..3_000 {
        if evm.anvil.dev_nonce_at("pending").await > evm.anvil.dev_nonce_at("latest").await {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    run.kill().await.unwrap();
    // The journaled opening never gets mined: its nonce goes to another transaction. The
    // contract, not the nonce journal, decides: the opening is sent under a new nonce.
    evm.anvil.rpc("anvil_dropAllTransactions", vec![]).await;
    evm.anvil.automine(true).await;
    evm.anvil.foreign_transaction().await;
    let out = evm.run_with_journal("j.sqlite").output().await.unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("paid"), "{}", text(&out.stdout));
    assert!(
        !text(&out.stderr).contains("can never be mined"),
        "{}",
        text(&out.stderr)
    );
}
