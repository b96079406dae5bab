//! `tokenomics run --chain evm --payout claims`, `tokenomics proofs` and `tokenomics claim`
//! against a real anvil: one `openClaims` per epoch, claims that pay each account its
//! cumulative total once, a lost journal rebuilt from `--claims-history` or refused naming
//! the first missing epoch, SIGKILLs around `openClaims`, and the ecosystem's
//! `@openzeppelin/merkle-tree` loading the written `tree.json` with proofs that claim on chain.

use crate::anvil;
use crate::common;
use crate::evm;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use alloy_primitives::{B256, U256};
use anvil::{CHAIN_ID, DEV_KEY};
use common::text;
use evm::{check_success, Evm, DEPLOY_TXS};
use serde_json::Value;
use tokenomics_core::synthetic_inputs;

/// Anvil's second dev key (public test material): a claimant that is not the operator.
use evm_sender::anvil::SECOND_DEV_KEY as OTHER_KEY;

impl Evm {
    /// Writes epoch `epoch`'s synthetic inputs of `n` recipients (minted supply from the
    /// chain) into `folder` (created) of the fixture's folder.
    fn claims_inputs(&self, folder: &str, epoch: u64, n: usize) -> PathBuf {
        let dir = self.dir.path().join(folder);
        std::fs::create_dir_all(&dir).unwrap();
        let mut value = serde_json::to_value(synthetic_inputs(epoch, n)).unwrap();
        value.as_object_mut().unwrap().remove("minted_supply");
        let path = dir.join(format!("epoch-{epoch:04}.json"));
        std::fs::write(&path, value.to_string()).unwrap();
        path
    }

    /// `run --payout claims` of `inputs` with the journal `journal`.
    fn run_claims(&self, inputs: &Path, journal: &str, extra: &[&str]) -> tokio::process::Command {
        let mut args = vec!["--payout", "claims"];
        args.extend_from_slice(extra);
        self.run(inputs, journal, &args)
    }

