//! `tokenomics`: the command-line front end (argument parsing, progress, printing).
//!
//! All logic lives in the library crates; this binary turns files and flags into
//! their inputs and their results into text for people (or JSON with `--json`).
//! Exit codes: 0 success (also when stdout is closed early, as by `| head`), 1 failure
//! while running, 2 bad input.

mod claim_cmd;
mod claims_cmd;
mod close_cmd;
mod deploy_cmd;
mod devnet_cmd;
mod dry_run_cmd;
mod error;
mod evm_cli;
mod evm_connect;
mod jobs;
mod journal_path;
mod luxtensor_client;
mod metrics_server;
mod pay_epochs;
mod plan_cmd;
mod progress;
mod proofs_cmd;
mod request_budget;
mod run_args;
mod run_cmd;
mod run_errors;
mod schedule_cmd;
mod signals;
mod status_check;
mod status_cmd;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tokenomics_config::echo;

use crate::error::CliError;

/// mimalloc: it keeps freed memory for reuse where glibc's malloc returns every block
/// above its mmap threshold to the kernel, so a plan of a million recipients no longer
/// spends a third of its time faulting fresh pages in (see README, "Benchmarks").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// ModernTensor tokenomics: plan, simulate and pay out epoch rewards.
#[derive(Debug, Parser)]
#[command(name = "tokenomics", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Pay out epochs exactly once (against --rpc-url, or an embedded devnet).
    Run(run_args::RunArgs),
    /// Run the embedded Luxtensor devnet (JSON-RPC over a SQLite ledger) until Ctrl-C.
    Devnet(devnet_cmd::DevnetArgs),
    /// Compute one epoch's emission and transfers from an inputs file.
    Plan(plan_cmd::PlanArgs),
    /// Show emission and minted supply era by era.
    Schedule(schedule_cmd::ScheduleArgs),
    /// Deploy the MDT token and its EpochPayout contract on an EVM node.
    Deploy(deploy_cmd::DeployArgs),
    /// Show what a journal holds, per epoch (with --check-chain, beside what the chain shows).
    Status(run_args::StatusArgs),
    /// Close an EVM epoch that can never complete (a recipient the token refuses): it
    /// pays nothing more, its unpaid remainder stays in the payout contract.
    CloseEpoch(close_cmd::CloseArgs),
    /// Write the claims tree of a claims epoch: tree.json (StandardMerkleTree.dump) and
    /// one proof file per 2-hex-digit address prefix.
    Proofs(proofs_cmd::ProofsArgs),
    /// Claim an account's rewards from the payout contract with its proof (the signer
    /// pays gas, the account receives).
    Claim(claim_cmd::ClaimArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) if error.use_stderr() => {
            // A usage error (exit 2) echoes the value it refuses: never one that looks
            // like a private key (`tokenomics_config::echo`).
            eprint!("{}", echo::hide_keys(&error.render().to_string()));
            return ExitCode::from(2);
        }
        Err(help) => {
            // Help and version go to stdout (exit 0).
            let _ = help.print();
            return ExitCode::SUCCESS;
        }
    };
    let result = match cli.command {
        Command::Run(args) => {
            init_logging();
            run_cmd::run(args)
        }
        Command::Devnet(args) => devnet_cmd::run(args),
        Command::Plan(args) => plan_cmd::run(args),
        Command::Schedule(args) => schedule_cmd::run(args),
        Command::Deploy(args) => {
            init_logging();
            deploy_cmd::run(args)
        }
        Command::Status(args) => status_cmd::run(args),
        Command::CloseEpoch(args) => {
            init_logging();
            close_cmd::run(args)
        }
        Command::Proofs(args) => proofs_cmd::run(args),
        Command::Claim(args) => {
            init_logging();
            claim_cmd::run(args)
        }
    };
    match result {
        Ok(()) | Err(CliError::StdoutClosed) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}

/// Logs to stderr; `RUST_LOG` sets the level (warnings by default). Colours only when
/// stderr is a terminal: a file or a pipe gets plain text.
pub(crate) fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    // A second init (never in this binary) would only keep the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
