//! Anvil with both contracts deployed by the binary, and a folder for journals: the
//! fixture of the CLI tests that run on EVM, with a backend on it through the library, the
//! binary's `run --chain evm` (and other commands) on it, and the check that a plan's
//! recipients were each paid once.
//!
//! A test file using it declares `mod common;` and `#[path = "common/anvil.rs"] mod anvil;`.

// Each test file uses its own part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use evm_sender::{SenderConfig, Signer};
use payout_evm::{chunk_count, Contracts, EvmPayout};
use rpc_resilience::ResilientClient;
use serde_json::Value;
use tokenomics_core::synthetic_inputs;
use tokenomics_core::{EpochInputs, EpochPlan, Params};

use crate::anvil::{Anvil, CHAIN_ID, DEV_KEY};
use crate::common;
use crate::common::text;

/// Transactions of `tokenomics deploy`: token, payout, ownership.
pub(crate) const DEPLOY_TXS: u64 = 3;

/// The run's nonce journal: backends here use it, so that the binary later finds every
/// nonce of this account journaled.
pub(crate) const NONCES: &str = "journal.nonces.sqlite";

/// Anvil with both contracts deployed by the binary, and a folder for journals.
pub(crate) struct Evm {
    pub(crate) anvil: Anvil,
    pub(crate) dir: tempfile::TempDir,
    pub(crate) contracts: Contracts,
}

impl Evm {
    /// A fresh anvil with the contracts deployed.
    pub(crate) async fn start() -> Evm {
        Evm::deployed_on(Anvil::start()).await
    }

    /// Deploys with the binary on `anvil` (mining meanwhile, for `--no-mining`).
    pub(crate) async fn deployed_on(anvil: Anvil) -> Evm {
        let dir = tempfile::tempdir().unwrap();
        let deploy = deploy(&anvil.url, &dir.path().join("deploy.sqlite")).output();
        let contracts = deployed(&while_mining(&anvil, deploy).await.unwrap());
        Evm {
            anvil,
            dir,
            contracts,
        }
    }

    /// A backend on the contracts, the dev key signing, with the nonce journal `journal`
    /// in the folder.
    pub(crate) async fn backend(&self, journal: &str) -> EvmPayout {
        let client = ResilientClient::builder()
            .endpoint(&self.anvil.url)
            .classifier(evm_sender::EvmClassifier)
            .build()
            .unwrap();
        EvmPayout::connect(
            SenderConfig::new(CHAIN_ID),
            client,
            Signer::from_hex(DEV_KEY).unwrap(),
            self.contracts,
            &self.dir.path().join(journal),
        )
        .await
        .unwrap()
    }

    /// `run --chain evm` on this anvil and these contracts, journal `journal`, paying
    /// the inputs file `inputs`, the key in the environment.
    pub(crate) fn run(
        &self,
        inputs: &Path,
        journal: &str,
        extra: &[&str],
    ) -> tokio::process::Command {
        self.run_via(&self.anvil.url, inputs, journal, extra)
    }

