//! Per-attempt timeout: one attempt may take at most this long, then it fails with
//! [`RpcError::Timeout`].
//!
//! A tiny wrapper over `tokio::time::timeout` so the error says how long was waited, and so the
//! timeout runs on tokio's (pausable) clock.

use std::future::Future;
use std::time::Duration;

use crate::RpcError;

/// Runs `attempt`, failing with [`RpcError::Timeout`] if it takes longer than `after`.
pub async fn with_timeout<T, F>(after: Duration, attempt: F) -> Result<T, RpcError>
where
    F: Future<Output = Result<T, RpcError>>,
{
    match tokio::time::timeout(after, attempt).await {
        Ok(result) => result,
        Err(_) => Err(RpcError::Timeout { after }),
    }
}
