//! `tokenomics run --dry-run --chain evm` against a real anvil: after a paid epoch it
//! prints what the next one would mint and pay, with the figures the payout contract and
//! the token answer, and reads only: no key given, the signer's nonce, the token's supply,
//! the journal and the nonce journal are as they were.

use crate::anvil;
use crate::common;

use std::path::Path;
use std::process::{Command, Output};

use anvil::{Anvil, DEV_KEY};
use common::text;
use serde_json::{json, Value};

/// `MDTToken.totalSupply()`.
const TOTAL_SUPPLY: &str = "0x18160ddd";
/// `MDTToken.balanceOf(address)`, without its argument.
const BALANCE_OF: &str = "0x70a08231";

/// The binary in `dir`, with `args`; the signer's key only when `key`.
fn tokenomics(dir: &Path, args: &[&str], key: bool) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tokenomics"));
    command
        .current_dir(dir)
        .args(args)
        .env_remove("TOKENOMICS_SIGNER_KEY");
    if key {
        command.env("TOKENOMICS_SIGNER_KEY", DEV_KEY);
    }
    command.output().unwrap()
}

/// A `uint256` view of `to` at the latest block.
async fn view(anvil: &Anvil, to: &str, data: String) -> u128 {
    let call = json!({"to": to, "data": data});
    let hex = anvil.rpc("eth_call", vec![call, json!("latest")]).await;
    u128::from_str_radix(hex.as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
}

/// Each file's bytes (an absent file as `None`).
fn contents(files: &[&Path]) -> Vec<Option<Vec<u8>>> {
    files.iter().map(|file| std::fs::read(file).ok()).collect()
}

/// An MDT amount in base units (`"12.5"` -> 12.5 * 10^18).
fn base_units(mdt: &Value) -> u128 {
    let text = mdt.as_str().unwrap();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let fraction = format!("{fraction:0<18}");
    whole.parse::<u128>().unwrap() * 10u128.pow(18) + fraction.parse::<u128>().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_dry_run_on_evm_prints_the_next_epoch_and_sends_and_writes_nothing() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let deploy = tokenomics(
        dir.path(),
        &[
            "deploy",
            "--rpc-url",
            &anvil.url,
            "--json",
            "--journal",
            "deploy.sqlite",
        ],
        true,
    );
    assert!(deploy.status.success(), "{}", text(&deploy.stderr));
    let contracts: Value = serde_json::from_slice(&deploy.stdout).unwrap();
    let (token, payout) = (
        contracts["token"].as_str().unwrap().to_string(),
        contracts["payout"].as_str().unwrap().to_string(),
    );
    let run = |extra: &[&str], key: bool| {
        let mut args = vec!["run", "--chain", "evm", "--rpc-url", &anvil.url];
        args.extend(["--token-address", &token, "--payout-address", &payout]);
        args.extend(["--journal", "journal.sqlite", "--json", "--epochs", "1"]);
        args.extend(["--synthetic", "7"]);
        args.extend(extra);
        tokenomics(dir.path(), &args, key)
    };
    let paid = run(&[], true);
    assert!(paid.status.success(), "{}", text(&paid.stderr));
    let paid: Value = serde_json::from_slice(&paid.stdout).unwrap();
    let paid_epoch = paid[0]["epoch"].as_u64().unwrap();

    let journals = [
        dir.path().join("journal.sqlite"),
        dir.path().join("journal.nonces.sqlite"),
    ];
    let journals: Vec<&Path> = journals.iter().map(|p| p.as_path()).collect();
    let before = contents(&journals);
    assert!(before.iter().all(Option::is_some), "both journals written");
    let nonce = anvil.dev_nonce().await;
    let supply = view(&anvil, &token, TOTAL_SUPPLY.into()).await;
    let holds = format!("{BALANCE_OF}{:0>64}", payout.trim_start_matches("0x"));
    let payout_balance = view(&anvil, &token, holds).await;

    // No key: a dry run needs none.
    let dry = run(&["--dry-run"], false);
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    let reports: Value = serde_json::from_slice(&dry.stdout).unwrap();
    let next = &reports[0];
    assert_eq!(reports.as_array().unwrap().len(), 1, "{reports:#}");
    assert_eq!(next["epoch"].as_u64(), Some(paid_epoch + 1), "{next:#}");
    assert_eq!(next["on_chain"], "not_open", "{next:#}");
    assert_eq!(next["would_mint"], true, "{next:#}");
    assert_eq!(next["journal_stage"], Value::Null, "{next:#}");
    assert!(base_units(&next["from_mint"]) > 0, "{next:#}");
    assert_eq!(next["to_send"], next["transfers"], "{next:#}");
    assert!(next["transfers"].as_u64().unwrap() > 0, "{next:#}");
    // The EVM figures: the payer is the payout contract, its balance the token's
    // `balanceOf` it, the minted supply the token's `totalSupply`.
    assert_eq!(next["treasury"], payout.to_lowercase(), "{next:#}");
    assert_eq!(base_units(&next["treasury_balance"]), payout_balance);
    assert_eq!(base_units(&next["minted_supply"]), supply);

    assert_eq!(anvil.dev_nonce().await, nonce, "the signer sent nothing");
    let supply_after = view(&anvil, &token, TOTAL_SUPPLY.into()).await;
    assert_eq!(supply_after, supply, "nothing minted");
    assert!(contents(&journals) == before, "journals untouched");
}
