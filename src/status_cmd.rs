//! `tokenomics status`: what a journal holds, per epoch, without touching any chain
//! (with `--check-chain`, beside what the chain shows: `crate::status_check`).
//!
//! The journal is opened read-only and its lock is not taken, so a status can be read
//! while a run pays (it is never blocked, and never blocks the run). A missing file is
//! not created.

use std::io::Write;

use payout_executor::{read_status, EpochStatus};

use crate::error::CliError;
use crate::run_args::StatusArgs;
use crate::run_errors::journal_error;

/// Reads the journal and prints one line (or object) per epoch.
pub(crate) fn run(args: StatusArgs) -> Result<(), CliError> {
    if args.check_chain {
        return crate::status_check::run(&args);
    }
    let only_with_check = [
        ("--chain", args.chain.is_some()),
        ("--rpc-url", !args.rpc_url.is_empty()),
        ("--config", args.config.is_some()),
    ];
    let given = only_with_check.iter().find(|(_, given)| *given);
    if let Some(flag) = given.map(|(flag, _)| *flag).or(args.evm.first_given()) {
        return Err(CliError::BadInput(format!(
            "{flag}: only with --check-chain"
        )));
    }
    let epochs = read_status(&args.journal).map_err(|e| journal_error(&args.journal, &e))?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let text = serde_json::to_string_pretty(&epochs)
            .map_err(|e| CliError::Failed(format!("cannot encode the status: {e}")))?;
        return writeln!(out, "{text}").map_err(CliError::stdout);
    }
    write_table(&mut out, &epochs).map_err(CliError::stdout)
}

fn write_table(out: &mut impl Write, epochs: &[EpochStatus]) -> std::io::Result<()> {
    if epochs.is_empty() {
        writeln!(out, "the journal holds no epoch")?;
        return out.flush();
    }
    writeln!(
        out,
        "{:>8}  {:<7}  {:>9}  {:>9}  {:>7}  {:>22}  {:>22}  {:>4}  {:<20}  {:<20}  plan hash",
        "epoch",
        "stage",
        "transfers",
        "confirmed",
        "pending",
        "paid (MDT)",
        "left (MDT)",
        "runs",
        "started (UTC)",
        "finished (UTC)",
    )?;
    for e in epochs {
        writeln!(
            out,
            "{:>8}  {:<7}  {:>9}  {:>9}  {:>7}  {:>22}  {:>22}  {:>4}  {:<20}  {:<20}  {}",
            e.epoch,
            e.stage.name(),
            e.transfers,
            e.confirmed,
            e.pending,
            e.paid.to_string(),
            e.left.to_string(),
            e.runs
                .map_or_else(|| "-".to_string(), |runs| runs.to_string()),
            e.started_at.map_or_else(|| "-".to_string(), rfc3339),
            e.finished_at.map_or_else(|| "-".to_string(), rfc3339),
            e.plan_hash,
        )?;
    }
    for e in epochs {
        if let Some(reason) = &e.closed_reason {
            writeln!(out, "epoch {} closed: {reason}", e.epoch)?;
        }
        if let (Some(root), Some(total)) = (&e.claims_root, e.cumulative_total) {
            writeln!(
                out,
                "epoch {} paid by claims: root {root}, cumulative total {total} MDT",
                e.epoch
            )?;
        }
    }
    out.flush()
}

/// Unix seconds as RFC 3339 in UTC (`2026-05-01T12:00:00Z`).
fn rfc3339(unix: u64) -> String {
    let (days, rest) = (unix / 86_400, unix % 86_400);
    // Days to a civil date (H. Hinnant's algorithm), for dates from 1970 on.
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::rfc3339;

    #[track_caller]
    fn check(unix: u64, text: &str) {
        assert_eq!(rfc3339(unix), text);
    }

    #[test]
    fn unix_seconds_are_printed_as_rfc_3339_in_utc() {
        check(0, "1970-01-01T00:00:00Z");
        check(951_782_400, "2000-02-29T00:00:00Z");
        check(1_700_000_000, "2023-11-14T22:13:20Z");
        check(4_102_444_799, "2099-12-31T23:59:59Z");
    }
}
