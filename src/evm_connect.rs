//! `run --chain evm` up to a connected backend: flags over `[evm]` keys, the signer, the
//! journals, and either a node (`--rpc-url`) or a fresh local anvil with fresh contracts.
//!
//! Every flag and key is checked before anything starts or is sent. With `--rpc-url` the
//! contracts must be given and the key comes from `--signer-key-file` or
//! `TOKENOMICS_SIGNER_KEY`. Without it a fresh anvil is started, the contracts are deployed
//! with anvil's first dev key, and the journals go into a new temporary folder (a fresh
//! chain needs fresh journals), removed when the run ends.

use std::path::{Path, PathBuf};

use evm_sender::anvil::{self, Anvil};
use evm_sender::{SenderConfig, Signer};
use payout_evm::{
    deploy_with_dev_key, local_anvil, nonce_journal, to_evm, Contracts, EvmError, EvmPayout,
};
use payout_executor::ExecutorError;
use rpc_resilience::{RequestBudget, ResilientClient};
use tempfile::TempDir;
use tokenomics_config::Config;

use crate::error::CliError;
use crate::evm_cli::{evm_client, evm_error, load_signer, node_chain_id, parse_address};
use crate::journal_path::node_journal;
use crate::run_args::RunArgs;

/// A connected EVM backend and what the run keeps alive with it. Fields drop in order: the
/// backend (its journal) before the anvil, the temporary folder last.
#[derive(Debug)]
pub(crate) struct EvmSetup {
    /// The backend: chain id checked, the signer owns the payout contract, which owns the
    /// token.
    pub(crate) payout: EvmPayout,
    /// The anvil started when there was no `--rpc-url` (killed on drop).
    pub(crate) anvil: Option<Anvil>,
    /// The tokenomics journal.
    pub(crate) journal: PathBuf,
    /// The folder of a fresh anvil's journals, removed on drop.
    pub(crate) journal_dir: Option<TempDir>,
}

/// Connects to the node of `--rpc-url`, or starts a fresh anvil and deploys on it; then
/// opens the sender's journal and checks chain id and ownership ([`EvmPayout::connect`]).
/// Every client it builds counts against `budget`, the command's one request budget.
pub(crate) async fn connect_evm(
    args: &RunArgs,
    config: &Config,
    budget: &RequestBudget,
) -> Result<EvmSetup, CliError> {
    args.evm.check(args.chain)?;
    if args.rpc_url.is_empty() {
        connect_anvil(args, config, budget).await
    } else {
        connect_node(args, config, budget).await
    }
}

/// The command that resolves a nonce taken from under a journaled operation
/// ([`evm_sender::Error::ForeignNonce`]): that operation can never be mined, so a new nonce
/// journal (which starts at the account's nonce, and waits for any transaction still in the
/// pool) carries on; the payout contract tells what is still unpaid.
pub(crate) fn nonce_advice(error: &ExecutorError, nonces: &Path) -> Option<String> {
    match error.backend::<EvmError>() {
        Some(EvmError::Sender(evm_sender::Error::ForeignNonce { nonce, .. })) => {
            let path = nonces.display();
            Some(format!(
                "to carry on, move the nonce journal aside and run the same command again: \
                 `mv {path} {path}.foreign-{nonce}` (a new nonce journal starts at the \
                 account's nonce; the payout contract tells what is still unpaid)"
            ))
        }
        _ => None,
    }
}

/// `--rpc-url`: the contracts and the key are required; nothing is sent here.
async fn connect_node(
    args: &RunArgs,
    config: &Config,
    budget: &RequestBudget,
) -> Result<EvmSetup, CliError> {
    let contracts = Contracts {
        token: contract(
            "--token-address",
            args.evm.token_address.as_deref(),
            config.evm.token_address,
        )?,
        payout: contract(
            "--payout-address",
            args.evm.payout_address.as_deref(),
            config.evm.payout_address,
        )?,
    };
    let signer = load_signer(args.signer_key_file.as_ref())?;
    let urls = args.rpc_url.clone();
    let client = evm_client(&urls, config.rpc.clone(), budget)?;
    let chain_id = match args.evm.chain_id.or(config.evm.chain_id) {
        Some(id) => id,
        None => node_chain_id(&client).await?,
    };
    let journal = match &args.journal {
        Some(path) => path.clone(),
        None => node_journal("evm", chain_id, &urls, true)?,
    };
    eprintln!("journal: {}", journal.display());
    let sender_config = sender_config(args, config, chain_id)?;
    let payout = connect(
        args,
        config,
        sender_config,
        client,
        signer,
        contracts,
        &journal,
    )
    .await?;
    Ok(EvmSetup {
        payout,
        anvil: None,
        journal,
        journal_dir: None,
    })
}

