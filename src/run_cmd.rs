//! `tokenomics run`: pay out epochs exactly once, against a node or the embedded devnet.
//!
//! Without `--rpc-url` it starts the devnet in-process over a ledger file in the data
//! folder, so `cargo run --release -- run` works on a fresh machine; without
//! `--inputs` it pays a synthetic network, carrying on where the journal (or, without
//! one, the chain) stopped. Every input is read and checked before anything is sent.
//! The default journal belongs to the node it pays on: next to the embedded devnet's
//! ledger, or under the user's data folder named after the node's chain id and URL.
//! `--chain evm` connects through `crate::evm_connect` instead.

use std::path::{Path, PathBuf};

use luxtensor_devnet::{Devnet, DevnetConfig, DevnetError, DevnetHandle, LedgerPath};
use payout_executor::{EpochExecutor, ExecutorError, Journal, PayoutPreview};
use payout_luxtensor::LuxtensorPayout;
use rpc_resilience::RequestBudget;
use tokenomics_core::Amount;

use tokenomics_config::{inputs_in_dir, Config, Error};

use crate::claims_cmd::claims_backend;
use crate::dry_run_cmd::{dry_run, dry_run_evm, ledger_snapshot};
use crate::echo::hide_keys;
use crate::error::CliError;
use crate::evm_connect::{connect_evm, nonce_advice, EvmSetup};
use crate::jobs::{read_jobs, Job};
use crate::journal_path::{check_journal_flag, node_journal};
use crate::luxtensor_client::luxtensor_client;
use crate::metrics_server::serve_metrics;
use crate::pay_epochs::pay_epochs;
use crate::request_budget::run_budget;
use crate::run_args::ChainKind;
pub(crate) use crate::run_args::RunArgs;
use crate::run_errors::journal_error;
use crate::signals;
use payout_evm::nonce_journal;
use tokenomics_config::PayoutMode;

/// Where the embedded devnet's ledger and the default journal live.
const DATA_DIR: &str = "tokenomics-data";

/// Reads everything, then pays each epoch in order; stops at the first error.
pub(crate) fn run(args: RunArgs) -> Result<(), CliError> {
    args.check_chain()?;
    if let Some(path) = &args.journal {
        check_journal_flag(path)?;
    }
    let config = Config::load(args.config.as_deref())?;
    if let Some(addr) = args.metrics_addr.filter(|a| !a.ip().is_loopback()) {
        return Err(CliError::BadInput(format!(
            "--metrics-addr {addr}: must be a loopback address"
        )));
    }
    if args.synthetic == 0 {
        return Err(CliError::BadInput(
            "--synthetic: must be at least 1".to_string(),
        ));
    }
    let files = match &args.inputs {
        Some(path) if path.is_dir() => inputs_in_dir(path)?,
        Some(path) => vec![path.clone()],
        None => Vec::new(),
    };
    let jobs = read_jobs(&files, &config)?;
    // One budget for every client of this run (`[rpc] requests_per_minute`).
    let budget = run_budget(&config)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(format!("cannot start the async runtime: {e}")))?;
    match args.chain {
        ChainKind::Evm => runtime.block_on(run_evm(args, config, &budget, jobs, &files)),
        ChainKind::Luxtensor => runtime.block_on(run_jobs(args, config, &budget, jobs)),
    }
}

/// `--chain evm`: connects (starting anvil and deploying when there is no `--rpc-url`),
/// refuses inputs paying its token or payout contract (`files[i]` holds `jobs[i]`), then
/// pays as on the Luxtensor protocol, through the EVM backend. `--dry-run` reads through
/// the payout contract's views instead ([`dry_run_evm`]): no key, no nonce journal.
async fn run_evm(
    args: RunArgs,
    config: Config,
    budget: &RequestBudget,
    jobs: Vec<Job>,
    files: &[PathBuf],
) -> Result<(), CliError> {
    let mode = crate::claims_cmd::payout_mode(&args, &config)?;
    let history = crate::claims_cmd::read_history(&args, &config, mode)?;
    // Listening first: a SIGTERM while the anvil starts still cleans up.
    let stop = signals::listen()?;
    let metrics_server = match args.metrics_addr {
        Some(addr) => Some(serve_metrics(addr).await?),
        None => None,
    };
    if args.dry_run {
        let result = dry_run_evm(&args, &config, budget, jobs, files).await;
        drop(metrics_server);
        return result;
    }
    // A stop while connecting drops the connection under way: a local anvil is killed and
    // its temporary folder removed (nothing was paid yet).
    let setup = tokio::select! {
        setup = connect_evm(&args, &config, budget) => setup?,
        () = stop.stopped() => {
            return Err(CliError::Failed("stopped on request before the first epoch; nothing was paid".into()))
        }
    };
    let EvmSetup {
        payout,
        anvil,
        journal,
        journal_dir,
        ..
    } = setup;
    // Every file before the first epoch is paid (synthetic inputs are checked per
    // epoch by the executor, through the same rule).
    let refused = payout.refused_recipients();
    for (job, file) in jobs.iter().zip(files) {
        tokenomics_core::check_recipients(&job.inputs, &refused)
            .map_err(|error| Error::refused_inputs(file, &error))?;
    }
    let nonces = nonce_journal(&journal);
    let opened = Journal::open(&journal).map_err(|e| journal_error(&journal, &e))?;
    let advice = |error: &ExecutorError| nonce_advice(error, &nonces);
    let result = match mode {
        PayoutMode::Claims => {
            let payout = claims_backend(payout, &journal, history)?;
            let executor =
                EpochExecutor::new(config.params(), config.executor.executor(), payout, opened);
            pay_epochs(executor, &args, jobs, metrics_server, stop, &advice).await
        }
        _ => {
            let executor =
                EpochExecutor::new(config.params(), config.executor.executor(), payout, opened);
            pay_epochs(executor, &args, jobs, metrics_server, stop, &advice).await
        }
    };
    // The anvil first, then the folder of its journals.
    drop(anvil);
    drop(journal_dir);
    result
}

