//! `tokenomics deploy` against a real anvil: the contracts' addresses, exactly once,
//! and the refusals that send nothing (wrong chain id, a key file others can read).

use crate::anvil;

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Output};

use anvil::{Anvil, CHAIN_ID, DEV_KEY};

/// `tokenomics deploy` against `anvil` with the dev key in the environment.
fn deploy(anvil: &Anvil, home: &std::path::Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tokenomics"))
        .args(["deploy", "--rpc-url", &anvil.url])
        .args(extra)
        .env("HOME", home)
        .env_remove("XDG_DATA_HOME")
        .env("TOKENOMICS_SIGNER_KEY", DEV_KEY)
        .output()
        .expect("the binary runs")
}

/// The refusal exits 2, says `reason`, never shows the key, and nothing was sent.
#[track_caller]
fn check_refused(out: &Output, reason: &str, nonce_after: u64) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(reason), "{stderr}");
    assert!(!stderr.contains(&DEV_KEY[2..]), "the key leaked: {stderr}");
    assert_eq!(nonce_after, 0, "nothing was sent");
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn deploy_prints_both_contracts_and_a_second_run_sends_nothing() {
    let anvil = Anvil::start();
    let home = tempfile::tempdir().unwrap();
    let chain = CHAIN_ID.to_string();
    let first = deploy(&anvil, home.path(), &["--chain-id", &chain, "--json"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let printed: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    let nonce = anvil.dev_nonce().await;
    assert_eq!(nonce, 3, "token, payout, ownership");
    for contract in ["token", "payout"] {
        let address = printed[contract].as_str().unwrap();
        let code = anvil
            .rpc("eth_getCode", vec![address.into(), "latest".into()])
            .await;
        assert!(code.as_str().unwrap().len() > 2, "{contract} has code");
    }
    let again = deploy(&anvil, home.path(), &["--json"]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&again.stdout).unwrap(),
        printed
    );
    assert_eq!(
        anvil.dev_nonce().await,
        nonce,
        "the journal made it exactly once"
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_wrong_chain_id_is_refused_before_anything_is_sent() {
    let anvil = Anvil::start();
    let home = tempfile::tempdir().unwrap();
    let out = deploy(&anvil, home.path(), &["--chain-id", "1"]);
    check_refused(&out, "chain", anvil.dev_nonce().await);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_key_file_readable_by_others_is_refused_without_showing_the_key() {
    let anvil = Anvil::start();
    let home = tempfile::tempdir().unwrap();
    let key = home.path().join("signer.key");
    std::fs::write(&key, format!("{DEV_KEY}\n")).unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = deploy(
        &anvil,
        home.path(),
        &["--signer-key-file", key.to_str().unwrap()],
    );
    check_refused(&out, "--signer-key-file", anvil.dev_nonce().await);
}
