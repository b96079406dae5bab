//! Project automation: `cargo xtask ci | coverage [--html] | bench [NAME] | contracts [--check]
//! | chart | python`.
//!
//! rust-analyzer style: one Rust program instead of shell scripts, so CI and a
//! developer run exactly the same steps. Every tool it needs is installed here
//! when missing (rustup components, `cargo install --locked` tools), so a fresh
//! machine only needs rustup, Node/npm and the package registries.

mod contracts;
mod python;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// Crates whose line coverage must stay at or above [`COVERAGE_GATE`].
const GATED_CRATES: &[&str] = &[
    "tokenomics-core",
    "rpc-resilience",
    "tokenomics-config",
    "payout-executor",
    "payout-journal",
    "payout-luxtensor",
    "payout-evm",
    "value-echo",
    "claims-tree",
];
/// Minimum line coverage, in percent, for each crate of [`GATED_CRATES`].
const COVERAGE_GATE: f64 = 90.0;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("coverage") => coverage(args.iter().any(|a| a == "--html")).map(|_| ()),
        Some("bench") => bench(args.get(1).map(String::as_str)),
        Some("contracts") => contracts::contracts(args.iter().any(|a| a == "--check")),
        Some("chart") => chart(),
        Some("python") => python::python(),
        _ => Err(
            "usage: cargo xtask ci | coverage [--html] | bench [NAME] | contracts [--check] | chart | python"
                .to_string(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The README's chart: `tokenomics schedule --svg docs/supply.svg` with the default
/// configuration (a test checks the checked-in file is what the binary draws).
fn chart() -> Result<(), String> {
    run(
        "cargo",
        &[
            "run",
            "--quiet",
            "--bin",
            "tokenomics",
            "--",
            "schedule",
            "--svg",
            "docs/supply.svg",
        ],
    )
}

/// Contracts artifacts check, fmt, clippy (warnings denied), every test (doc tests
/// included), the Python bindings' wheel and tests, coverage gate.
fn ci() -> Result<(), String> {
    // First, before any Rust test: `npm ci` (solc-js, and the anvil the EVM tests
    // start) when missing or stale, and a fresh compile must match the artifacts.
    contracts::contracts(true)?;
    ensure_component("rustfmt")?;
    ensure_component("clippy")?;
    run("cargo", &["fmt", "--all", "--", "--check"])?;
    run(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    // The instrumented run is the test run: every unit, integration and property
    // test of the workspace; doc tests run uninstrumented right after.
    let percents = coverage(false)?;
    if std::env::var_os("CI").is_some() {
        // A CI machine builds once: the instrumented tree (GBs) is not needed for the
        // doc tests, and its disk is.
        let instrumented = workspace_root().join("target").join("llvm-cov-target");
        std::fs::remove_dir_all(&instrumented)
            .map_err(|e| format!("cannot remove {}: {e}", instrumented.display()))?;
    }
    run("cargo", &["test", "--workspace", "--doc", "--locked"])?;
    // The wheel (one release cdylib) in a fresh venv, its pytest suite against the binary.
    python::python()?;
    let mut failed = Vec::new();
    for (krate, percent) in &percents {
        if GATED_CRATES.contains(&krate.as_str()) && *percent < COVERAGE_GATE {
            failed.push(format!("{krate} {percent:.2}% < {COVERAGE_GATE}%"));
        }
    }
    if failed.is_empty() {
        println!("xtask ci: all checks passed");
        Ok(())
    } else {
        Err(format!("coverage gate failed: {}", failed.join(", ")))
    }
}

/// Runs the workspace tests under `cargo llvm-cov` and prints line coverage per crate.
fn coverage(html: bool) -> Result<Vec<(String, f64)>, String> {
    ensure_component("llvm-tools-preview")?;
    ensure_cargo_tool("llvm-cov", "cargo-llvm-cov")?;
    let root = workspace_root();
    let summary = root.join("target").join("llvm-cov-summary.json");
    let summary_arg = summary.to_string_lossy().into_owned();
    run(
        "cargo",
        &[
            "llvm-cov",
            "--workspace",
            "--locked",
            "--json",
            "--summary-only",
            "--output-path",
            &summary_arg,
        ],
    )?;
    if html {
        run("cargo", &["llvm-cov", "report", "--html"])?;
        println!("HTML report: target/llvm-cov/html/index.html");
    }
    let text = std::fs::read_to_string(&summary)
        .map_err(|e| format!("cannot read {}: {e}", summary.display()))?;
    let percents = per_crate_lines(&text, &root)?;
    println!("line coverage per crate:");
    for (krate, percent) in &percents {
        let gate = if GATED_CRATES.contains(&krate.as_str()) {
            format!("(gate {COVERAGE_GATE}%)")
        } else {
            String::new()
        };
        println!("  {krate:<28} {percent:>6.2}% {gate}");
    }
    Ok(percents)
}

/// Sums covered/total lines of every file under `crates/<name>/src` per crate.
fn per_crate_lines(json: &str, root: &Path) -> Result<Vec<(String, f64)>, String> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("coverage summary is not JSON: {e}"))?;
    let files = value["data"][0]["files"]
        .as_array()
        .ok_or("coverage summary has no data[0].files")?;
    let crates_dir = root.join("crates");
    let mut totals: std::collections::BTreeMap<String, (u64, u64)> = Default::default();
    for file in files {
        let Some(name) = file["filename"].as_str() else {
            continue;
        };
        let Ok(rest) = Path::new(name).strip_prefix(&crates_dir) else {
            continue;
        };
        let mut parts = rest.components();
        let (Some(krate), Some(dir)) = (parts.next(), parts.next()) else {
            continue;
        };
        if dir.as_os_str() != "src" {
            continue;
        }
        let lines = &file["summary"]["lines"];
        let entry = totals
            .entry(krate.as_os_str().to_string_lossy().into_owned())
            .or_default();
        entry.0 += lines["covered"].as_u64().unwrap_or(0);
        entry.1 += lines["count"].as_u64().unwrap_or(0);
    }
    Ok(totals
        .into_iter()
        .map(|(krate, (covered, count))| {
            let percent = if count == 0 {
                100.0
            } else {
                covered as f64 * 100.0 / count as f64
            };
            (krate, percent)
        })
        .collect())
}

/// Runs every benchmark (or the one named; `python` is the bindings') in release mode;
/// each prints its figures.
fn bench(name: Option<&str>) -> Result<(), String> {
    if matches!(name, None | Some("evm")) {
        anvil_present()?;
    }
    match name {
        Some("python") => python::bench(),
        Some(name) => run("cargo", &["bench", "--locked", "--bench", name]),
        None => {
            run("cargo", &["bench", "--locked", "--workspace"])?;
            python::bench()
        }
    }
}

/// The `evm` benchmark's anvil can be found (the evm-sender rule, through `test-anvil`:
/// `ANVIL_BIN`, the working directory's repository, `PATH`); else one line naming where it
/// looked and how to install it.
fn anvil_present() -> Result<(), String> {
    test_anvil::Lookup::from_env()
        .find()
        .map(drop)
        .map_err(|missing| format!("the evm benchmark needs anvil: {missing}"))
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn ensure_component(component: &str) -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["component", "list", "--installed"])
        .output()
        .map_err(|e| format!("cannot run rustup: {e}"))?;
    let list = String::from_utf8_lossy(&installed.stdout);
    let wanted = component.trim_end_matches("-preview");
    if list.lines().any(|line| line.starts_with(wanted)) {
        return Ok(());
    }
    run("rustup", &["component", "add", component])
}

fn ensure_cargo_tool(subcommand: &str, krate: &str) -> Result<(), String> {
    let present = Command::new("cargo")
        .args([subcommand, "--version"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if present {
        return Ok(());
    }
    run("cargo", &["install", "--locked", krate])
}

fn run(program: &str, args: &[&str]) -> Result<(), String> {
    run_in(&workspace_root(), program, args)
}

/// Runs `program` in `dir`, echoing the command; fails when it exits non-zero.
fn run_in(dir: &Path, program: &str, args: &[&str]) -> Result<(), String> {
    println!("$ {program} {}", args.join(" "));
    let mut command = Command::new(program);
    if std::env::var_os("CI").is_some() {
        // Incremental caches only pay off on a rebuild, which a CI run never does; they
        // cost GBs of disk.
        command.env("CARGO_INCREMENTAL", "0");
    }
    let status = command
        .args(args)
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}