async fn run_jobs(
    args: RunArgs,
    config: Config,
    budget: &RequestBudget,
    jobs: Vec<Job>,
) -> Result<(), CliError> {
    // The recorder goes in first, so the metrics count every call from the first one.
    let metrics_server = match args.metrics_addr {
        Some(addr) => Some(serve_metrics(addr).await?),
        None => None,
    };
    let data_dir = PathBuf::from(DATA_DIR);
    let ledger = data_dir.join("devnet.sqlite");
    // A dry run's devnet serves a snapshot of the ledger: no lock taken, nothing written.
    let snapshot = if args.rpc_url.is_empty() && args.dry_run {
        ledger_snapshot(&ledger)?
    } else {
        None
    };
    let (devnet, urls, token) = if args.rpc_url.is_empty() {
        let ledger = if args.dry_run {
            match &snapshot {
                Some((_, copy)) => LedgerPath::File(copy.clone()),
                None => LedgerPath::Memory,
            }
        } else {
            std::fs::create_dir_all(&data_dir).map_err(|e| {
                CliError::Failed(format!("{}: cannot create: {e}", data_dir.display()))
            })?;
            LedgerPath::File(ledger)
        };
        eprintln!("data folder: {}", absolute(&data_dir).display());
        let devnet = start_devnet(ledger, config.emission.max_supply).await?;
        let url = devnet.url();
        let token = devnet.token().to_string();
        eprintln!("embedded devnet listening on {url}");
        (Some(devnet), vec![url], Some(token))
    } else {
        (None, args.rpc_url.clone(), args.rpc_token.clone())
    };
    // The health monitor probes each endpoint every `health_interval_ms` and feeds its
    // breaker, so a stalled node is noticed between epochs, not only on a failed call.
    let client = luxtensor_client(&config, &urls, token, true, budget)?;
    let chain = LuxtensorPayout::new(client.clone(), config.executor.luxtensor());
    let journal_path = match (&args.journal, &devnet) {
        (Some(path), _) => path.clone(),
        (None, Some(_)) => data_dir.join("journal.sqlite"),
        (None, None) => {
            let chain_id = chain
                .chain_id()
                .await
                .map_err(|e| CliError::Failed(hide_keys(&format!("--rpc-url: {e}"))))?;
            node_journal("chain", chain_id, &urls, !args.dry_run)?
        }
    };
    eprintln!("journal: {}", absolute(&journal_path).display());
    if args.dry_run {
        let jobs = (args.inputs.is_some()).then_some(jobs);
        let result = dry_run(&args, &config, chain, &journal_path, jobs).await;
        if let Some(devnet) = devnet {
            devnet.shutdown().await;
        }
        return result;
    }
    let journal = Journal::open(&journal_path).map_err(|e| journal_error(&journal_path, &e))?;
    let executor = EpochExecutor::new(config.params(), config.executor.executor(), chain, journal);
    let stop = signals::listen()?;
    let result = pay_epochs(executor, &args, jobs, metrics_server, stop, &|_| None).await;
    if let Some(devnet) = devnet {
        devnet.shutdown().await;
    }
    result
}

async fn start_devnet(ledger: LedgerPath, max_supply: Amount) -> Result<DevnetHandle, CliError> {
    let config = DevnetConfig {
        ledger,
        max_supply: max_supply.base_units(),
        ..DevnetConfig::default()
    };
    Devnet::start(config).await.map_err(|e| {
        let message = format!("cannot start the embedded devnet: {e}");
        match e {
            DevnetError::SupplyAboveCap { .. } => {
                CliError::BadInput(format!("[emission] max_supply: {message}"))
            }
            _ => CliError::Failed(message),
        }
    })
}

fn absolute(path: &Path) -> PathBuf {
    std::env::current_dir()
        .map(|dir| dir.join(path))
        .unwrap_or_else(|_| path.to_path_buf())
}
