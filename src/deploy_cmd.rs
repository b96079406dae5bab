//! `tokenomics deploy`: the MDT token and its `EpochPayout` contract on an EVM node.
//!
//! Deploys both contracts from the checked-in artifacts with the signer's key (the
//! signer owns the payout contract), hands the token's ownership to the payout contract,
//! and prints their addresses. Each transaction goes through the sender's journal, so a
//! deployment killed half-way and run again finishes it, and one that finished prints the
//! same contracts and sends nothing. The key never appears in any output.

use std::io::Write;
use std::path::PathBuf;

use evm_sender::{EvmSender, SenderConfig};
use payout_evm::{EvmError, EvmPayout};
use rpc_resilience::ResilienceConfig;

use crate::error::CliError;
use crate::evm_cli::{evm_client, evm_error, load_signer, node_chain_id};
use crate::journal_path::{check_journal_flag, node_journal};

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

/// Deploys, then prints the addresses.
pub(crate) fn run(args: DeployArgs) -> Result<(), CliError> {
    if let Some(path) = &args.journal {
        check_journal_flag(path)?;
    }
    let signer = load_signer(args.signer_key_file.as_ref())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(format!("cannot start the async runtime: {e}")))?;
    let contracts = runtime.block_on(async {
        let urls = std::slice::from_ref(&args.rpc_url);
        let config = ResilienceConfig::default(); // deploy takes no --config: no limit
        let budget = config
            .request_budget()
            .map_err(|e| CliError::Failed(e.to_string()))?;
        let client = evm_client(urls, config, &budget)?;
        let chain_id = match args.chain_id {
            Some(id) => id,
            None => node_chain_id(&client).await?,
        };
        let journal = match &args.journal {
            Some(path) => path.clone(),
            None => node_journal("evm-deploy", chain_id, urls, true)?,
        };
        eprintln!("journal: {}", journal.display());
        let sender = EvmSender::open(SenderConfig::new(chain_id), client, signer, &journal)
            .await
            .map_err(|error| match error {
                evm_sender::Error::ChainIdMismatch { .. } => {
                    CliError::BadInput(format!("--chain-id: {error}"))
                }
                other => evm_error(EvmError::Sender(other).into()),
            })?;
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
