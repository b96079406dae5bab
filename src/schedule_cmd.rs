//! `tokenomics schedule`: emission and minted supply era by era, optionally drawn as SVG.

use std::io::Write;
use std::path::{Path, PathBuf};

use plotters::prelude::*;
use tokenomics_core::{schedule, Amount, Era, SCALE};

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
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    write_table(&mut out, &eras, config.emission.max_supply)
        .map_err(|error| CliError::Failed(format!("cannot write to stdout: {error}")))?;
    if let Some(svg) = &args.svg {
        draw(svg, &eras, config.emission.max_supply)?;
        writeln!(out, "chart written to {}", svg.display())
            .map_err(|error| CliError::Failed(format!("cannot write to stdout: {error}")))?;
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
                "      max supply reached in epoch {epoch}; nothing is minted after it"
            )?;
        }
    }
    if eras.is_empty() {
        writeln!(out, "      nothing to mint")?;
    }
    Ok(())
}

/// Whole MDT as `f64`, for drawing only.
fn mdt_for_display(amount: Amount) -> f64 {
    (amount.base_units() / SCALE) as f64
}

/// The supply curve's corners: it is linear inside an era and flat after the cap.
fn supply_points(eras: &[Era]) -> Vec<(f64, f64)> {
    let mut points = vec![(0.0, 0.0)];
    for era in eras {
        if let Some(capped) = era.capped_at_epoch {
            points.push(((capped + 1) as f64, mdt_for_display(era.supply_at_end)));
        }
        points.push((era.end_epoch as f64, mdt_for_display(era.supply_at_end)));
    }
    points
}

fn draw(path: &Path, eras: &[Era], max_supply: Amount) -> Result<(), CliError> {
    let fail = |error: &dyn std::fmt::Display| {
        CliError::Failed(format!("{}: cannot draw: {error}", path.display()))
    };
    let points = supply_points(eras);
    let max_x = points.last().map_or(1.0, |p| p.0).max(1.0);
    let max_y = mdt_for_display(max_supply).max(1.0) * 1.05;
    let root = SVGBackend::new(path, (960, 540)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| fail(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption("Minted supply (MDT) over epochs", ("sans-serif", 24))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(110)
        .build_cartesian_2d(0.0..max_x, 0.0..max_y)
        .map_err(|e| fail(&e))?;
    chart
        .configure_mesh()
        .x_desc("epoch")
        .y_desc("MDT")
        .draw()
        .map_err(|e| fail(&e))?;
    chart
        .draw_series(LineSeries::new(points, &BLUE))
        .map_err(|e| fail(&e))?;
    let cap = mdt_for_display(max_supply);
    chart
        .draw_series(LineSeries::new(vec![(0.0, cap), (max_x, cap)], &RED))
        .map_err(|e| fail(&e))?;
    root.present().map_err(|e| fail(&e))?;
    Ok(())
}
