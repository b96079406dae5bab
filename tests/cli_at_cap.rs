//! Epochs at the cap, on the real binary: on the Luxtensor protocol (a `tokenomics devnet`
//! process whose max supply is reached) an epoch that pays nothing still mints its 0 MDT
//! under `mint:<epoch>`, verifies, and the run goes on to the next epochs.

#[path = "common/node.rs"]
mod node;

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
