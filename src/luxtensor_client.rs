//! The one builder of Luxtensor clients: `run`, `run --dry-run` and `status --check-chain`
//! talk to a Luxtensor node through it (keyed writes replay-safe, the protocol's final and
//! rate-limit codes).

use rpc_resilience::{RequestBudget, ResilientClient};
use tokenomics_config::Config;

use crate::echo::hide_keys;
use crate::error::CliError;

/// A client for Luxtensor nodes: `urls` in failover order, the `[rpc]` section, Luxtensor's
/// policy (keyed writes are replay-safe) and classifier, the bearer token, and the health
/// monitor when `health`; its requests count against the command's `budget`
/// (`crate::request_budget::run_budget`).
pub(crate) fn luxtensor_client(
    config: &Config,
    urls: &[String],
    token: Option<String>,
    health: bool,
    budget: &RequestBudget,
) -> Result<ResilientClient, CliError> {
    let mut builder = ResilientClient::builder()
        .config(config.rpc.clone())
        .request_budget(budget.clone())
        .idempotency(luxtensor_protocol::policy())
        .classifier(luxtensor_protocol::classifier())
        .bearer_token(token)
        .health_monitor(health);
    for url in urls {
        builder = builder.endpoint(url.clone());
    }
    builder
        .build()
        .map_err(|e| CliError::BadInput(hide_keys(&format!("--rpc-url: {e}"))))
}
