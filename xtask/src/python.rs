//! `cargo xtask python` (the Python bindings' wheel and tests) and `cargo xtask bench
//! python` (the bindings against the Rust API and a float split).
//!
//! The build venv `target/py-venv` holds the pinned maturin, pytest and hypothesis
//! (`crates/tokenomics-py/requirements-dev.txt`); the wheel goes to `target/wheels/`
//! and is installed into a fresh venv (`target/py-test-venv`, recreated each run) with
//! only the test requirements, so the tests import what a user would install.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{run, run_in, workspace_root};

/// The bindings' crate, relative to the workspace root.
const CRATE: &str = "crates/tokenomics-py";

/// Builds the wheel (release), installs it into a fresh venv, runs the Python tests
/// against the release `tokenomics` binary.
pub(crate) fn python() -> Result<(), String> {
    let root = workspace_root();
    let wheel = build_wheel(&root)?;
    run(
        "cargo",
        &["build", "--release", "--locked", "--bin", "tokenomics"],
    )?;
    let venv = fresh_venv(&root, "py-test-venv")?;
    let requirements = root.join(CRATE).join("requirements-test.txt");
    pip_install(
        &venv,
        &[path_arg(&wheel), "-r".into(), path_arg(&requirements)],
    )?;
    let binary = root.join("target").join("release").join("tokenomics");
    run_python(
        &venv,
        &root.join(CRATE),
        &["-m", "pytest", "tests", "-q", "-p", "no:cacheprovider"],
        &[("TOKENOMICS_BIN", binary.as_path())],
    )
}

/// `cargo xtask bench python`: a plan of 100,000 recipients through the bindings, the
/// Rust API (`examples/rust_plan.rs`, release) and a plain-Python float split, one JSON
/// line at the end.
pub(crate) fn bench() -> Result<(), String> {
    let root = workspace_root();
    let wheel = build_wheel(&root)?;
    run(
        "cargo",
        &[
            "build",
            "--release",
            "--locked",
            "-p",
            "tokenomics-py",
            "--example",
            "rust_plan",
        ],
    )?;
    let venv = fresh_venv(&root, "py-bench-venv")?;
    pip_install(&venv, &[path_arg(&wheel)])?;
    let rust_plan = root
        .join("target")
        .join("release")
        .join("examples")
        .join("rust_plan");
    let work = root.join("target").join("py-bench");
    run_python(
        &venv,
        &root,
        &[&format!("{CRATE}/bench/bench_plan.py")],
        &[
            ("RUST_PLAN_BIN", rust_plan.as_path()),
            ("BENCH_DIR", work.as_path()),
        ],
    )
}

/// The build venv with the pinned requirements, then `maturin build --release`; the
/// path of the one wheel in `target/wheels/` (older wheels of the package removed first).
fn build_wheel(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join("target").join("py-venv");
    if !venv.join("bin").join("python").exists() {
        create_venv(root, &venv)?;
    }
    let requirements = root.join(CRATE).join("requirements-dev.txt");
    pip_install(&venv, &["-q".into(), "-r".into(), path_arg(&requirements)])?;
    let wheels = root.join("target").join("wheels");
    if let Ok(entries) = std::fs::read_dir(&wheels) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("moderntensor_tokenomics-") && name.ends_with(".whl") {
                std::fs::remove_file(entry.path())
                    .map_err(|e| format!("cannot remove {name}: {e}"))?;
            }
        }
    }
    let maturin = venv.join("bin").join("maturin");
    run(
        &path_arg(&maturin),
        &[
            "build",
            "--release",
            "--locked",
            "-m",
            &format!("{CRATE}/Cargo.toml"),
            "--out",
            "target/wheels",
        ],
    )?;
    let built = std::fs::read_dir(&wheels)
        .map_err(|e| format!("cannot read {}: {e}", wheels.display()))?
        .flatten()
        .map(|entry| entry.path())
        .find(|path| {
            path.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("moderntensor_tokenomics-"))
        });
    built.ok_or_else(|| format!("maturin built no wheel into {}", wheels.display()))
}

/// `target/<name>` created anew (a clean environment for every run).
fn fresh_venv(root: &Path, name: &str) -> Result<PathBuf, String> {
    let venv = root.join("target").join(name);
    if venv.exists() {
        std::fs::remove_dir_all(&venv)
            .map_err(|e| format!("cannot remove {}: {e}", venv.display()))?;
    }
    create_venv(root, &venv)?;
    Ok(venv)
}

/// `python3 -m venv` (`PYTHON` names another interpreter, 3.9 or newer).
fn create_venv(root: &Path, venv: &Path) -> Result<(), String> {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string());
    run_in(root, &python, &["-m", "venv", &path_arg(venv)])
}

fn pip_install(venv: &Path, args: &[String]) -> Result<(), String> {
    let mut all = vec!["-m", "pip", "install", "--disable-pip-version-check"];
    all.extend(args.iter().map(String::as_str));
    run_python(venv, &workspace_root(), &all, &[])
}

/// The venv's python with `args` in `dir`, `envs` added.
fn run_python(
    venv: &Path,
    dir: &Path,
    args: &[&str],
    envs: &[(&str, &Path)],
) -> Result<(), String> {
    let python = venv.join("bin").join("python");
    println!("$ {} {}", python.display(), args.join(" "));
    let status = Command::new(&python)
        .args(args)
        .envs(envs.iter().copied())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`python {}` failed ({status})", args.join(" ")))
    }
}

fn path_arg(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}
