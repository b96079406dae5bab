//! The run's one request budget: `[rpc] requests_per_minute` made into a single
//! `RequestBudget` per command, given to every client that command builds (Luxtensor, EVM,
//! a local anvil's), so their requests, health probes and retries count together.

use rpc_resilience::RequestBudget;
use tokenomics_config::Config;

use crate::error::CliError;

/// The budget of `config`'s `[rpc] requests_per_minute` (0: no limit, requests only
/// counted). Build it once per command and pass it to each client builder.
pub(crate) fn run_budget(config: &Config) -> Result<RequestBudget, CliError> {
    config
        .rpc
        .request_budget()
        .map_err(|e| CliError::BadInput(format!("[rpc] {}: {}", e.key, e.reason)))
}
