//! `tokenomics deploy`: the MDT token and its `EpochPayout` contract on an EVM node.
//!
//! Deploys both contracts from the checked-in artifacts with the signer's key (the
//! signer owns the payout contract), hands the token's ownership to the payout contract,
//! and prints their addresses. Each transaction goes through the sender's journal, so a
//! deployment killed half-way and run again finishes it, and one that finished prints the
//! same contracts and sends nothing. The key never appears in any output.

use std::io::Write;
use std::path::PathBuf;

use evm_sender::{EvmSender, SenderConfig, Signer};
use rpc_resilience::ResilientClient;
use tokenomics_integration::evm::EvmPayout;

use crate::error::CliError;
use crate::journal_path::node_journal;

/// Arguments of `tokenomics deploy`.
#[derive(Debug, clap::Args)]
pub(crate) struct DeployArgs {
    /// The EVM node's JSON-RPC URL.
    #[arg(long = "rpc-url")]
    rpc_url: String,
    /// File holding the signer's key: one line, 0x + 64 hex digits, readable by its owner
    /// only (else the key comes from TOKENOMICS_SIGNER_KEY).
    #[arg(long)]
    signer_key_file: Option<PathBuf>,
    /// The chain id the node must report (default: the node's own).
    #[arg(long)]
    chain_id: Option<u64>,
    /// Journal of the deployment's transactions (default: per chain and node URL under
    /// the user's data folder).
    #[arg(long)]
    journal: Option<PathBuf>,
    /// Print `{"token": "0x..", "payout": "0x.."}`.
    #[arg(long)]
    json: bool,
}

/// The environment variable a key may come from instead of a file.
pub(crate) const SIGNER_KEY_ENV: &str = "TOKENOMICS_SIGNER_KEY";

/// Reads the signer's key from `file`, else from [`SIGNER_KEY_ENV`]; never echoes it.
pub(crate) fn load_signer(file: Option<&PathBuf>) -> Result<Signer, CliError> {
    match file {
        Some(path) => Signer::from_file(path)
            .map_err(|e| CliError::BadInput(format!("--signer-key-file: {e}"))),
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

/// The node's chain id (`eth_chainId`).
pub(crate) async fn node_chain_id(client: &ResilientClient) -> Result<u64, CliError> {
    let id: alloy_primitives::U64 = client
        .call("eth_chainId", ())
        .await
        .map_err(|e| CliError::Failed(format!("--rpc-url: eth_chainId: {e}")))?;
    Ok(id.to::<u64>())
}

/// Maps an error of the EVM path: bad keys, chain ids and configuration are bad input.
pub(crate) fn evm_error(error: tokenomics_integration::ExecutorError) -> CliError {
    if error.is_bad_input() {
        CliError::BadInput(error.to_string())
    } else {
        CliError::Failed(error.to_string())
    }
}

/// Deploys, then prints the addresses.
pub(crate) fn run(args: DeployArgs) -> Result<(), CliError> {
    let signer = load_signer(args.signer_key_file.as_ref())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(format!("cannot start the async runtime: {e}")))?;
    let contracts = runtime.block_on(async {
        let client = ResilientClient::builder()
            .endpoint(args.rpc_url.clone())
            .classifier(evm_sender::EvmClassifier)
            .build()
            .map_err(|e| CliError::BadInput(format!("--rpc-url: {e}")))?;
        let chain_id = match args.chain_id {
            Some(id) => id,
            None => node_chain_id(&client).await?,
        };
        let journal = match &args.journal {
            Some(path) => path.clone(),
            None => node_journal(
                "evm-deploy",
                chain_id,
                std::slice::from_ref(&args.rpc_url),
                true,
            )?,
        };
        eprintln!("journal: {}", journal.display());
        let sender = EvmSender::open(SenderConfig::new(chain_id), client, signer, &journal)
            .await
            .map_err(|e| evm_error(e.into()))?;
        EvmPayout::deploy(&sender).await.map_err(evm_error)
    })?;
    let mut out = std::io::stdout().lock();
    let printed = if args.json {
        writeln!(
            out,
            "{}",
            serde_json::json!({"token": contracts.token.to_string(), "payout": contracts.payout.to_string()})
        )
    } else {
        writeln!(
            out,
            "token:  {}\npayout: {}",
            contracts.token, contracts.payout
        )
    };
    printed.map_err(CliError::stdout)
}
