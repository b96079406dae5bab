//! Batches: split into chunks of `batch_size` sent side by side, results in request order, and
//! only the failed items retried (idempotent ones, or any whose request was never sent).
//!
//! Each round goes through the same breaker, timeout, backoff and budget as a single call.

use jsonrpsee::core::JsonRawValue;
use tokio::time::Instant;

use super::endpoint::RawParams;
use super::execute::settle;
use super::ResilientClient;
use crate::{RetryClassifier, RetryDecision, RpcError};

/// One item's outcome: the raw result or why it failed.
pub(crate) type ItemResult = Result<Box<JsonRawValue>, RpcError>;

impl ResilientClient {
    /// Sends `items` (method, params) as JSON-RPC batches; one result per item, in order.
    pub(crate) async fn execute_batch(
        &self,
        items: Vec<(&str, RawParams)>,
    ) -> Result<Vec<ItemResult>, RpcError> {
        if items.is_empty() {
            return Err(RpcError::InvalidRequest {
                reason: "empty batch".into(),
            });
        }
        let inner = &self.inner;
        let _slot = inner.limit.acquire().await;
        let started = Instant::now();
        inner.metrics.record_request();
        let idempotent: Vec<bool> = items
            .iter()
            .map(|(m, p)| self.is_idempotent(m, p, Default::default()))
            .collect();
        let deadline = inner.deadline.and_then(|d| started.checked_add(d));
        let policy = *inner.retry.policy();
        let mut results: Vec<Option<ItemResult>> = vec![None; items.len()];
        let mut pending: Vec<usize> = (0..items.len()).collect();
        let mut previous = policy.backoff.initial;
        let mut round = 1u32;
        if let Some(budget) = inner.retry.budget() {
            budget.deposit();
        }
        loop {
            let chunks: Vec<Vec<usize>> = pending
                .chunks(inner.batch_size)
                .map(<[usize]>::to_vec)
                .collect();
            let start = round as usize - 1; // a retry round prefers the next endpoint (failover)
            let sends = chunks
                .iter()
                .map(|chunk| self.send_chunk(&items, chunk, start));
            let round_of_sends = futures_util::future::join_all(sends);
            let answers = match deadline {
                None => round_of_sends.await,
                Some(deadline) => match tokio::time::timeout_at(deadline, round_of_sends).await {
                    Ok(answers) => answers,
                    Err(_) => {
                        let overall = inner.deadline.unwrap_or_default();
                        for &index in &pending {
                            let last = results[index].take().and_then(Result::err).map(Box::new);
                            results[index] = Some(Err(RpcError::DeadlineExceeded {
                                deadline: overall,
                                last,
                            }));
                        }
                        break;
                    }
                },
            };
            let mut retry_later = Vec::new();
            let mut asked_delay = None;
            for (chunk, answer) in chunks.iter().zip(answers) {
                for (&index, outcome) in chunk.iter().zip(answer) {
                    let retryable = outcome.as_ref().err().is_some_and(|e| {
                        let classifier = inner.retry.classifier();
                        let decision = classifier.classify(e);
                        if let RetryDecision::RateLimited {
                            retry_after: Some(d),
                        } = decision
                        {
                            asked_delay =
                                Some(asked_delay.map_or(d, |a: std::time::Duration| a.max(d)));
                        }
                        decision != RetryDecision::DoNotRetry
                            && (idempotent[index] || !classifier.may_have_reached_server(e))
                    });
                    if retryable {
                        retry_later.push(index);
                    }
                    results[index] = Some(outcome);
                }
            }
            if retry_later.is_empty() || round >= policy.max_attempts.max(1) {
                break;
            }
            let delay = match asked_delay {
                Some(asked) => asked.min(policy.max_retry_after),
                None => inner.retry.backoff_delay(round, previous),
            };
            if deadline.is_some_and(|d| {
                Instant::now()
                    .checked_add(delay)
                    .is_none_or(|wake| wake >= d)
            }) {
                break;
            }
            if inner.retry.budget().is_some_and(|b| !b.try_withdraw()) {
                inner.metrics.record_budget_rejection();
                for &index in &retry_later {
                    if let Some(Err(last)) = results[index].take() {
                        results[index] = Some(Err(RpcError::BudgetExhausted {
                            last: Box::new(last),
                        }));
                    }
                }
                break;
            }
            tokio::time::sleep(delay).await;
            inner.metrics.record_retry();
            previous = delay;
            round += 1;
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
        let batch: Vec<(&str, RawParams)> = chunk
            .iter()
            .map(|&i| (items[i].0, items[i].1.clone()))
            .collect();
        let answer = endpoint.batch(&batch).await; // timed out by the endpoint's client
        settle(permit, answer.as_ref().err());
        match answer {
            Err(error) => failed(error),
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
        }
    }
}
