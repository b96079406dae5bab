//! Recipients the chain would refuse, through the binary against a real anvil: the zero
//! address refused by `plan` and `run` (every chain, `--dry-run` too) and the token and
//! payout contracts by `run --chain evm`, each with exit 2, the field named and nothing
//! sent.

use crate::common;
use crate::evm;

use common::check_error as check;
use evm::{Evm, DEPLOY_TXS, NONCES};
use serde_json::{json, Value};
use tokenomics_core::synthetic_inputs;
use tokenomics_core::{Amount, ZERO_ADDRESS};

/// The zero address as inputs files write it.
const ZERO: &str = "0x0000000000000000000000000000000000000000";

#[test]
fn plan_refuses_a_zero_address_recipient_naming_the_field() {
    common::check_refused(
        "0x00000000000000000000000000000000000000a2",
        ZERO,
        "miners[1].address: 0x0000000000000000000000000000000000000000 is the zero address",
    );
    common::check_refused(
        "0x00000000000000000000000000000000000000f2",
        ZERO,
        "dao_address: 0x0000000000000000000000000000000000000000 is the zero address",
    );
}

#[test]
fn run_and_dry_run_on_the_luxtensor_protocol_refuse_a_zero_address_before_starting_anything() {
    let dir = tempfile::tempdir().unwrap();
    let bad = common::INPUTS.replacen("0x00000000000000000000000000000000000000e1", ZERO, 1);
    let inputs = common::write(dir.path(), "inputs.json", &bad);
    for extra in [&[][..], &["--dry-run"][..]] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tokenomics"))
            .current_dir(dir.path())
            .args(["run", "--inputs", &inputs])
            .args(extra)
            .output()
            .unwrap();
        common::check_bad_input(&out, "inputs.json", "infrastructure[0].address");
    }
    assert!(
        !dir.path().join("tokenomics-data").exists(),
        "nothing started"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn run_on_evm_refuses_the_zero_address_the_token_and_the_payout_contract_sending_nothing() {
    let evm = Evm::start().await;
    let base = synthetic_inputs(1, 50);
    let cases = [
        (ZERO_ADDRESS, "dao_address", "the zero address"),
        (
            tokenomics_core::Address::from_bytes(evm.contracts.token.into_array()),
            "dao_address",
            "the token contract",
        ),
        (
            tokenomics_core::Address::from_bytes(evm.contracts.payout.into_array()),
            "dao_address",
            "the payout contract",
        ),
    ];
    for (address, field, what) in cases {
        let mut inputs = base.clone();
        inputs.dao_address = address;
        let file = evm.inputs_file("refused.json", &inputs, false);
        let out = evm.tokenomics("run", &["--inputs", &file]);
        check(
            &out,
            2,
            &format!("refused.json: {field}: {address} is {what}"),
        );
    }
    // A miner too, and in the second file of a folder: the first is not paid either.
    let folder = evm.dir.path().join("epochs");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("a.json"), serde_json::to_string(&base).unwrap()).unwrap();
    let mut second = synthetic_inputs(2, 50);
    second.miners[3].address =
        tokenomics_core::Address::from_bytes(evm.contracts.payout.into_array());
    std::fs::write(
        folder.join("b.json"),
        serde_json::to_string(&second).unwrap(),
    )
    .unwrap();
    let out = evm.tokenomics("run", &["--inputs", folder.to_str().unwrap()]);
    check(&out, 2, "b.json: miners[3].address");
    check(&out, 2, "the payout contract");
    assert_eq!(evm.anvil.dev_nonce().await, DEPLOY_TXS, "nothing sent");
    assert_eq!(
        evm.backend(NONCES).await.minted_supply().await.unwrap(),
        Amount::ZERO
    );
    let status = evm.status();
    let journaled: Value = serde_json::from_slice(&status.stdout).unwrap_or(json!([]));
    assert_eq!(journaled, json!([]), "nothing journaled");
}
