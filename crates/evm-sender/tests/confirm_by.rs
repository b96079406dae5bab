//! What confirms an operation on a node whose block hashes are all zero (as the Luxtensor
//! node's): by block hash nothing can, and the sender says so without recording anything;
//! by depth a status-1 receipt deep enough does; and one look at an operation
//! (`op_status`) tells a caller whether its nonce was used and what its receipt says
//! without waiting.

use crate::common;

use std::time::Duration;

use common::lagging::LaggingReceipts;
use common::{bob, check, client, Anvil};
use evm_sender::{ConfirmBy, Error, EvmSender, Signer, TxRequest, U256};

/// A sender through `proxy` with `confirm_by`.
async fn sender(
    anvil: &Anvil,
    proxy: &LaggingReceipts,
    by: ConfirmBy,
    journal: &std::path::Path,
) -> EvmSender {
    let mut config = anvil.config();
    config.confirm_by = by;
    config.confirm_timeout = Some(Duration::from_secs(5));
    let signer = Signer::from_hex(common::DEV_KEY).unwrap();
    EvmSender::open(config, client(&proxy.url), signer, journal)
        .await
        .unwrap()
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn by_block_hash_a_zero_canonical_hash_confirms_nothing_and_records_no_foreign_nonce() {
    let anvil = Anvil::start();
    let proxy = LaggingReceipts::start_with(&anvil.url, Duration::ZERO, true).await;
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.sqlite");
    let strict = sender(&anvil, &proxy, ConfirmBy::BlockHash, &journal).await;
    strict
        .submit("a", TxRequest::transfer(bob(), U256::from(1)))
        .await
        .unwrap();
    let error = strict.wait_confirmed("a").await.map(|_| ()).unwrap_err();
    check(
        matches!(error, Error::NoBlockHash { op_id, .. } if op_id == "a"),
        true,
    );
    drop(strict);

    let by_depth = sender(&anvil, &proxy, ConfirmBy::Depth, &journal).await;
    let done = by_depth
        .wait_confirmed("a")
        .await
        .map_err(|e| e.to_string());
    check(done.map(|done| done.block_hash.is_zero()), Ok(true));
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn one_look_tells_whether_the_nonce_was_used_and_what_the_receipt_says() {
    let anvil = Anvil::start_no_mining();
    let proxy = LaggingReceipts::start_with(&anvil.url, Duration::ZERO, true).await;
    let dir = tempfile::tempdir().unwrap();
    let sender = sender(
        &anvil,
        &proxy,
        ConfirmBy::BlockHash,
        &dir.path().join("j.sqlite"),
    )
    .await;
    check(sender.op_status("a").await.unwrap(), None);
    let sent = sender
        .submit("a", TxRequest::transfer(bob(), U256::from(1)))
        .await
        .unwrap();
    let waiting = sender.op_status("a").await.unwrap().unwrap();
    check((waiting.nonce_used(), waiting.mined), (false, None));
    anvil.mine().await;
    let mined = sender.op_status("a").await.unwrap().unwrap();
    check(mined.nonce_used(), true);
    let receipt = mined.mined.unwrap();
    check((receipt.success, receipt.at.tx_hash), (true, sent.tx_hash));
    check(mined.confirmed, None); // a look writes nothing
    sender.mark_confirmed("a", receipt.at).unwrap();
    check(
        sender.journaled_confirmation("a").unwrap(),
        Some(receipt.at),
    );
}