/// No `--rpc-url`: a fresh anvil, its first dev key, fresh contracts and fresh journals.
async fn connect_anvil(
    args: &RunArgs,
    config: &Config,
    budget: &RequestBudget,
) -> Result<EvmSetup, CliError> {
    let only_with_url = [
        ("--token-address", args.evm.token_address.is_some()),
        ("--payout-address", args.evm.payout_address.is_some()),
        ("--signer-key-file", args.signer_key_file.is_some()),
        ("--journal", args.journal.is_some()),
    ];
    if let Some((flag, _)) = only_with_url.iter().find(|(_, given)| *given) {
        return Err(CliError::BadInput(format!(
            "{flag}: only with --rpc-url (without it a fresh anvil gets fresh contracts and journals)"
        )));
    }
    let chain_id = args.evm.chain_id.or(config.evm.chain_id);
    let sender_config = sender_config(args, config, chain_id.unwrap_or(anvil::CHAIN_ID))?;
    // `ANVIL_BIN`, the working directory's repository, `PATH` (the rule: `anvil::Lookup`).
    let bin = anvil::find().map_err(|e| CliError::Failed(e.to_string()))?;
    let anvil_config = local_anvil(chain_id, sender_config.confirmations);
    // Started on this thread, the main one (`run` blocks on this future there): the anvil
    // dies with the thread that started it, so not a pool thread that may end before it.
    let node = Anvil::spawn(&bin, &anvil_config).map_err(|e| CliError::Failed(e.to_string()))?;
    eprintln!("anvil listening on {}", node.url());
    let journal_dir = tempfile::Builder::new()
        .prefix("tokenomics-evm-")
        .tempdir()
        .map_err(|e| CliError::Failed(format!("cannot create a temporary folder: {e}")))?;
    let journal = journal_dir.path().join("journal.sqlite");
    eprintln!("journal: {}", journal.display());
    let urls = vec![node.url().to_string()];
    let client = evm_client(&urls, config.rpc.clone(), budget)?;
    let (contracts, signer) = deploy_with_dev_key(sender_config.clone(), client.clone(), &journal)
        .await
        .map_err(evm_error)?;
    eprintln!(
        "deployed token {} and payout {}",
        contracts.token, contracts.payout
    );
    let payout = connect(
        args,
        config,
        sender_config,
        client,
        signer,
        contracts,
        &journal,
    )
    .await?;
    Ok(EvmSetup {
        payout,
        anvil: Some(node),
        journal,
        journal_dir: Some(journal_dir),
    })
}

/// `EvmPayout::connect` on `journal`'s nonce journal; a chain id mismatch, a contract
/// missing or not owned as needed name where the value came from (flag or `[evm]` key).
async fn connect(
    args: &RunArgs,
    config: &Config,
    sender_config: SenderConfig,
    client: ResilientClient,
    signer: Signer,
    contracts: Contracts,
    journal: &Path,
) -> Result<EvmPayout, CliError> {
    let nonces = nonce_journal(journal);
    eprintln!("nonce journal: {}", nonces.display());
    EvmPayout::connect(sender_config, client, signer, contracts, &nonces)
        .await
        .map_err(|error| {
            let source = match error.backend::<EvmError>() {
                Some(EvmError::Sender(evm_sender::Error::ChainIdMismatch { .. })) => {
                    let configured = config.evm.chain_id.is_some();
                    match source(args, "--chain-id", args.evm.chain_id.is_some(), configured) {
                        Some(source) => source,
                        None => "--rpc-url".to_string(),
                    }
                }
                Some(EvmError::NoContract { what, .. } | EvmError::NotOwner { what, .. }) => {
                    let (flag, given, configured) = if what.starts_with("token") {
                        let e = &args.evm;
                        (
                            "--token-address",
                            e.token_address.is_some(),
                            config.evm.token_address.is_some(),
                        )
                    } else {
                        let e = &args.evm;
                        (
                            "--payout-address",
                            e.payout_address.is_some(),
                            config.evm.payout_address.is_some(),
                        )
                    };
                    source(args, flag, given, configured).unwrap_or_else(|| flag.to_string())
                }
                Some(EvmError::Sender(evm_sender::Error::JournalMismatch { .. })) => {
                    return CliError::Failed(format!("nonce journal {}: {error}", nonces.display()))
                }
                _ => {
                    let advice = nonce_advice(&error, &nonces);
                    return evm_error(error).with_advice(advice);
                }
            };
            CliError::BadInput(format!("{source}: {error}"))
        })
}

/// Where an EVM setting came from: `flag` when given, else `<config file>: [evm] <key>`
/// when the configuration sets it; `None` when neither did.
fn source(args: &RunArgs, flag: &str, given: bool, configured: bool) -> Option<String> {
    let key = flag.trim_start_matches("--").replace('-', "_");
    match (given, &args.config) {
        (true, _) => Some(flag.to_string()),
        (false, Some(file)) if configured => Some(format!("{}: [evm] {key}", file.display())),
        _ => None,
    }
}

/// The contract address of `flag`, else the `[evm]` key; required.
pub(crate) fn contract(
    flag: &str,
    given: Option<&str>,
    configured: Option<tokenomics_core::Address>,
) -> Result<evm_sender::Address, CliError> {
    match (given, configured) {
        (Some(text), _) => parse_address(flag, text),
        (None, Some(address)) => Ok(to_evm(address)),
        (None, None) => {
            let key = flag.trim_start_matches("--").replace('-', "_");
            Err(CliError::BadInput(format!(
                "{flag}: required with --rpc-url (or [evm] {key} in --config)"
            )))
        }
    }
}

/// The `[evm]` section with the flags over it, for `chain_id`.
fn sender_config(args: &RunArgs, config: &Config, chain_id: u64) -> Result<SenderConfig, CliError> {
    config
        .evm
        .sender_config(chain_id, args.evm.confirmations)
        .map_err(CliError::from)
}
