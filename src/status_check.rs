//! `tokenomics status --check-chain`: the journal's figures beside what the chain shows,
//! per epoch, reading both and sending nothing.
//!
//! No key and no lock: on `--chain luxtensor` the epoch's mint record and every transfer's
//! record are read by their keys (JSON-RPC batches); on `--chain evm` the payout contract's
//! `epochRecord` and `paidChunkWord`, `confirmations` deep, through a read-only
//! [`PayoutReader`] (no signer, no nonce journal). Every flag is checked before the first
//! read. Where the journal claims more than the chain shows, the epoch's line says so and
//! the command exits 1 (a disagreement found while running, as a failed verification),
//! after printing every epoch.

use std::io::Write;

use evm_sender::EvmReader;
use payout_evm::{Contracts, EvmError, PayoutReader};
use payout_executor::{check_status, CheckedEpoch, ExecutorError, Journal, ShowsChain};
use payout_luxtensor::LuxtensorPayout;
use rpc_resilience::RequestBudget;
use tokenomics_config::Config;

use crate::error::CliError;
use crate::evm_cli::{evm_client, node_chain_id};
use crate::evm_connect::contract;
use crate::luxtensor_client::luxtensor_client;
use crate::request_budget::run_budget;
use crate::run_args::{ChainKind, EvmFlags, StatusArgs};
use crate::run_errors::journal_error;

/// Checks the flags, connects (reads only), compares and prints; exit 1 on a disagreement.
pub(crate) fn run(args: &StatusArgs) -> Result<(), CliError> {
    let chain = args.chain.unwrap_or(ChainKind::Luxtensor);
    args.evm.check(chain)?;
    if args.rpc_url.is_empty() {
        return Err(CliError::BadInput(
            "--rpc-url: required with --check-chain (the node the journal's run paid on)".into(),
        ));
    }
    let config = Config::load(args.config.as_deref())?;
    let budget = run_budget(&config)?;
    // A journal that cannot be read is refused before the node is asked anything.
    drop(Journal::open_read_only(&args.journal).map_err(|e| journal_error(&args.journal, &e))?);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(format!("cannot start the async runtime: {e}")))?;
    let epochs = runtime.block_on(async {
        match chain {
            ChainKind::Luxtensor => {
                let token = args.rpc_token.clone();
                let client = luxtensor_client(&config, &args.rpc_url, token, false, &budget)?;
                check(
                    args,
                    &LuxtensorPayout::new(client, config.executor.luxtensor()),
                )
                .await
            }
            ChainKind::Evm => {
                let reader = evm_reader(args, &config, &budget).await?;
                check(args, &payout_claims::EitherShows::new(reader)).await
            }
        }
    })?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let text = serde_json::to_string_pretty(&epochs)
            .map_err(|e| CliError::Failed(format!("cannot encode the status: {e}")))?;
        writeln!(out, "{text}").map_err(CliError::stdout)?;
    } else {
        write_table(&mut out, &epochs).map_err(CliError::stdout)?;
    }
    let differ: Vec<String> = epochs
        .iter()
        .filter(|e| !e.chain.agrees)
        .map(|e| e.journal.epoch.to_string())
        .collect();
    if differ.is_empty() {
        return Ok(());
    }
    Err(CliError::Failed(format!(
        "{}: the chain does not show what the journal says for epoch {} (see above)",
        args.journal.display(),
        differ.join(", ")
    )))
}

/// [`check_status`] with its errors for people: the journal's name the file, the chain's
/// the flag.
async fn check(args: &StatusArgs, chain: &impl ShowsChain) -> Result<Vec<CheckedEpoch>, CliError> {
    check_status(&args.journal, chain)
        .await
        .map_err(|error| match error {
            ExecutorError::Journal(journal) => journal_error(&args.journal, &journal),
            other if matches!(other.backend(), Some(EvmError::NoContract { .. })) => {
                CliError::BadInput(format!("--payout-address: {other}"))
            }
            other if other.is_bad_input() => CliError::BadInput(other.to_string()),
            other => CliError::Failed(format!("--rpc-url: {other}")),
        })
}

/// The payout contract's read-only views for `status --check-chain` ([`payout_reader`]).
async fn evm_reader(
    args: &StatusArgs,
    config: &Config,
    budget: &RequestBudget,
) -> Result<PayoutReader, CliError> {
    Ok(payout_reader(&args.evm, &args.rpc_url, config, budget)
        .await?
        .0)
}

/// The payout contract's read-only views (no key, no nonce journal) and the node's chain
/// id: contracts from the flags over `[evm]`, the node's chain id checked against
/// `--chain-id` (or `[evm] chain_id`) when given, and `confirmations` from
/// `--confirmations` over `[evm]`. `status --check-chain` and `run --dry-run --chain evm`
/// read through it.
pub(crate) async fn payout_reader(
    flags: &EvmFlags,
    rpc_url: &[String],
    config: &Config,
    budget: &RequestBudget,
) -> Result<(PayoutReader, u64), CliError> {
    let contracts = Contracts {
        token: contract(
            "--token-address",
            flags.token_address.as_deref(),
            config.evm.token_address,
        )?,
        payout: contract(
            "--payout-address",
            flags.payout_address.as_deref(),
            config.evm.payout_address,
        )?,
    };
    let client = evm_client(rpc_url, config.rpc.clone(), budget)?;
    let actual = node_chain_id(&client).await?;
    let sender = config
        .evm
        .sender_config(actual, flags.confirmations)
        .map_err(|reason| CliError::BadInput(format!("[evm] {reason}")))?;
    match (flags.chain_id, config.evm.chain_id) {
        (Some(expected), _) if expected != actual => Err(CliError::BadInput(format!(
            "--chain-id: {expected}, but the node's chain id is {actual}"
        ))),
        (None, Some(expected)) if expected != actual => Err(CliError::BadInput(format!(
            "[evm] chain_id: {expected}, but the node's chain id is {actual}"
        ))),
        _ => Ok((
            PayoutReader::new(EvmReader::new(client, sender.confirmations), contracts),
            actual,
        )),
    }
}

/// One line per epoch (journal, then chain), then a line per epoch that differs.
fn write_table(out: &mut impl Write, epochs: &[CheckedEpoch]) -> std::io::Result<()> {
    if epochs.is_empty() {
        writeln!(out, "the journal holds no epoch")?;
        return out.flush();
    }
    writeln!(
        out,
        "{:>8}  {:<7}  {:>9}  {:>9}  {:<10}  {:>10}  {:>7}  {:<7}  plan hash",
        "epoch", "stage", "transfers", "confirmed", "on chain", "chain paid", "missing", "check",
    )?;
    for e in epochs {
        let (journal, chain) = (&e.journal, &e.chain);
        let on_chain = match (chain.opened, chain.plan_hash) {
            (false, _) => "not open",
            (true, Some(hash)) if hash == journal.plan_hash => "open",
            (true, Some(_)) => "other plan",
            (true, None) => "no plan",
        };
        writeln!(
            out,
            "{:>8}  {:<7}  {:>9}  {:>9}  {:<10}  {:>10}  {:>7}  {:<7}  {}",
            journal.epoch,
            journal.stage.name(),
            journal.transfers,
            journal.confirmed,
            on_chain,
            chain.paid,
            chain.missing,
            if chain.agrees { "agrees" } else { "DIFFERS" },
            journal.plan_hash,
        )?;
    }
    for e in epochs {
        if let Some(problem) = &e.chain.problem {
            writeln!(out, "epoch {}: {problem}", e.journal.epoch)?;
        }
    }
    out.flush()
}
