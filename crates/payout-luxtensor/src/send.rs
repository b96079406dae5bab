//! Sending an epoch's transfers on the Luxtensor protocol: keyed JSON-RPC batches, many
//! in flight, in rounds over whatever is still unconfirmed.
//!
//! A transfer whose answer was lost stays pending and is sent again in the next round
//! under the same key, which the node answers with its first result; so rounds can
//! never pay twice, they only finish what transport trouble left open.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures_util::{stream, StreamExt};
use tokenomics_core::{Address, EpochPlan};

use crate::batch::{Batch, BatchOutcome};
use crate::protocol::LuxtensorPayout;
use payout_executor::ConfirmedSink;
use payout_executor::{ExecutorError, PaidBy, Result};

/// The longest pause between two rounds over unconfirmed transfers.
const MAX_ROUND_PAUSE: Duration = Duration::from_secs(5);

impl LuxtensorPayout {
    /// Sends every `pending` transfer from `treasury`, `batches_in_flight` batches at a
    /// time, handing confirmations to `confirmed` in groups of `batch_size *
    /// batches_in_flight` (a group lost to a kill only means an idempotent resend); then
    /// rounds over what is left, at most `max_rounds` times.
    pub(crate) async fn send_rounds(
        &self,
        plan: &EpochPlan,
        treasury: Address,
        pending: &[u32],
        stop: &AtomicBool,
        confirmed: &mut ConfirmedSink<'_>,
    ) -> Result<()> {
        let epoch = plan.epoch;
        let mut left: Vec<u32> = pending.to_vec();
        let mut done = vec![false; plan.transfers.len()];
        let config = &self.config;
        let mut pause = config.round_pause;
        let batch_size = self.client().batch_size().get();
        let group_size = batch_size.saturating_mul(config.batches_in_flight.get());
        for round in 1..=config.max_rounds {
            left.retain(|&index| !done.get(index as usize).copied().unwrap_or(true));
            if left.is_empty() {
                return Ok(());
            }
            if round > 1 {
                tokio::time::sleep(pause).await;
                pause = pause.saturating_mul(2).min(MAX_ROUND_PAUSE);
            }
            // Once a stop is asked for, no new batch starts; those in flight finish.
            let mut answers = stream::iter(left.chunks(batch_size))
                .take_while(|_| std::future::ready(!stop.load(Ordering::SeqCst)))
                .map(|chunk| self.spawn_batch(Batch::new(plan, chunk), treasury))
                .buffer_unordered(config.batches_in_flight.get());
            let mut group: Vec<(u32, PaidBy)> = Vec::new();
            while let Some(answered) = answers.next().await {
                let BatchOutcome {
                    confirmed: now,
                    refused,
                } = answered?;
                group.extend(now);
                if refused.is_some() || group.len() >= group_size {
                    hand_over(&mut group, &mut done, confirmed)?;
                    if let Some(refused) = refused {
                        return Err(refused);
                    }
                }
            }
            drop(answers);
            hand_over(&mut group, &mut done, confirmed)?;
            if stop.load(Ordering::SeqCst) {
                let pending = left
                    .iter()
                    .filter(|&&i| !done.get(i as usize).copied().unwrap_or(true))
                    .count();
                return Err(ExecutorError::Interrupted { epoch, pending });
            }
        }
        left.retain(|&index| !done.get(index as usize).copied().unwrap_or(true));
        match left.len() {
            0 => Ok(()),
            pending => Err(ExecutorError::Incomplete {
                epoch,
                pending,
                rounds: config.max_rounds,
            }),
        }
    }
}

impl LuxtensorPayout {
    /// Sends `batch` on a task of its own and sorts the answers there, so encoding and
    /// reading a batch run on the runtime's workers beside the connections they use,
    /// whatever thread drives the epoch.
    async fn spawn_batch(&self, batch: Batch, treasury: Address) -> Result<BatchOutcome> {
        let chain = self.clone();
        let task = tokio::spawn(async move {
            let answer = chain.transfers(treasury, batch.calls()).await;
            batch.outcome(answer)
        });
        match task.await {
            Ok(outcome) => outcome,
            Err(failed) if failed.is_panic() => std::panic::resume_unwind(failed.into_panic()),
            // Cancelled with the runtime: its transfers stay pending (resent with their keys).
            Err(_) => Ok(BatchOutcome {
                confirmed: Vec::new(),
                refused: None,
            }),
        }
    }
}

/// Hands a group of confirmations over and marks them done.
fn hand_over(
    group: &mut Vec<(u32, PaidBy)>,
    done: &mut [bool],
    confirmed: &mut ConfirmedSink<'_>,
) -> Result<()> {
    if group.is_empty() {
        return Ok(());
    }
    confirmed(group)?;
    for (index, _) in group.iter() {
        if let Some(mark) = done.get_mut(*index as usize) {
            *mark = true;
        }
    }
    group.clear();
    Ok(())
}