    /// [`Evm::run`] with `--rpc-url url` (e.g. a proxy in front of this anvil).
    pub(crate) fn run_via(
        &self,
        url: &str,
        inputs: &Path,
        journal: &str,
        extra: &[&str],
    ) -> tokio::process::Command {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_tokenomics"));
        command
            .args(["run", "--chain", "evm", "--rpc-url", url])
            .args(["--token-address", &self.contracts.token.to_string()])
            .args(["--payout-address", &self.contracts.payout.to_string()])
            .args(["--chain-id", &CHAIN_ID.to_string(), "--json", "--inputs"])
            .arg(inputs)
            .arg("--journal")
            .arg(self.dir.path().join(journal))
            .args(extra)
            .env("TOKENOMICS_SIGNER_KEY", DEV_KEY)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true);
        command
    }

    /// Runs to the end; the output.
    pub(crate) async fn finish(&self, inputs: &Path, journal: &str, extra: &[&str]) -> Output {
        self.run(inputs, journal, extra).output().await.unwrap()
    }

    /// Writes `inputs` to a file in the folder.
    pub(crate) fn inputs(&self, inputs: &EpochInputs) -> PathBuf {
        let path = self.dir.path().join(format!("epoch-{}.json", inputs.epoch));
        std::fs::write(&path, serde_json::to_string(inputs).unwrap()).unwrap();
        path
    }

    /// A backend that only reads (its own, empty sender journal).
    pub(crate) async fn reader(&self) -> EvmPayout {
        self.backend("reader.sqlite").await
    }

    /// [`Evm::check_paid_once`], and the dev key sent one transaction per operation
    /// since the deploy: the opening and one per chunk (the run's only epoch).
    pub(crate) async fn check_paid_once_one_tx_each(&self, plan: &EpochPlan) {
        self.check_paid_once(plan).await;
        let txs = 1 + payout_evm::chunk_count(plan) as u64;
        assert_eq!(
            self.anvil.dev_nonce_at("latest").await,
            DEPLOY_TXS + txs,
            "one tx per operation"
        );
    }

    /// Every recipient holds exactly its plan amount (fresh addresses before), every
    /// chunk is paid, and the supply is what the plan minted.
    pub(crate) async fn check_paid_once(&self, plan: &EpochPlan) {
        let reader = self.reader().await;
        let mut owed: std::collections::BTreeMap<_, u128> = Default::default();
        for transfer in &plan.transfers {
            *owed.entry(transfer.to).or_default() += transfer.amount.base_units();
        }
        let mut wrong = Vec::new();
        for (who, amount) in owed {
            let address = evm_sender::Address::from(*who.as_bytes());
            let balance = reader.balance_of(address).await.unwrap().base_units();
            if balance != amount {
                wrong.push((who, amount, balance));
            }
        }
        assert_eq!(wrong, Vec::new(), "recipients not paid exactly once");
        let paid = reader
            .paid_chunks(plan.epoch, chunk_count(plan))
            .await
            .unwrap();
        assert!(paid.iter().all(|p| *p), "every chunk paid: {paid:?}");
        assert_eq!(reader.minted_supply().await.unwrap(), plan.from_mint);
    }

    /// `journal.sqlite` in the folder: the journal `tokenomics` runs with.
    pub(crate) fn journal(&self) -> PathBuf {
        self.dir.path().join("journal.sqlite")
    }

    /// `tokenomics <command> --chain evm` with the connection flags and the journal.
    pub(crate) fn tokenomics(&self, command: &str, args: &[&str]) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_tokenomics"))
            .args([command, "--chain", "evm", "--rpc-url", &self.anvil.url])
            .args(["--token-address", &self.contracts.token.to_string()])
            .args(["--payout-address", &self.contracts.payout.to_string()])
            .args(["--chain-id", &CHAIN_ID.to_string(), "--journal"])
            .arg(self.journal())
            .args(args)
            .env("TOKENOMICS_SIGNER_KEY", DEV_KEY)
            .output()
            .unwrap()
    }

    /// `tokenomics status --json` of the journal.
    pub(crate) fn status(&self) -> Output {
        let journal = self.journal();
        common::tokenomics(&["status", "--json", "--journal", journal.to_str().unwrap()])
    }

    /// Writes `inputs` (without `minted_supply` when `from_chain`) to `name`.
    pub(crate) fn inputs_file(&self, name: &str, inputs: &EpochInputs, from_chain: bool) -> String {
        let mut value = serde_json::to_value(inputs).unwrap();
        if from_chain {
            value.as_object_mut().unwrap().remove("minted_supply");
        }
        common::write(self.dir.path(), name, &value.to_string())
    }
}

/// `tokenomics deploy --json` on `url` with the nonce journal `journal`, the dev key in
/// the environment.
pub(crate) fn deploy(url: &str, journal: &Path) -> tokio::process::Command {
    let mut deploy = tokio::process::Command::new(env!("CARGO_BIN_EXE_tokenomics"));
    deploy
        .args(["deploy", "--rpc-url", url, "--json", "--journal"])
        .arg(journal)
        .env("TOKENOMICS_SIGNER_KEY", DEV_KEY);
    deploy
}

/// The contracts a successful `deploy --json` printed.
#[track_caller]
pub(crate) fn deployed(out: &Output) -> Contracts {
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    Contracts {
        token: printed["token"].as_str().unwrap().parse().unwrap(),
        payout: printed["payout"].as_str().unwrap().parse().unwrap(),
    }
}

/// Awaits `future` while mining a block every 50 ms (at most about two minutes).
pub(crate) async fn while_mining<T>(
    anvil: &Anvil,
    future: impl std::future::Future<Output = T>,
) -> T {
    tokio::pin!(future);
    for _ in 0..2_400 {
        tokio::select! {
            done = &mut future => return done,
            () = tokio::time::sleep(Duration::from_millis(50)) => {
                anvil.mine().await;
            }
        }
    }
    panic!("never finished while mining");
}

/// The run succeeded; its JSON reports.
#[track_caller]
pub(crate) fn check_success(out: &Output) -> Vec<Value> {
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Synthetic inputs with `participants` and the minted supply given (0, a fresh token).
pub(crate) fn inputs(epoch: u64, participants: usize) -> (EpochInputs, EpochPlan) {
    let inputs = synthetic_inputs(epoch, participants);
    let plan = EpochPlan::build(&Params::default(), &inputs).unwrap();
    (inputs, plan)
}
