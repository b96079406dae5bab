//! Batches: split into chunks of `batch_size` sent side by side, results in request order, and
//! only the failed items retried.
//!
//! A batch is one run of the retry loop whose attempts are rounds: each failed item is judged
//! by the same rule as a single call ([`crate::Retry::verdict`]), and the wait before the next
//! round by the same step ([`crate::retry::Attempts::next_delay`]), so a call and a batch item
//! are retried alike. Each round goes through the same breakers and timeouts as a single call.

use std::time::Duration;

use jsonrpsee::core::JsonRawValue;
use tokio::time::Instant;

use super::endpoint::RawParams;
use super::execute::give_up;
use super::ResilientClient;
use crate::{RetryClassifier, RetryDecision, RetryError, RpcError, Stop, Verdict};

/// One item's outcome: the raw result or why it failed.
pub(crate) type ItemResult = Result<Box<JsonRawValue>, RpcError>;

impl ResilientClient {
    /// Sends `items` (method, params) as JSON-RPC batches; one result per item, in order.
    /// No items, no request: the answer is empty (JSON-RPC forbids an empty batch, and
    /// asking for nothing has nothing to fail).
    pub(crate) async fn execute_batch(
        &self,
        items: Vec<(&str, RawParams)>,
    ) -> Result<Vec<ItemResult>, RpcError> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let inner = &self.inner;
        let _slot = inner.limit.acquire().await;
        let started = Instant::now();
        inner.metrics.record_request();
        let idempotent: Vec<bool> = items
            .iter()
            .map(|(m, p)| self.is_idempotent(m, p, Default::default()))
            .collect();
        let overall = inner.deadline;
        let mut attempts = inner
            .retry
            .attempts(overall.and_then(|d| started.checked_add(d)));
        let mut results: Vec<Option<ItemResult>> = vec![None; items.len()];
        let mut pending: Vec<usize> = (0..items.len()).collect();
        loop {
            let round = attempts.start_attempt();
            if round > 1 {
                inner.metrics.record_retry();
            }
            let Some(answers) = self
                .send_round(&items, &pending, round, attempts.deadline())
                .await
            else {
                for &index in &pending {
                    let last = results[index].take().and_then(Result::err);
                    let error = RetryError::DeadlineExceeded {
                        attempts: round,
                        last,
                    };
                    results[index] = Some(Err(give_up(error, overall)));
                }
                break;
            };
            let mut retry_later = Vec::new();
            let mut asked: Option<Duration> = None;
            let mut only_rate_limited = true;
            for (index, outcome) in answers {
                if let Err(error) = &outcome {
                    if let Verdict::Retryable {
                        asked: delay,
                        rate_limited,
                    } = inner.retry.verdict(idempotent[index], error)
                    {
                        retry_later.push(index);
                        asked = asked.max(delay); // the longest delay any server asked for
                        only_rate_limited &= rate_limited;
                    }
                }
                results[index] = Some(outcome);
            }
            if retry_later.is_empty() {
                break;
            }
            let next = if only_rate_limited {
                attempts.next_delay_rate_limited(asked)
            } else {
                attempts.next_delay(asked)
            };
            match next {
                Ok(delay) => tokio::time::sleep(delay).await,
                Err(stop) => {
                    if stop == Stop::Budget {
                        inner.metrics.record_budget_rejection();
                    }
                    for &index in &retry_later {
                        if let Some(Err(last)) = results[index].take() {
                            let error = give_up(stop.into_error(round, last), overall);
                            results[index] = Some(Err(error));
                        }
                    }
                    break;
                }
            }
            pending = retry_later;
        }
        let results: Vec<ItemResult> = results
            .into_iter()
            .map(|r| {
                r.unwrap_or_else(|| {
                    Err(RpcError::MalformedResponse {
                        reason: "item never answered".into(),
                    })
                })
            })
            .collect();
        match results.iter().find_map(|r| r.as_ref().err()) {
            None => inner.metrics.record_success(started.elapsed()),
            Some(error) => inner.metrics.record_failure(started.elapsed(), error),
        }
        Ok(results)
    }

    /// Sends the `pending` items as chunks side by side, round `round` preferring endpoint
    /// `round - 1` (failover); each item's outcome by index, or `None` if the deadline passed.
    async fn send_round(
        &self,
        items: &[(&str, RawParams)],
        pending: &[usize],
        round: u32,
        deadline: Option<Instant>,
    ) -> Option<Vec<(usize, ItemResult)>> {
        let chunks: Vec<&[usize]> = pending.chunks(self.inner.batch_size.get()).collect();
        let start = usize::try_from(round.saturating_sub(1)).unwrap_or(0);
        let sends = chunks
            .iter()
            .map(|chunk| self.send_chunk(items, chunk, start));
        let all = futures_util::future::join_all(sends);
        let answers = match deadline {
            None => all.await,
            Some(deadline) => tokio::time::timeout_at(deadline, all).await.ok()?,
        };
        Some(
            chunks
                .iter()
                .zip(answers)
                .flat_map(|(chunk, answer)| chunk.iter().copied().zip(answer))
                .collect(),
        )
    }

    /// Sends one chunk to the first endpoint from `start` on that admits it.
    async fn send_chunk(
        &self,
        items: &[(&str, RawParams)],
        chunk: &[usize],
        start: usize,
    ) -> Vec<ItemResult> {
        let failed = |error: RpcError| chunk.iter().map(|_| Err(error.clone())).collect();
        let (index, permit) = match self.select(start) {
            Ok(selected) => selected,
            Err(error) => return failed(error),
        };
        let endpoint = &self.inner.endpoints[index];
        let batch = chunk.iter().map(|&i| (items[i].0, &items[i].1));
        let answer = endpoint.batch(batch).await; // timed out by the endpoint's client
        self.settle(endpoint, permit, answer.as_ref().err());
        let items: Vec<ItemResult> = match answer {
            Err(error) => return failed(error),
            Ok(response) => response
                .into_iter()
                .map(|item| {
                    item.map_err(|object| match (object.code(), object.message()) {
                        (0, "") => RpcError::MalformedResponse {
                            reason: "no answer for this batch item".into(),
                        },
                        _ => super::error_map::from_error_object(&object.into_owned()),
                    })
                })
                .collect(),
        };
        // An item the node rate limited pauses the budget like a whole answer.
        let classifier = self.inner.retry.classifier();
        let limited: Vec<Option<Duration>> = items
            .iter()
            .filter_map(|item| match classifier.classify(item.as_ref().err()?) {
                RetryDecision::RateLimited { retry_after } => Some(retry_after),
                _ => None,
            })
            .collect();
        if !limited.is_empty() {
            let asked = limited.into_iter().flatten().max();
            let cap = self.inner.retry.policy().max_retry_after;
            if let Some(delay) = endpoint.budget.rate_limit_pause(asked, cap) {
                endpoint.budget.pause(delay);
            }
        }
        items
    }
}
