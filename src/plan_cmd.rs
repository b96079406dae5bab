//! `tokenomics plan`: one epoch's plan as a readable summary or as JSON.

use std::io::Write;
use std::path::PathBuf;

use tokenomics_core::{Amount, EpochPlan};

use tokenomics_config::{parse_amount, read_inputs, Config, PlanJson};

use crate::error::CliError;

/// Arguments of `tokenomics plan`.
#[derive(Debug, clap::Args)]
pub(crate) struct PlanArgs {
    /// Epoch inputs file (JSON); `-` reads standard input.
    #[arg(long)]
    inputs: PathBuf,
    /// Configuration file (TOML); defaults apply to every key it omits.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Print the plan as JSON instead of a summary.
    #[arg(long)]
    json: bool,
    /// The most the chain lets this epoch mint besides max supply (on `run --chain evm`,
    /// what the token's emission category can still mint): the plan `run` makes there.
    #[arg(long, value_name = "MDT")]
    mint_room: Option<String>,
}

/// Builds the plan and prints it.
pub(crate) fn run(args: PlanArgs) -> Result<(), CliError> {
    let config = Config::load(args.config.as_deref())?;
    let mint_room = args
        .mint_room
        .as_deref()
        .map(|text| parse_amount("--mint-room", text))
        .transpose()?;
    let inputs = read_inputs(&args.inputs)?.inputs;
    let plan = config.plan(&inputs, &args.inputs, mint_room)?;
    let capped = mint_room
        .filter(|_| plan.mint_lowered_by_room(config.emission.max_supply, inputs.minted_supply));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = if args.json {
        // `io::Error::from` keeps an I/O error's kind (a closed pipe stays `BrokenPipe`).
        serde_json::to_writer_pretty(&mut out, &PlanJson::from(&plan))
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out))
    } else {
        write_summary(&mut out, &plan, capped)
    };
    written.and_then(|()| out.flush()).map_err(CliError::stdout)
}

/// Transfers listed one per line in the summary before "... and N more".
const SUMMARY_TRANSFERS: usize = 20;

/// The summary; `capped` is the mint room when it lowered the mint.
fn write_summary(
    out: &mut impl Write,
    plan: &EpochPlan,
    capped: Option<Amount>,
) -> std::io::Result<()> {
    writeln!(out, "Epoch {} (halvings: {})", plan.epoch, plan.halvings)?;
    writeln!(out, "  utility score         {}", plan.utility_score)?;
    writeln!(out, "  quality multiplier    {}", plan.quality_multiplier)?;
    let rows = [
        ("emission", plan.emission),
        ("unmet burned", plan.unmet_burned),
        ("fees burned", plan.fees_burned),
        ("from pool", plan.from_pool),
        ("from mint", plan.from_mint),
        ("total paid", plan.total),
        ("recycling pool after", plan.recycling_pool_after),
    ];
    for (label, amount) in rows {
        writeln!(out, "  {label:<21} {amount} MDT")?;
        if let Some(room) = capped.filter(|_| label == "from mint") {
            writeln!(
                out,
                "  {:<21} capped by the chain's mint room ({room} MDT)",
                ""
            )?;
        }
    }
    writeln!(out, "Categories")?;
    for (category, amount) in &plan.categories {
        let count = plan
            .transfers
            .iter()
            .filter(|t| t.category == *category)
            .count();
        writeln!(
            out,
            "  {:<21} {amount} MDT ({count} recipients)",
            category.name()
        )?;
    }
    writeln!(out, "Transfers ({})", plan.transfers.len())?;
    for transfer in plan.transfers.iter().take(SUMMARY_TRANSFERS) {
        writeln!(
            out,
            "  {} {:<15} {} MDT",
            transfer.to,
            transfer.category.name(),
            transfer.amount
        )?;
    }
    if plan.transfers.len() > SUMMARY_TRANSFERS {
        writeln!(
            out,
            "  ... and {} more (use --json for all)",
            plan.transfers.len() - SUMMARY_TRANSFERS
        )?;
    }
    writeln!(out, "inputs digest {}", plan.inputs_digest)?;
    writeln!(out, "plan hash     {}", plan.plan_hash)
}
