//! `tokenomics close-epoch`: the operator's way out of an EVM epoch that can never
//! complete (see `payout_executor::ClosedEpoch`).
//!
//! It connects as `run --chain evm --rpc-url` does (`evm_connect.rs`, the same flags),
//! takes the run's journal (its lock: no run pays meanwhile), and closes the epoch only
//! if it is opened, not fully paid and provably unpayable; otherwise exit 2, nothing
//! sent. The unpaid remainder stays in the payout contract, for a later epoch's
//! `recycling_pool`. The Luxtensor protocol has no such stranding (a keyed transfer pays
//! any address but the zero address, which is refused before anything is sent).

use std::io::Write;
use std::path::PathBuf;

use payout_executor::{EpochExecutor, Journal};
use tokenomics_config::Config;

use crate::error::CliError;
use crate::evm_connect::{connect_evm, EvmSetup};
use crate::request_budget::run_budget;
use crate::run_args::{ChainKind, EvmFlags, RunArgs};
use crate::run_errors::{describe_failure, journal_error};

/// Arguments of `tokenomics close-epoch`.
#[derive(Debug, clap::Args)]
pub(crate) struct CloseArgs {
    /// The epoch to close.
    #[arg(long)]
    epoch: u64,
    /// The payout backend; only `evm` has epochs to close.
    #[arg(long, value_enum, default_value_t = ChainKind::Evm)]
    chain: ChainKind,
    /// Node URL (repeat for failover).
    #[arg(long = "rpc-url", required = true)]
    rpc_url: Vec<String>,
    /// The journal of the runs that paid the epoch (its plan is judged from it; the
    /// nonce journal beside it sends `closeEpoch`).
    #[arg(long)]
    journal: PathBuf,
    /// Configuration file (TOML).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
    /// File holding the signer's key (one line, `0x` + 64 hex; mode 0600), else
    /// `TOKENOMICS_SIGNER_KEY`.
    #[arg(long = "signer-key-file", value_name = "FILE")]
    signer_key_file: Option<PathBuf>,
    #[command(flatten)]
    evm: EvmFlags,
}

/// Closes the epoch if it can never complete; prints what stays in the payout contract.
pub(crate) fn run(args: CloseArgs) -> Result<(), CliError> {
    if args.chain == ChainKind::Luxtensor {
        return Err(CliError::BadInput(
            "--chain luxtensor: an epoch there is never stranded (every recipient but the zero address, \
             which is refused before anything is sent, can be paid), so there is nothing to close"
                .into(),
        ));
    }
    let config = Config::load(args.config.as_deref())?;
    let epoch = args.epoch;
    let json = args.json;
    // The connection flags exactly as `run --chain evm` takes them.
    let run_args = RunArgs {
        rpc_url: args.rpc_url,
        rpc_token: None,
        epochs: 0,
        inputs: None,
        synthetic: 1,
        journal: Some(args.journal),
        config: args.config,
        json,
        metrics_addr: None,
        metrics_linger: 0,
        dry_run: false,
        chain: ChainKind::Evm,
        signer_key_file: args.signer_key_file,
        evm: args.evm,
        payout: None,
        claims_history: None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(format!("cannot start the async runtime: {e}")))?;
    let closed = runtime.block_on(async {
        let EvmSetup {
            payout, journal, ..
        } = connect_evm(&run_args, &config, &run_budget(&config)?).await?;
        let opened = Journal::open(&journal).map_err(|e| journal_error(&journal, &e))?;
        let mut executor =
            EpochExecutor::new(config.params(), config.executor.executor(), payout, opened);
        executor
            .close_epoch(epoch, unix_now())
            .await
            .map_err(|e| describe_failure(Some(epoch), &e))
    })?;
    let mut out = std::io::stdout().lock();
    if json {
        let text = serde_json::to_string_pretty(&closed)
            .map_err(|e| CliError::Failed(format!("cannot encode the result: {e}")))?;
        return writeln!(out, "{text}").map_err(CliError::stdout);
    }
    let verb = if closed.already_closed {
        "was already closed"
    } else {
        "closed"
    };
    writeln!(
        out,
        "epoch {epoch} {verb} (transaction {}): {}\npaid {} MDT of {} MDT; {} MDT unpaid stays in the payout contract {} \
         for later epochs (give it as their recycling_pool)",
        closed.closed_tx, closed.reason, closed.paid, closed.total, closed.unpaid, closed.payout
    )
    .map_err(CliError::stdout)
}

/// Now in unix seconds (0 before 1970).
fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}
