//! What people read: a closed stdout (`| head`) ends every printing command quietly, the
//! `schedule` table and chart say when max supply is reached, a finished epoch says how
//! long it took. The real binary, with a real pipe whose reader is already gone.

use crate::common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{write, INPUTS};

/// Runs the binary in `dir` with `args`, its stdout a pipe whose read end is closed
/// before it starts, so its first write fails with EPIPE, every time.
fn with_closed_stdout(dir: &Path, args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    Command::new(env!("CARGO_BIN_EXE_tokenomics"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

/// A closed stdout ends the command with exit 0 and nothing about it on stderr.
#[track_caller]
fn check_quiet(dir: &Path, args: &[&str]) {
    let out = with_closed_stdout(dir, args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    assert!(!stderr.contains("error"), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
}

#[test]
fn schedule_into_a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(dir.path(), "c.toml", "[emission]\nhalving_interval = 1\n");
    check_quiet(dir.path(), &["schedule", "--config", &config]);
}

#[test]
fn plan_into_a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = write(dir.path(), "inputs.json", INPUTS);
    check_quiet(dir.path(), &["plan", "--inputs", &inputs]);
    check_quiet(dir.path(), &["plan", "--inputs", &inputs, "--json"]);
}

#[test]
fn run_into_a_closed_pipe_pays_and_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    check_quiet(dir.path(), &["run", "--epochs", "1", "--synthetic", "5"]);
    assert!(dir.path().join("tokenomics-data/journal.sqlite").exists());
}

#[test]
fn schedule_with_a_closed_pipe_still_writes_the_chart() {
    let dir = tempfile::tempdir().unwrap();
    check_quiet(dir.path(), &["schedule", "--svg", "supply.svg"]);
    let svg = std::fs::read_to_string(dir.path().join("supply.svg")).unwrap();
    assert!(svg.starts_with("<svg"));
}

fn schedule_output(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tokenomics"))
        .arg("schedule")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_schedule_table_says_when_max_supply_is_reached() {
    let dir = tempfile::tempdir().unwrap();
    let table = schedule_output(dir.path(), &[]);
    assert!(
        table.contains("max supply reached in epoch 20,999; nothing is minted after it"),
        "{table}"
    );
}

#[test]
fn schedule_with_a_mint_cap_stops_minting_at_it() {
    let dir = tempfile::tempdir().unwrap();
    let table = schedule_output(dir.path(), &["--mint-cap", "9450000", "--svg", "cap.svg"]);
    for said in [
        "(max supply 21000000 MDT, mint cap 9450000 MDT)",
        "mint cap reached in epoch 9,449; nothing is minted after it",
    ] {
        assert!(table.contains(said), "{said:?} not in: {table}");
    }
    let svg = std::fs::read_to_string(dir.path().join("cap.svg")).unwrap();
    check_chart_shows(&svg, "mint cap reached at epoch 9,449");
}

#[test]
fn schedule_refuses_a_mint_cap_that_is_not_an_amount_naming_the_flag() {
    let out = Command::new(env!("CARGO_BIN_EXE_tokenomics"))
        .args(["schedule", "--mint-cap", "lots"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("error: --mint-cap: "), "{stderr}");
    assert!(out.stdout.is_empty());
}

/// The chart of the defaults, as `cargo xtask chart` draws it for the README.
fn default_chart() -> String {
    let dir = tempfile::tempdir().unwrap();
    schedule_output(dir.path(), &["--svg", "supply.svg"]);
    std::fs::read_to_string(dir.path().join("supply.svg")).unwrap()
}

/// The texts of an SVG chart (plotters writes each between its tags, on its own line).
fn texts(svg: &str) -> Vec<&str> {
    svg.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('<'))
        .collect()
}

#[track_caller]
fn check_chart_shows(svg: &str, text: &str) {
    assert!(
        texts(svg).contains(&text),
        "{text:?} not in {:?}",
        texts(svg)
    );
}

#[test]
fn the_chart_says_where_max_supply_is_reached() {
    check_chart_shows(&default_chart(), "max supply reached at epoch 20,999");
}

#[test]
fn the_chart_axes_use_readable_units() {
    let svg = default_chart();
    check_chart_shows(&svg, "20M");
    check_chart_shows(&svg, "20k");
    assert!(!svg.contains("20000000"), "raw figures on an axis");
}

#[test]
fn the_chart_has_a_legend_for_the_supply_and_the_cap() {
    let svg = default_chart();
    check_chart_shows(&svg, "minted supply");
    check_chart_shows(&svg, "max supply (21M MDT)");
}

#[test]
fn the_chart_zooms_to_where_the_supply_changes() {
    // The cap is reached at epoch 20,999: the x axis ends near it, not at 8.76M, and says
    // where the first halving is.
    let svg = default_chart();
    for unzoomed in ["1M", "8M"] {
        assert!(!texts(&svg).contains(&unzoomed), "x axis not zoomed");
    }
    check_chart_shows(&svg, "first halving at epoch 8.76M (beyond this view)");
}

#[test]
fn the_chart_marks_each_halving() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "c.toml",
        "[emission]\nhalving_interval = 5000\n",
    );
    schedule_output(
        dir.path(),
        &["--config", &config, "--epochs", "16000", "--svg", "s.svg"],
    );
    let svg = std::fs::read_to_string(dir.path().join("s.svg")).unwrap();
    for mark in ["halving 1 (5k)", "halving 2 (10k)", "halving 3 (15k)"] {
        check_chart_shows(&svg, mark);
    }
}

#[test]
fn a_finished_epoch_says_how_long_it_took() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tokenomics"))
        .args(["run", "--epochs", "1", "--synthetic", "5"])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let done = stderr
        .lines()
        .find(|line| line.starts_with("epoch 0: done in "))
        .unwrap_or_else(|| panic!("no 'done in' line: {stderr}"));
    let took = done
        .trim_start_matches("epoch 0: done in ")
        .split(',')
        .next()
        .unwrap();
    assert!(
        took.ends_with(" ms") || took.ends_with(" s"),
        "{took:?} is not a duration"
    );
}

#[test]
fn the_readme_chart_is_what_the_binary_draws() {
    let checked_in =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/supply.svg"))
            .unwrap();
    assert!(
        checked_in == default_chart(),
        "docs/supply.svg is stale: run `cargo xtask chart`"
    );
}