    /// `tokenomics proofs` of `journal` into `out`.
    fn proofs(&self, journal: &str, out: &str) -> PathBuf {
        let dir = self.dir.path().join(out);
        let journal = self.dir.path().join(journal);
        let done = common::tokenomics(&[
            "proofs",
            "--journal",
            journal.to_str().unwrap(),
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert!(done.status.success(), "{}", text(&done.stderr));
        dir
    }

    /// `tokenomics claim --json` for `account` with the proofs in `proofs`, signed by the
    /// second dev key.
    fn claim(&self, account: &str, proofs: &Path) -> Output {
        let key = self.dir.path().join("claimant.key");
        std::fs::write(&key, format!("{OTHER_KEY}\n")).unwrap();
        std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .unwrap();
        std::process::Command::new(env!("CARGO_BIN_EXE_tokenomics"))
            .args(["claim", "--json", "--rpc-url", &self.anvil.url])
            .args(["--payout-address", &self.contracts.payout.to_string()])
            .args(["--account", account, "--chain-id", &CHAIN_ID.to_string()])
            .arg("--proofs")
            .arg(proofs)
            .arg("--signer-key-file")
            .arg(&key)
            .output()
            .unwrap()
    }

    /// The token balance of `account`.
    async fn token_balance(&self, account: &str) -> u128 {
        let reader = self.reader().await;
        let address = account.parse().unwrap();
        reader.balance_of(address).await.unwrap().base_units()
    }
}

/// An account with a leaf in `proofs` and its cumulative amount (base units).
fn some_account(proofs: &Path) -> (String, u128) {
    let tree: Value =
        serde_json::from_slice(&std::fs::read(proofs.join("tree.json")).unwrap()).unwrap();
    let value = &tree["values"][0]["value"];
    (
        value[0].as_str().unwrap().to_string(),
        value[1].as_str().unwrap().parse().unwrap(),
    )
}

/// The cumulative amount of `account` in `proofs`.
fn amount_of(proofs: &Path, account: &str) -> u128 {
    let tree: Value =
        serde_json::from_slice(&std::fs::read(proofs.join("tree.json")).unwrap()).unwrap();
    let values = tree["values"].as_array().unwrap();
    let found = values.iter().find(|v| v["value"][0] == account).unwrap();
    found["value"][1].as_str().unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn an_account_claiming_after_epoch_1_and_after_epoch_3_gets_exactly_its_total() {
    let evm = Evm::start().await;
    let first = evm.claims_inputs("in", 1, 30);
    check_success(
        &evm.run_claims(&first, "journal.sqlite", &[])
            .output()
            .await
            .unwrap(),
    );
    let proofs_1 = evm.proofs("journal.sqlite", "proofs-1");
    let (account, after_one) = some_account(&proofs_1);
    let paid: Value = serde_json::from_slice(&evm.claim(&account, &proofs_1).stdout).unwrap();
    assert_eq!(paid["claimed"], paid["cumulative"]);
    let mut reports = Vec::new();
    for epoch in [2, 3] {
        let file = evm.claims_inputs("in", epoch, 30);
        let out = evm.run_claims(&file, "journal.sqlite", &[]).output().await;
        reports = check_success(&out.unwrap());
    }
    assert_eq!(
        evm.anvil.dev_nonce().await,
        DEPLOY_TXS + 3,
        "one openClaims per epoch"
    );
    // Proofs of an older root: refused, nothing sent.
    let stale = evm.claim(&account, &proofs_1);
    common::check_error(&stale, 2, "the proofs are for root");
    let proofs = evm.proofs("journal.sqlite", "proofs-3");
    let tree: Value =
        serde_json::from_slice(&std::fs::read(proofs.join("tree.json")).unwrap()).unwrap();
    // The run's report says how the epoch was paid: its root and cumulative total.
    assert_eq!(reports[0]["payout"], "claims");
    assert_eq!(reports[0]["claims_root"], tree["tree"][0]);
    assert!(reports[0]["cumulative_total"].is_string());
    let total = amount_of(&proofs, &account);
    assert!(total > after_one);
    let again = evm.claim(&account, &proofs);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert_eq!(evm.token_balance(&account).await, total);
    // Nothing is left: said, nothing sent, exit 0.
    let nothing: Value = serde_json::from_slice(&evm.claim(&account, &proofs).stdout).unwrap();
    assert_eq!(
        (nothing["paid"].as_str(), nothing["tx_hash"].is_null()),
        (Some("0"), true)
    );
    assert_eq!(evm.token_balance(&account).await, total);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_lost_journal_is_refused_naming_the_first_missing_epoch_and_rebuilt_from_history() {
    let evm = Evm::start().await;
    for epoch in [1, 2] {
        let file = evm.claims_inputs("history", epoch, 20);
        check_success(
            &evm.run_claims(&file, "lost.sqlite", &[])
                .output()
                .await
                .unwrap(),
        );
    }
    let third = evm.claims_inputs("next", 3, 20);
    let refused = evm
        .run_claims(&third, "fresh.sqlite", &[])
        .output()
        .await
        .unwrap();
    common::check_error(
        &refused,
        2,
        "claims epoch 1 is on chain but neither in the journal",
    );
    assert_eq!(evm.anvil.dev_nonce().await, DEPLOY_TXS + 2, "nothing sent");
    let history = evm.dir.path().join("history");
    let history = history.to_str().unwrap();
    let rebuilt = evm
        .run_claims(&third, "fresh.sqlite", &["--claims-history", history])
        .output()
        .await
        .unwrap();
    check_success(&rebuilt);
    assert_eq!(evm.anvil.dev_nonce().await, DEPLOY_TXS + 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn sigkills_before_and_after_open_claims_open_the_epoch_once_with_one_root() {
    let evm = Evm::start().await;
    let file = evm.claims_inputs("in", 1, 40);
    evm.anvil.automine(false).await;
    // openClaims sent, not mined: killed.
    let mut run = evm
        .run_claims(&file, "journal.sqlite", &[])
        .spawn()
        .unwrap();
    until_pending(&evm, 1).await;
    run.kill().await.unwrap();
    // The restart resends the same bytes; mined while it waits; killed once mined.
    let mut run = evm
        .run_claims(&file, "journal.sqlite", &[])
        .spawn()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    evm.anvil.mine().await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    run.kill().await.unwrap();
    evm.anvil.automine(true).await;
    let done = evm
        .run_claims(&file, "journal.sqlite", &[])
        .output()
        .await
        .unwrap();
    check_success(&done);
    assert_eq!(
        evm.anvil.dev_nonce().await,
        DEPLOY_TXS + 1,
        "one openClaims"
    );
    let status: Value = serde_json::from_slice(&evm.status().stdout).unwrap();
    assert_eq!(status[0]["payout"], "claims");
    let proofs = evm.proofs("journal.sqlite", "proofs");
    let tree: Value =
        serde_json::from_slice(&std::fs::read(proofs.join("tree.json")).unwrap()).unwrap();
    assert_eq!(status[0]["claims_root"], tree["tree"][0]);
}

async fn until_pending(evm: &Evm, count: u64) {
    for _ in 0..3_000 {
        if evm.anvil.dev_nonce_at("pending").await >= evm.anvil.dev_nonce_at("latest").await + count
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("never {count} transactions pending");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn openzeppelin_merkle_tree_loads_tree_json_and_its_proofs_claim_on_chain() {
    let evm = Evm::start().await;
    let file = evm.claims_inputs("in", 1, 25);
    check_success(
        &evm.run_claims(&file, "journal.sqlite", &[])
            .output()
            .await
            .unwrap(),
    );
    let proofs = evm.proofs("journal.sqlite", "proofs");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new("node")
        .current_dir(repo.join("contracts"))
        .args(["merkle-compat.js", "load"])
        .arg(proofs.join("tree.json"))
        .output()
        .expect("node (npm ci --prefix contracts installs the library)");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let library: Value = serde_json::from_slice(&out.stdout).unwrap();
    let tree: Value =
        serde_json::from_slice(&std::fs::read(proofs.join("tree.json")).unwrap()).unwrap();
    assert_eq!(library["root"], tree["tree"][0]);
    let root: B256 = library["root"].as_str().unwrap().parse().unwrap();
    // The library's proofs, sent as they are, claim on chain.
    let client = rpc_resilience::ResilientClient::builder()
        .endpoint(&evm.anvil.url)
        .classifier(evm_sender::EvmClassifier)
        .build()
        .unwrap();
    let sender = evm_sender::EvmSender::open(
        evm_sender::SenderConfig::new(CHAIN_ID),
        client,
        evm_sender::Signer::from_hex(DEV_KEY).unwrap(),
        evm.dir.path().join("journal.nonces.sqlite"),
    )
    .await
    .unwrap();
    for entry in library["proofs"].as_array().unwrap().iter().take(3) {
        let account: evm_sender::Address = entry["value"][0].as_str().unwrap().parse().unwrap();
        let amount: U256 = entry["value"][1].as_str().unwrap().parse().unwrap();
        let proof: Vec<B256> = entry["proof"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h.as_str().unwrap().parse().unwrap())
            .collect();
        let sent =
            payout_claims::send_claim(&sender, evm.contracts.payout, account, amount, &proof, root)
                .await
                .unwrap()
                .unwrap();
        assert!(
            matches!(sent, payout_claims::ClaimOutcome::Paid { .. }),
            "{sent:?}"
        );
        let balance = evm.token_balance(&format!("{account:#x}")).await;
        assert_eq!(U256::from(balance), amount);
    }
}
