//! What the EVM commands (`deploy`, `run --chain evm`) share: the signer's key, addresses
//! from flags, the client, the node's chain id, and how an EVM error maps to an exit code.
//!
//! The key never appears in a message: errors name the flag, file or variable and the rule.

use std::path::PathBuf;

use evm_sender::{Address, Signer};
use payout_evm::to_evm;
use rpc_resilience::{RequestBudget, ResilienceConfig, ResilientClient};

use crate::echo::{hide_keys, shorten_echoes};
use crate::error::CliError;

/// The environment variable a key may come from instead of a file.
pub(crate) const SIGNER_KEY_ENV: &str = "TOKENOMICS_SIGNER_KEY";

/// Reads the signer's key from `file`, else from [`SIGNER_KEY_ENV`]; never echoes it.
pub(crate) fn load_signer(file: Option<&PathBuf>) -> Result<Signer, CliError> {
    match file {
        Some(path) => Signer::from_file(path)
            .map_err(|e| CliError::BadInput(hide_keys(&format!("--signer-key-file: {e}")))),
        None => {
            let key = std::env::var(SIGNER_KEY_ENV).map_err(|_| {
                CliError::BadInput(format!(
                    "--signer-key-file: required when {SIGNER_KEY_ENV} is not set"
                ))
            })?;
            Signer::from_hex(key.trim())
                .map_err(|e| CliError::BadInput(format!("{SIGNER_KEY_ENV}: {e}")))
        }
    }
}

/// `text` as an address (`0x` + 40 hex digits, any case); bad input naming `flag`.
pub(crate) fn parse_address(flag: &str, text: &str) -> Result<Address, CliError> {
    text.parse::<tokenomics_core::Address>()
        .map(to_evm)
        .map_err(|e| CliError::BadInput(shorten_echoes(&format!("{flag}: {e}"))))
}

/// A client for EVM nodes: `urls` in failover order, `config` (the `[rpc]` section), and
/// the sender's classifier (a node's JSON-RPC error answer is not retried); its requests
/// count against the command's `budget` (`crate::request_budget::run_budget`).
pub(crate) fn evm_client(
    urls: &[String],
    config: ResilienceConfig,
    budget: &RequestBudget,
) -> Result<ResilientClient, CliError> {
    let mut builder = ResilientClient::builder()
        .config(config)
        .request_budget(budget.clone())
        .classifier(evm_sender::EvmClassifier);
    for url in urls {
        builder = builder.endpoint(url.clone());
    }
    builder
        .build()
        .map_err(|e| CliError::BadInput(hide_keys(&format!("--rpc-url: {e}"))))
}

/// The node's chain id (`eth_chainId`).
pub(crate) async fn node_chain_id(client: &ResilientClient) -> Result<u64, CliError> {
    let id: alloy_primitives::U64 = client
        .call("eth_chainId", ())
        .await
        .map_err(|e| CliError::Failed(hide_keys(&format!("--rpc-url: eth_chainId: {e}"))))?;
    Ok(id.to::<u64>())
}

/// Maps an error of the EVM path: bad keys, chain ids and configuration are bad input.
pub(crate) fn evm_error(error: payout_executor::ExecutorError) -> CliError {
    if error.is_bad_input() {
        CliError::BadInput(error.to_string())
    } else {
        CliError::Failed(error.to_string())
    }
}
