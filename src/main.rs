//! `tokenomics`: the command-line front end (argument parsing, progress, printing).
//!
//! All logic lives in the library crates; this binary turns files and flags into
//! their inputs and their results into text for people (or JSON with `--json`).
//! Exit codes: 0 success, 1 failure while running, 2 bad input.

mod devnet_cmd;
mod error;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::CliError;

/// ModernTensor tokenomics: plan, simulate and pay out epoch rewards.
#[derive(Debug, Parser)]
#[command(name = "tokenomics", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the embedded Luxtensor devnet (JSON-RPC over a SQLite ledger) until Ctrl-C.
    Devnet(devnet_cmd::DevnetArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result: Result<(), CliError> = match cli.command {
        Command::Devnet(args) => devnet_cmd::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}
