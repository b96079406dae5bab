//! The devnet's ceiling for the epoch benchmark: an epoch's transfers sent by raw jsonrpsee,
//! with no plan, journal or verification, into a fresh file ledger.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jsonrpsee::core::client::ClientT;
use jsonrpsee::core::params::BatchRequestBuilder;
use jsonrpsee::rpc_params;
use luxtensor_devnet::DevnetHandle;
use luxtensor_protocol::{format_quantity, transfer_key};
use tokenomics_core::EpochPlan;

use super::raw_client::raw_client;

/// The devnet's ceiling: `plan`'s transfers from `treasury` (minted its total first) as raw
/// jsonrpsee batches of `batch_size`, `in_flight` at a time, into a fresh `devnet`; the time
/// from the first batch to the last answer.
pub(crate) async fn ceiling(
    devnet: &DevnetHandle,
    treasury: &'static str,
    plan: Arc<EpochPlan>,
    batch_size: usize,
    in_flight: usize,
) -> Duration {
    let client = Arc::new(raw_client(devnet));
    let total = format_quantity(plan.total.base_units());
    let _: serde_json::Value = client
        .request("luxtensor_mint", rpc_params![treasury, total, "mint:0"])
        .await
        .expect("mint");
    let batches = plan.transfers.len().div_ceil(batch_size);
    let send = |batch: usize| {
        let (client, plan) = (Arc::clone(&client), Arc::clone(&plan));
        async move {
            let mut request = BatchRequestBuilder::new();
            let end = (batch * batch_size + batch_size).min(plan.transfers.len());
            for index in batch * batch_size..end {
                let transfer = &plan.transfers[index];
                let params = rpc_params![
                    treasury,
                    transfer.to.to_string(),
                    format_quantity(transfer.amount.base_units()),
                    transfer_key(plan.epoch, index as u32)
                ];
                request
                    .insert("luxtensor_transfer", params)
                    .expect("params");
            }
            let answer = client
                .batch_request::<serde_json::Value>(request)
                .await
                .expect("batch");
            assert_eq!(answer.num_failed_calls(), 0, "refused transfers");
            answer.num_successful_calls()
        }
    };
    let start = Instant::now();
    let mut running = tokio::task::JoinSet::new();
    let (mut next, mut applied) = (0, 0);
    while next < batches.min(in_flight) {
        running.spawn(send(next));
        next += 1;
    }
    while let Some(done) = running.join_next().await {
        applied += done.expect("batch task");
        if next < batches {
            running.spawn(send(next));
            next += 1;
        }
    }
    let elapsed = start.elapsed();
    assert_eq!(applied, plan.transfers.len(), "every transfer applied");
    elapsed
}
