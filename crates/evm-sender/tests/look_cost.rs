//! What one look at an operation costs against a node's request limit, on a real anvil:
//! `op_status` is two requests (one JSON-RPC batch and the head) however many
//! transactions the operation has, and a sender whose client has a request budget of N a
//! minute waits between looks long enough that they take at most half of it; receipts with
//! their logs are read eight to a batch.

use crate::common;

use std::time::Duration;

use common::{bob, check, Anvil, DEV_KEY};
use evm_sender::{EvmSender, Signer, TxRequest, REQUESTS_PER_LOOK, U256};
use rpc_resilience::{RequestBudget, ResilientClient};

/// A sender on `anvil` whose client counts its requests against `budget`.
async fn counted(anvil: &Anvil, budget: &RequestBudget, journal: &std::path::Path) -> EvmSender {
    let client = ResilientClient::builder()
        .endpoint(&anvil.url)
        .request_budget(budget.clone())
        .build()
        .unwrap();
    let signer = Signer::from_hex(DEV_KEY).unwrap();
    EvmSender::open(anvil.config(), client, signer, journal)
        .await
        .unwrap()
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_look_at_a_mined_operation_is_two_requests() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let budget = RequestBudget::unlimited();
    let sender = counted(&anvil, &budget, &dir.path().join("j.sqlite")).await;
    sender
        .submit("a", TxRequest::transfer(bob(), U256::from(1)))
        .await
        .unwrap();
    sender.wait_confirmed("a").await.unwrap();
    let before = budget.requests();
    let status = sender.op_status("a").await.unwrap().unwrap();
    check(status.mined.map(|mined| mined.success), Some(true));
    check(status.known.is_some(), true);
    check(budget.requests() - before, 2);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn with_a_budget_of_90_a_minute_looks_come_every_4_seconds() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let minute = Duration::from_secs(60);
    let limited = RequestBudget::new(90, minute).unwrap();
    let sender = counted(&anvil, &limited, &dir.path().join("a.sqlite")).await;
    check(REQUESTS_PER_LOOK, 3);
    check(sender.poll_interval(), Duration::from_secs(4));
    drop(sender);
    // No limit, or a generous one: the configured interval (the tests' 20 ms).
    let free = counted(
        &anvil,
        &RequestBudget::unlimited(),
        &dir.path().join("b.sqlite"),
    )
    .await;
    check(free.poll_interval(), Duration::from_millis(20));
    drop(free);
    let generous = RequestBudget::new(1_000_000, minute).unwrap();
    let fast = counted(&anvil, &generous, &dir.path().join("c.sqlite")).await;
    check(fast.poll_interval(), Duration::from_millis(20));
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn receipts_with_their_logs_are_read_eight_to_a_request() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().unwrap();
    let budget = RequestBudget::unlimited();
    let sender = counted(&anvil, &budget, &dir.path().join("j.sqlite")).await;
    let mut hashes = Vec::new();
    for n in 0..10u64 {
        let op = format!("t{n}");
        let sent = sender
            .submit(&op, TxRequest::transfer(bob(), U256::from(n + 1)))
            .await
            .unwrap();
        sender.wait_confirmed(&op).await.unwrap();
        hashes.push(sent.tx_hash);
    }
    let before = budget.requests();
    let receipts = sender.receipts(&hashes).await.unwrap();
    check(
        receipts
            .iter()
            .all(|r| r.as_ref().is_some_and(|r| r.success)),
        true,
    );
    check(receipts.len(), 10);
    check(budget.requests() - before, 2);
}
