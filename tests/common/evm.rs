//! Anvil with both contracts deployed by the binary, and a folder for journals: the
//! fixture of the CLI tests that run on EVM, with a backend on it through the library.
//!
//! A test file using it declares `mod common;` and `#[path = "common/anvil.rs"] mod anvil;`.

// Each test file uses its own part of this module.
#![allow(dead_code)]

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use evm_sender::{SenderConfig, Signer};
use payout_evm::{Contracts, EvmPayout};
use rpc_resilience::ResilientClient;
use serde_json::Value;

use crate::anvil::{Anvil, CHAIN_ID, DEV_KEY};
use crate::common::text;

/// Transactions of `tokenomics deploy`: token, payout, ownership.
pub(crate) const DEPLOY_TXS: u64 = 3;

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
