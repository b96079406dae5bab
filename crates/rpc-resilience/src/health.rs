//! [`HealthMonitor`]: a background probe (e.g. `eth_blockNumber`) that notices an endpoint that
//! is down or whose head stopped advancing, and feeds its circuit breaker.
//!
//! The probe is any async function returning the head number, so the monitor is not tied to
//! one client. A probe answered [`RpcError::RateLimited`] changes nothing: the status stays,
//! and the breaker hears neither a failure nor a success. Its task is aborted when the monitor is dropped: no leaked tasks.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

use crate::{CircuitBreaker, RpcError};

/// How often to probe, how long a probe may take, and when a still head counts as stalled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HealthConfig {
    /// Time between probes (default 30 s).
    pub interval: Duration,
    /// Time one probe may take (default 5 s).
    pub timeout: Duration,
    /// Probes in a row without head progress before the endpoint counts as stalled (default 3).
    pub stall_probes: u32,
}

impl Default for HealthConfig {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(30),
            timeout: Duration::from_secs(5),
            stall_probes: 3,
        }
    }
}

/// What the last probe found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum HealthStatus {
    /// No probe has finished yet.
    Unknown,
    /// The endpoint answered and its head is advancing.
    Healthy {
        /// The head it reported.
        head: u64,
    },
    /// The endpoint answers but its head has not moved for `probes` probes.
    Stalled {
        /// The head it keeps reporting.
        head: u64,
        /// Probes without progress.
        probes: u32,
    },
    /// The probe failed or timed out.
    Unreachable {
        /// Why.
        error: String,
    },
}

impl HealthStatus {
    /// Whether the endpoint is usable (healthy, or nothing known yet).
    pub fn is_healthy(&self) -> bool {
        matches!(self, Self::Healthy { .. } | Self::Unknown)
    }
}

/// Owns the background probe task; dropping it stops the task.
#[derive(Debug)]
pub struct HealthMonitor {
    status: watch::Receiver<HealthStatus>,
    task: JoinHandle<()>,
}

impl HealthMonitor {
    /// Spawns the probe loop on the current tokio runtime. The first probe runs at once.
    pub fn spawn<P, Fut>(
        config: HealthConfig,
        mut probe: P,
        breaker: Option<Arc<CircuitBreaker>>,
    ) -> Self
    where
        P: FnMut() -> Fut + Send + 'static,
        Fut: Future<Output = Result<u64, RpcError>> + Send + 'static,
    {
        let (sender, status) = watch::channel(HealthStatus::Unknown);
        let task = tokio::spawn(async move {
            let mut ticks = tokio::time::interval(config.interval.max(Duration::from_millis(1)));
            ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
            let mut best: Option<u64> = None;
            let mut still = 0u32;
            loop {
                ticks.tick().await;
                let outcome = crate::timeout::with_timeout(config.timeout, probe()).await;
                let status = match outcome {
                    // The node is up and asked us to slow down: no news about its health.
                    Err(RpcError::RateLimited { .. }) => continue,
                    Ok(head) if best.is_none_or(|b| head > b) => {
                        best = Some(head);
                        still = 0;
                        HealthStatus::Healthy { head }
                    }
                    Ok(head) => {
                        still += 1;
                        if still >= config.stall_probes.max(1) {
                            HealthStatus::Stalled {
                                head,
                                probes: still,
                            }
                        } else {
                            HealthStatus::Healthy { head }
                        }
                    }
                    Err(error) => HealthStatus::Unreachable {
                        error: error.to_string(),
                    },
                };
                if let Some(breaker) = &breaker {
                    if status.is_healthy() {
                        breaker.record_success();
                    } else {
                        breaker.record_failure();
                    }
                }
                if status != *sender.borrow() {
                    tracing::debug!(?status, "endpoint health changed");
                }
                sender.send_replace(status);
            }
        });
        Self { status, task }
    }

    /// What the last probe found.
    pub fn status(&self) -> HealthStatus {
        self.status.borrow().clone()
    }

    /// A receiver that sees every new status.
    pub fn subscribe(&self) -> watch::Receiver<HealthStatus> {
        self.status.clone()
    }
}

impl Drop for HealthMonitor {
    fn drop(&mut self) {
        self.task.abort();
    }
}
