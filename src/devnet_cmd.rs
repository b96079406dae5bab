//! `tokenomics devnet`: runs the embedded Luxtensor devnet until Ctrl-C.
//!
//! Turns flags into a [`DevnetConfig`], refuses anything but a loopback address and
//! a token that could never authenticate, prints the URL (and a generated token) on
//! stdout, and logs to stderr. A ledger file held by another devnet exits 1; one
//! holding more than `--max-supply` exits 2.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use luxtensor_devnet::auth::check_token;
use luxtensor_devnet::{
    Devnet, DevnetConfig, DevnetError, FaultConfig, LedgerPath, DEFAULT_CHAIN_ID,
};

use tokenomics_config::parse_amount;

use crate::error::CliError;

/// Flags of `tokenomics devnet`.
#[derive(Debug, clap::Args)]
pub(crate) struct DevnetArgs {
    /// Loopback address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8545")]
    addr: SocketAddr,
    /// SQLite ledger file (created if missing); in memory when omitted.
    #[arg(long)]
    db: Option<PathBuf>,
    /// Bearer token for mutating methods; generated and printed when omitted.
    #[arg(long, env = "LUXTENSOR_DEVNET_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Chain id answered by eth_chainId.
    #[arg(long, default_value_t = DEFAULT_CHAIN_ID)]
    chain_id: u64,
    /// Max supply in MDT (decimal, at most 18 decimals).
    #[arg(long, default_value = "21000000")]
    max_supply: String,
    /// Seed of the fault stream.
    #[arg(long, default_value_t = 0)]
    fault_seed: u64,
    /// Share of requests answered with HTTP 500 / -32603, not applied.
    #[arg(long, default_value_t = 0.0)]
    fault_error_rate: f64,
    /// Share of requests applied, then answered `--fault-late-ms` later.
    #[arg(long, default_value_t = 0.0)]
    fault_late_rate: f64,
    /// How long a late answer waits after the write committed, in ms.
    #[arg(long, default_value_t = 5000)]
    fault_late_ms: u64,
    /// Share of requests whose connection is closed without an answer, not applied.
    #[arg(long, default_value_t = 0.0)]
    fault_drop_rate: f64,
    /// Share of requests answered HTTP 429 with Retry-After, not applied.
    #[arg(long = "fault-429-rate", default_value_t = 0.0)]
    fault_429_rate: f64,
    /// Share of requests answered HTTP 503 with Retry-After, not applied.
    #[arg(long = "fault-503-rate", default_value_t = 0.0)]
    fault_503_rate: f64,
    /// Latency added to every request, in ms.
    #[arg(long, default_value_t = 0)]
    fault_latency_ms: u64,
}

impl DevnetArgs {
    /// Checks the flags and builds the devnet config; `generated` says the token is new.
    fn config(self) -> Result<(DevnetConfig, bool), CliError> {
        if !self.addr.ip().is_loopback() {
            return Err(CliError::BadInput(format!(
                "--addr {}: the devnet only listens on a loopback address (127.0.0.1 or ::1)",
                self.addr
            )));
        }
        let max_supply = parse_amount("--max-supply", &self.max_supply)?.base_units();
        let rates = [
            ("--fault-error-rate", self.fault_error_rate),
            ("--fault-late-rate", self.fault_late_rate),
            ("--fault-drop-rate", self.fault_drop_rate),
            ("--fault-429-rate", self.fault_429_rate),
            ("--fault-503-rate", self.fault_503_rate),
        ];
        for (flag, rate) in rates {
            if !(0.0..=1.0).contains(&rate) {
                return Err(CliError::BadInput(format!(
                    "{flag} {rate}: must be within [0, 1]"
                )));
            }
        }
        let (token, generated) = match self.token {
            Some(token) => {
                // The reason never repeats the token: it is a secret.
                check_token(&token).map_err(|error| {
                    let reason = match &error {
                        DevnetError::InvalidToken { reason } => (*reason).to_owned(),
                        other => other.to_string(),
                    };
                    CliError::BadInput(format!("--token (or LUXTENSOR_DEVNET_TOKEN): {reason}"))
                })?;
                (token, false)
            }
            None => (luxtensor_devnet::auth::generate_token(), true),
        };
        let config = DevnetConfig {
            addr: self.addr,
            ledger: self.db.map_or(LedgerPath::Memory, LedgerPath::File),
            token,
            chain_id: self.chain_id,
            max_supply,
            faults: FaultConfig {
                seed: self.fault_seed,
                error_rate: self.fault_error_rate,
                drop_rate: self.fault_drop_rate,
                rate_limit_rate: self.fault_429_rate,
                unavailable_rate: self.fault_503_rate,
                late_rate: self.fault_late_rate,
                late: Duration::from_millis(self.fault_late_ms),
                latency: Duration::from_millis(self.fault_latency_ms),
                ..FaultConfig::default()
            },
            ..DevnetConfig::default()
        };
        Ok((config, generated))
    }
}

/// Runs the devnet until Ctrl-C.
pub(crate) fn run(args: DevnetArgs) -> Result<(), CliError> {
    crate::init_logging();
    let (config, generated) = args.config()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| CliError::Failed(format!("cannot start the async runtime: {error}")))?;
    runtime.block_on(async move {
        let devnet = Devnet::start(config).await.map_err(start_error)?;
        let mut out = std::io::stdout().lock();
        let printed = writeln!(out, "listening on {}", devnet.url())
            .and_then(|()| {
                if generated {
                    writeln!(out, "token: {}", devnet.token())
                } else {
                    Ok(())
                }
            })
            .and_then(|()| out.flush());
        drop(out);
        printed.map_err(CliError::stdout)?;
        let stopped = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
        devnet.shutdown().await;
        stopped.map_err(|error| CliError::Failed(format!("cannot wait for Ctrl-C: {error}")))
    })
}

/// Phrases a start failure. A ledger holding more than `--max-supply` is bad input
/// (exit 2: the flags contradict the file, retrying cannot help); a ledger held by
/// another devnet is a failure while running (exit 1: the same command works once
/// the other one stops).
fn start_error(error: DevnetError) -> CliError {
    match error {
        DevnetError::SupplyAboveCap { .. } => CliError::BadInput(format!("--max-supply: {error}")),
        DevnetError::InvalidConfig(_) | DevnetError::InvalidToken { .. } => {
            CliError::BadInput(error.to_string())
        }
        _ => CliError::Failed(error.to_string()),
    }
}
