//! `tokenomics claim --rpc-url URL --payout-address A --account ADDR --proofs DIR
//! --signer-key-file F --chain-id N [--json]`: one claim for `ADDR` from its proof file
//! (`DIR/accounts/<2 hex>.json`, as `tokenomics proofs` writes it), paid by the signer's gas
//! to `ADDR`. Says what was paid, or that nothing is left to claim (exit 0 either way).
//!
//! Proofs for another root than the contract's current one are bad input (exit 2, nothing
//! sent): newer proofs are needed. The signer's nonce journal is a temporary one: a claim
//! is safe to send again (the contract pays an account's difference once).

use std::path::PathBuf;

use evm_sender::{EvmSender, SenderConfig};
use payout_claims::{send_claim, ClaimOutcome};
use tokenomics_config::Config;

use crate::error::CliError;
use crate::evm_cli::{evm_client, evm_error, load_signer, parse_address};
use crate::request_budget::run_budget;

/// Arguments of `tokenomics claim`.
#[derive(Debug, clap::Args)]
pub(crate) struct ClaimArgs {
    /// The EVM node.
    #[arg(long = "rpc-url", required = true)]
    rpc_url: Vec<String>,
    /// The EpochPayout contract.
    #[arg(long, value_name = "A")]
    payout_address: String,
    /// The account claimed for (it receives the tokens; the signer only pays gas).
    #[arg(long, value_name = "ADDR")]
    account: String,
    /// The proofs folder (`tree.json`, `accounts/`), as `tokenomics proofs` writes it.
    #[arg(long, value_name = "DIR")]
    proofs: PathBuf,
    /// File holding the signer's key (else TOKENOMICS_SIGNER_KEY); any funded account.
    #[arg(long, value_name = "F")]
    signer_key_file: Option<PathBuf>,
    /// The chain id the node must report.
    #[arg(long, value_name = "N")]
    chain_id: u64,
    /// Configuration file (TOML): `[rpc]` and `[evm]` gas settings.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

/// Sends the claim (see the module docs).
pub(crate) fn run(args: ClaimArgs) -> Result<(), CliError> {
    let config = Config::load(args.config.as_deref())?;
    let payout = parse_address("--payout-address", &args.payout_address)?;
    let account = parse_address("--account", &args.account)?;
    if args.chain_id == 0 {
        return Err(CliError::BadInput("--chain-id: must be at least 1".into()));
    }
    let entry = claims_tree::read_account_proof(&args.proofs, account)
        .map_err(|e| CliError::BadInput(format!("--proofs {}: {e}", args.proofs.display())))?
        .ok_or_else(|| {
            CliError::BadInput(format!(
                "--account {account:#x}: no leaf in the proofs at {} (nothing was ever given \
                 to it by claims, or the proofs are of an older epoch)",
                args.proofs.display()
            ))
        })?;
    let signer = load_signer(args.signer_key_file.as_ref())?;
    let budget = run_budget(&config)?;
    let client = evm_client(&args.rpc_url, config.rpc.clone(), &budget)?;
    let sender_config: SenderConfig = config
        .evm
        .sender_config(args.chain_id, None)
        .map_err(CliError::from)?;
    let dir = tempfile::Builder::new()
        .prefix("tokenomics-claim-")
        .tempdir()
        .map_err(|e| CliError::Failed(format!("cannot create a temporary folder: {e}")))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(format!("cannot start the async runtime: {e}")))?;
    let outcome = runtime.block_on(async {
        let sender = EvmSender::open(
            sender_config,
            client,
            signer,
            dir.path().join("nonces.sqlite"),
        )
        .await
        .map_err(|e| evm_error(payout_claims::ClaimsError::Sender(e).into()))?;
        send_claim(
            &sender,
            payout,
            account,
            entry.proof.amount,
            &entry.proof.siblings,
            entry.root,
        )
        .await
        .map_err(evm_error)
    })?;
    let outcome = outcome.map_err(|stale| {
        CliError::BadInput(format!(
            "--proofs {}: the proofs are for root {}, the payout contract's current root is {} \
             (claims epoch {}): write the proofs of the current epoch (`tokenomics proofs`)",
            args.proofs.display(),
            stale.proofs_root,
            stale.current.1,
            stale.current.0
        ))
    })?;
    let cumulative = tokenomics_core::Amount::from_base_units(
        u128::try_from(entry.proof.amount).unwrap_or(u128::MAX),
    );
    let text = match (&outcome, args.json) {
        (ClaimOutcome::Paid { paid, claimed, tx_hash }, true) => serde_json::json!({
            "account": format!("{account:#x}"), "paid": paid.to_string(),
            "claimed": claimed.to_string(), "cumulative": cumulative.to_string(),
            "tx_hash": tx_hash.to_string(),
        })
        .to_string(),
        (ClaimOutcome::NothingLeft { claimed }, true) => serde_json::json!({
            "account": format!("{account:#x}"), "paid": "0",
            "claimed": claimed.to_string(), "cumulative": cumulative.to_string(),
            "tx_hash": null,
        })
        .to_string(),
        (ClaimOutcome::Paid { paid, claimed, tx_hash }, false) => format!(
            "paid {paid} MDT to {account:#x} (claimed in all: {claimed} MDT) in transaction {tx_hash}"
        ),
        (ClaimOutcome::NothingLeft { claimed }, false) => format!(
            "nothing left to claim for {account:#x}: it claimed {claimed} MDT of its {cumulative} MDT"
        ),
    };
    let mut out = std::io::stdout().lock();
    std::io::Write::write_all(&mut out, format!("{text}\n").as_bytes()).map_err(CliError::stdout)
}
