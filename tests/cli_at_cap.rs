//! Epochs at the cap, on the real binary: on the Luxtensor protocol (a `tokenomics devnet`
//! process whose max supply is reached) an epoch that pays nothing still mints its 0 MDT
//! under `mint:<epoch>`, verifies, and the run goes on to the next epochs; on EVM (a real
//! anvil) the plan mints at most what the token's emission category can still mint.

use crate::anvil;
use crate::node;

use jsonrpsee::core::client::ClientT;
use node::{finish, run, Node};
use serde_json::Value;

/// The devnet's and the plan's max supply, in MDT: reached in epoch 1 of a synthetic run.
const CAP: &str = "1500";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn epochs_past_the_cap_mint_zero_verify_and_the_run_goes_on() {
    let node = Node::start_with(&["--max-supply", CAP]).await;
    let dir = tempfile::tempdir().unwrap();
    let config = format!("[emission]\nmax_supply = \"{CAP}\"\n");
    std::fs::write(dir.path().join("config.toml"), config).unwrap();
    let args = [
        "--synthetic",
        "5",
        "--epochs",
        "4",
        "--config",
        "config.toml",
    ];
    let args = [&args[..], &["--journal", "journal.sqlite"]].concat();
    let finished = finish(run(&node, dir.path(), &args)).await;
    assert_eq!(finished.code, Some(0), "stderr: {}", finished.stderr);
    for epoch in 0..4 {
        let said = format!("epoch {epoch}: verified on chain");
        assert!(finished.stderr.contains(&said), "{}", finished.stderr);
    }
    assert_eq!(node.supply().await, 1500 * 10u128.pow(18));
    for epoch in [2, 3] {
        let key = format!("mint:{epoch}");
        let record: Value = node
            .client()
            .request("luxtensor_getTransfer", jsonrpsee::rpc_params![&key])
            .await
            .unwrap();
        assert_eq!(record["status"], "applied", "{key}: {record}");
        assert_eq!(record["amount"], "0x0", "{key}: {record}");
    }
}

/// Anvil with both contracts deployed by the binary, and a folder for runs.
struct Evm {
    anvil: anvil::Anvil,
    dir: tempfile::TempDir,
    token: String,
    payout: String,
}

impl Evm {
    fn start() -> Evm {
        let anvil = anvil::Anvil::start();
        let dir = tempfile::tempdir().unwrap();
        let out = Evm::tokenomics(dir.path(), &["deploy", "--rpc-url", &anvil.url, "--json"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
        let address = |name: &str| printed[name].as_str().unwrap().to_owned();
        let (token, payout) = (address("token"), address("payout"));
        Evm {
            anvil,
            dir,
            token,
            payout,
        }
    }

    fn tokenomics(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_tokenomics"))
            .args(args)
            .current_dir(dir)
            .env("HOME", dir)
            .env_remove("XDG_DATA_HOME")
            .env_remove("RUST_LOG")
            .env("TOKENOMICS_SIGNER_KEY", anvil::DEV_KEY)
            .output()
            .unwrap()
    }

    /// `run --chain evm` of `epochs` synthetic epochs with `journal` and `config`.
    fn run(&self, journal: &str, config: &str, epochs: &str) -> std::process::Output {
        let dir = self.dir.path();
        std::fs::write(dir.join("config.toml"), config).unwrap();
        let run = ["run", "--chain", "evm", "--rpc-url", &self.anvil.url];
        let contracts = [
            "--token-address",
            &self.token,
            "--payout-address",
            &self.payout,
        ];
        let rest = ["--config", "config.toml", "--journal", journal];
        let epochs = ["--synthetic", "5", "--epochs", epochs];
        Evm::tokenomics(dir, &[&run[..], &contracts, &rest, &epochs].concat())
    }
}

/// A base reward so large that epoch 0 mints most of the token's emission category
/// (45 % of 21M = 9.45M MDT), epoch 1 wants more than is left and the later ones
/// find nothing left.
const HUGE_REWARD: &str = "[emission]\nbase_reward = \"9000000\"\n";

#[track_caller]
fn check_ran(out: &std::process::Output, stdout: &[&str], stderr: &[&str]) {
    let (out_text, err_text) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(0), "{err_text}");
    for said in stdout {
        assert!(out_text.contains(said), "{said:?} not in: {out_text}");
    }
    for said in stderr {
        assert!(err_text.contains(said), "{said:?} not in: {err_text}");
    }
}

#[test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
fn evm_epochs_past_the_emission_category_cap_mint_what_is_left_and_go_on() {
    let evm = Evm::start();
    let out = evm.run("journal.sqlite", HUGE_REWARD, "4");
    check_ran(
        &out,
        &[
            "mint capped by the chain's own cap (the token's emission category) in 3 epoch(s), 1 to 3",
            "total supply after: 9450000 MDT",
        ],
        &[
            "epoch 1: minted 1443422.550623416199763122 MDT (capped by the chain",
            "epoch 1: verified on chain",
            "epoch 3: minted 0 MDT (capped by the chain",
            "epoch 3: verified on chain",
        ],
    );
}

#[test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
fn evm_a_capped_epoch_open_on_chain_is_planned_the_same_without_its_journal() {
    let evm = Evm::start();
    check_ran(&evm.run("first.sqlite", HUGE_REWARD, "2"), &[], &[]);
    // A fresh journal: the run carries on at the last epoch opened on chain (1, capped
    // to what the category had left, now nothing) and must plan it as it was paid.
    let again = evm.run("second.sqlite", HUGE_REWARD, "1");
    check_ran(
        &again,
        &["already paid on chain", "in 1 epoch(s), 1 to 1"],
        &["epoch 1: verified on chain"],
    );
}

#[test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
fn evm_a_capped_epoch_run_again_with_its_journal_is_already_done() {
    let evm = Evm::start();
    check_ran(&evm.run("journal.sqlite", HUGE_REWARD, "2"), &[], &[]);
    // Epoch 1 again, by its inputs: the journal's plan, capped to what the category had
    // left then (nothing is left now).
    // Without `minted_supply`, so the run takes it from the journal, as `--synthetic` does.
    let mut inputs = serde_json::to_value(tokenomics_core::synthetic_inputs(1, 5)).unwrap();
    inputs.as_object_mut().unwrap().remove("minted_supply");
    let path = evm.dir.path().join("epoch-1.json");
    std::fs::write(&path, inputs.to_string()).unwrap();
    let dir = evm.dir.path();
    let out = Evm::tokenomics(
        dir,
        &[
            "run",
            "--chain",
            "evm",
            "--rpc-url",
            &evm.anvil.url,
            "--token-address",
            &evm.token,
            "--payout-address",
            &evm.payout,
            "--config",
            "config.toml",
            "--journal",
            "journal.sqlite",
            "--inputs",
            "epoch-1.json",
        ],
    );
    check_ran(&out, &["already done", "in 1 epoch(s), 1 to 1"], &[]);
}
