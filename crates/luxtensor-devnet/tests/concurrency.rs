//! Many clients at once: transfers never overdraw and the books always balance.

use crate::support;

use serde_json::json;
use support::{addr, hex, start};

/// Checks the books: the balances of `holders` add up to the total supply.
#[track_caller]
fn check(balances: &[u128], total_supply: u128) {
    assert_eq!(
        balances.iter().sum::<u128>(),
        total_supply,
        "balances {balances:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_transfers_never_overdraw_and_keep_the_books_balanced() {
    let (_devnet, rpc) = start(|_| {}).await;
    let holders: Vec<String> = (1..=4).map(addr).collect();
    for holder in &holders {
        rpc.mint(holder, 50, None).await;
    }
    // 32 tasks each try 10 transfers of 7 units around the ring: far more than
    // the 200 units in existence, so many must be refused.
    let mut tasks = Vec::new();
    for task in 0..32usize {
        let rpc = rpc.clone();
        let holders = holders.clone();
        tasks.push(tokio::spawn(async move {
            let mut applied = 0u32;
            for step in 0..10usize {
                let from = &holders[(task + step) % 4];
                let to = &holders[(task + step + 1) % 4];
                let reply = rpc
                    .call("luxtensor_transfer", json!([from, to, hex(7)]))
                    .await;
                match reply["error"]["code"].as_i64() {
                    None => applied += 1,
                    Some(-32001) => {}
                    Some(code) => panic!("unexpected error {code}: {reply}"),
                }
            }
            applied
        }));
    }
    let mut applied = 0;
    for task in tasks {
        applied += task.await.expect("task ends");
    }
    let mut balances = Vec::new();
    for holder in &holders {
        balances.push(rpc.balance(holder).await);
    }
    check(&balances, rpc.total_supply().await);
    assert_eq!(rpc.total_supply().await, 200);
    assert_eq!(rpc.block_number().await, 4 + u128::from(applied));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_batches_and_single_calls_keep_the_books_balanced() {
    let (_devnet, rpc) = start(|_| {}).await;
    rpc.mint(&addr(1), 1_000, None).await;
    let mut tasks = Vec::new();
    for task in 0..8u8 {
        let rpc = rpc.clone();
        tasks.push(tokio::spawn(async move {
            let to = addr(10 + task);
            let calls: Vec<_> = (0..20)
                .map(|_| ("luxtensor_transfer", json!([addr(1), to, "0x5"])))
                .collect();
            rpc.batch(&calls).await;
            rpc.call("luxtensor_transfer", json!([addr(1), addr(2), "0x1"]))
                .await;
        }));
    }
    for task in tasks {
        task.await.expect("task ends");
    }
    let mut balances = vec![rpc.balance(&addr(1)).await, rpc.balance(&addr(2)).await];
    for task in 0..8u8 {
        balances.push(rpc.balance(&addr(10 + task)).await);
    }
    check(&balances, rpc.total_supply().await);
    assert_eq!(balances[0], 1_000 - 8 * 20 * 5 - 8);
}
