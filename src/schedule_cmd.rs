//! `tokenomics schedule`: emission and minted supply era by era, optionally drawn as SVG
//! (see `chart.rs`); the table says in which epoch max supply is reached.

use std::io::Write;
use std::path::{Path, PathBuf};

use tokenomics_core::{schedule, Amount, Era};

use crate::chart::{draw, grouped, ChartData};
use crate::config::{bad_input, Config};
use crate::error::CliError;

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
}

/// Prints the era table and writes the chart if asked.
pub(crate) fn run(args: ScheduleArgs) -> Result<(), CliError> {
    let config = Config::load(args.config.as_deref())?;
    let eras = schedule(&config.emission, args.epochs).map_err(|error| {
        let path = args.config.as_deref().unwrap_or(Path::new("config"));
        bad_input(path, &error.to_string())
    })?;
    // The chart first: a reader closing stdout early (`| head`) must not lose it.
    if let Some(svg) = &args.svg {
        let data = ChartData::new(
            &eras,
            config.emission.max_supply,
            config.emission.halving_interval,
        );
        draw(svg, &data)?;
    }
    let mut out = std::io::stdout().lock();
    write_table(&mut out, &eras, config.emission.max_supply).map_err(CliError::stdout)?;
    if let Some(svg) = &args.svg {
        writeln!(out, "chart written to {}", svg.display()).map_err(CliError::stdout)?;
    }
    Ok(())
}

fn write_table(out: &mut impl Write, eras: &[Era], max_supply: Amount) -> std::io::Result<()> {
    writeln!(
        out,
        "Emission schedule at U = 1, Q = 1 (max supply {max_supply} MDT)"
    )?;
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
                "      max supply reached in epoch {}; nothing is minted after it",
                grouped(epoch)
            )?;
        }
    }
    if eras.is_empty() {
        writeln!(out, "      nothing to mint")?;
    }
    Ok(())
}
