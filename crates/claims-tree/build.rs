//! Marks the tests that need Node.js and `@openzeppelin/merkle-tree` (installed by
//! `npm ci --prefix contracts`) as skipped when either is missing, outside `CI=true`
//! (`cfg(merkle_js_missing)`; under `CI=true` they run and fail, as the anvil tests do).

use std::path::Path;
use std::process::Command;

fn main() {
    let library = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../contracts/node_modules/@openzeppelin/merkle-tree/package.json");
    println!("cargo::rustc-check-cfg=cfg(merkle_js_missing)");
    println!("cargo::rerun-if-env-changed=CI");
    // Watch the library's file, or while it is missing the nearest folder that exists
    // (it changes when `npm ci` creates what is below it).
    let watched = library.ancestors().find(|path| path.exists());
    if let Some(watched) = watched {
        println!("cargo::rerun-if-changed={}", watched.display());
    }
    let node = Command::new("node").arg("--version").output();
    let missing = match node {
        Ok(out) if out.status.success() => (!library.is_file())
            .then(|| format!("{} not found: npm ci --prefix contracts", library.display())),
        _ => Some("node not found on PATH".to_string()),
    };
    if let Some(missing) = missing {
        if test_anvil::under_ci() {
            println!(
                "cargo::warning={missing} (CI=true: the merkle-tree compatibility tests fail)"
            );
        } else {
            println!("cargo::rustc-cfg=merkle_js_missing");
            println!("cargo::warning={missing} (the merkle-tree compatibility tests are skipped)");
        }
    }
}
