//! `tokenomics schedule`: emission and minted supply era by era, optionally drawn as SVG
//! (the `supply-chart` crate); the table says in which epoch max supply (or `--mint-cap`, the
//! chain's own cap on minting) is reached.

use std::io::Write;
use std::path::{Path, PathBuf};

use tokenomics_core::{schedule, Amount, EmissionParams, Era};

use tokenomics_config::{parse_amount, Config, Error};

use crate::error::CliError;
use supply_chart::{draw, grouped, ChartData};

/// Arguments of `tokenomics schedule`.
#[derive(Debug, clap::Args)]
pub(crate) struct ScheduleArgs {
    /// Configuration file (TOML); only `[emission]` matters here.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Stop after this many epochs (default: until max supply or zero emission).
    #[arg(long)]
    epochs: Option<u64>,
    /// Also draw minted supply over epochs into this SVG file.
    #[arg(long)]
    svg: Option<PathBuf>,
    /// Cap cumulative minting at this many MDT when it is below max supply: the chain's
    /// own cap (9450000 for the MDT token's emission category on `run --chain evm`).
    #[arg(long, value_name = "MDT")]
    mint_cap: Option<String>,
}

/// What caps cumulative minting in the schedule, and its name.
fn minting_cap(
    max_supply: Amount,
    mint_cap: Option<&str>,
) -> Result<(Amount, &'static str), CliError> {
    let Some(text) = mint_cap else {
        return Ok((max_supply, "max supply"));
    };
    let cap = parse_amount("--mint-cap", text)?;
    Ok(if cap < max_supply {
        (cap, "mint cap")
    } else {
        (max_supply, "max supply")
    })
}

/// Prints the era table and writes the chart if asked.
pub(crate) fn run(args: ScheduleArgs) -> Result<(), CliError> {
    let config = Config::load(args.config.as_deref())?;
    let (cap, cap_name) = minting_cap(config.emission.max_supply, args.mint_cap.as_deref())?;
    let emission = EmissionParams {
        max_supply: cap,
        ..config.emission.clone()
    };
    let eras = schedule(&emission, args.epochs).map_err(|error| {
        let path = args.config.as_deref().unwrap_or(Path::new("config"));
        Error::refused_config(path, &error)
    })?;
    // The chart first: a reader closing stdout early (`| head`) must not lose it.
    if let Some(svg) = &args.svg {
        let data = ChartData::new(&eras, cap, cap_name, config.emission.halving_interval);
        draw(svg, &data).map_err(|e| CliError::Failed(e.to_string()))?;
    }
    let mut out = std::io::stdout().lock();
    let max_supply = config.emission.max_supply;
    write_table(&mut out, &eras, max_supply, (cap, cap_name)).map_err(CliError::stdout)?;
    if let Some(svg) = &args.svg {
        writeln!(out, "chart written to {}", svg.display()).map_err(CliError::stdout)?;
    }
    Ok(())
}

fn write_table(
    out: &mut impl Write,
    eras: &[Era],
    max_supply: Amount,
    (cap, cap_name): (Amount, &str),
) -> std::io::Result<()> {
    if cap == max_supply {
        writeln!(
            out,
            "Emission schedule at U = 1, Q = 1 (max supply {max_supply} MDT)"
        )?;
    } else {
        writeln!(
            out,
            "Emission schedule at U = 1, Q = 1 (max supply {max_supply} MDT, {cap_name} {cap} MDT)"
        )?;
    }
    writeln!(
        out,
        "{:>4}  {:>12}  {:>12}  {:>24}  {:>28}  {:>28}",
        "era",
        "start epoch",
        "end epoch",
        "emission/epoch (MDT)",
        "minted in era (MDT)",
        "supply at end (MDT)"
    )?;
    for era in eras {
        writeln!(
            out,
            "{:>4}  {:>12}  {:>12}  {:>24}  {:>28}  {:>28}",
            era.index,
            era.start_epoch,
            era.end_epoch,
            era.emission_per_epoch.to_string(),
            era.minted.to_string(),
            era.supply_at_end.to_string()
        )?;
        if let Some(epoch) = era.capped_at_epoch {
            writeln!(
                out,
                "      {cap_name} reached in epoch {}; nothing is minted after it",
                grouped(epoch)
            )?;
        }
    }
    if eras.is_empty() {
        writeln!(out, "      nothing to mint")?;
    }
    Ok(())
}
