//! `cargo xtask contracts [--check]`: the pinned Solidity compile of `contracts/`.
//!
//! `npm ci` installs solc-js, OpenZeppelin and the anvil binary from the committed
//! lockfile when `contracts/node_modules` is missing or older than the lockfile; then
//! `node compile.js` writes `contracts/artifacts/`. With `--check` it compiles into a
//! temporary folder instead and fails, naming each file, if anything differs from the
//! checked-in artifacts.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::{run_in, workspace_root};

/// Compiles the contracts into `contracts/artifacts/`, or with `check` verifies that
/// a fresh compile reproduces them byte for byte.
pub(crate) fn contracts(check: bool) -> Result<(), String> {
    let dir = workspace_root().join("contracts");
    ensure_node_modules(&dir)?;
    if !check {
        return run_in(&dir, "node", &["compile.js"]);
    }
    let fresh = std::env::temp_dir().join(format!("xtask-contracts-{}", std::process::id()));
    let fresh_arg = fresh.to_string_lossy().into_owned();
    let result = run_in(&dir, "node", &["compile.js", &fresh_arg])
        .and_then(|()| compare(&dir.join("artifacts"), &fresh));
    // A leftover temporary folder is harmless; the comparison's result is what counts.
    let _ = std::fs::remove_dir_all(&fresh);
    result
}

/// Runs `npm ci` in `dir` when its `node_modules` is missing or predates the lockfile.
fn ensure_node_modules(dir: &Path) -> Result<(), String> {
    let modified = |path: PathBuf| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let installed = modified(dir.join("node_modules").join(".package-lock.json"));
    let locked = modified(dir.join("package-lock.json"));
    match (installed, locked) {
        (Some(installed), Some(locked)) if installed >= locked => Ok(()),
        _ => run_in(dir, "npm", &["ci", "--no-audit", "--no-fund"]),
    }
}

/// Compares every file of `checked_in` and `fresh`; the error names each difference.
fn compare(checked_in: &Path, fresh: &Path) -> Result<(), String> {
    let names: BTreeSet<String> = [checked_in, fresh]
        .iter()
        .flat_map(|dir| std::fs::read_dir(dir).into_iter().flatten().flatten())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    let mut differences = Vec::new();
    for name in &names {
        let old = std::fs::read_to_string(checked_in.join(name)).ok();
        let new = std::fs::read_to_string(fresh.join(name)).ok();
        let shown = format!("contracts/artifacts/{name}");
        match (old, new) {
            (Some(old), Some(new)) if old == new => {}
            (Some(old), Some(new)) => {
                let line = old
                    .lines()
                    .zip(new.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| old.lines().count().min(new.lines().count()));
                differences.push(format!(
                    "{shown} differs from a fresh compile (first at line {})",
                    line + 1
                ));
            }
            (None, Some(_)) => {
                differences.push(format!("{shown} is missing (a fresh compile writes it)"))
            }
            (Some(_), None) => {
                differences.push(format!("{shown} is not written by a fresh compile"))
            }
            (None, None) => differences.push(format!("{shown} cannot be read")),
        }
    }
    if names.is_empty() {
        differences.push("contracts/artifacts/ holds no artifact".to_string());
    }
    if differences.is_empty() {
        println!(
            "contracts: the {} artifacts match a fresh compile",
            names.len()
        );
        Ok(())
    } else {
        Err(format!(
            "contracts: artifacts out of date:\n  {}\nrun `cargo xtask contracts` and commit contracts/artifacts/",
            differences.join("\n  ")
        ))
    }
}
