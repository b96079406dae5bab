//! Dev-only: the one "tests that need anvil run, fail, or are reported as skipped" helper of
//! the workspace, and the anvil lookup for `cargo xtask bench`. Std only, so a build script
//! compiles it in a moment.
//!
//! The lookup rule is evm-sender's ([`Lookup`], `crates/evm-sender/src/anvil/lookup.rs`),
//! compiled here from that same file: one rule, in one file.
//!
//! # Tests that need anvil
//!
//! A crate whose tests start anvil has a build script calling [`build_script`] and this
//! crate as a build-dependency; each such test carries
//!
//! ```text
//! #[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
//! ```
//!
//! and starts anvil with `evm_sender::anvil::Anvil::start`, panicking on an error. Then:
//!
//! - anvil found: the tests run;
//! - anvil missing, `CI` not `true`: the build script sets `cfg(anvil_missing)`, so libtest
//!   reports those tests as ignored with the reason (a skip, not a pass), and cargo prints a
//!   warning naming the places looked at;
//! - anvil missing under `CI=true`: no cfg, so the tests run and fail with the message of
//!   [`NotFound`]. (The build itself does not fail: the same build script runs when the
//!   crate is built as a library, where anvil does not matter.)
//!
//! The house rule "no `#[ignore]`" is about tests switched off for good; this conditional
//! ignore, with its reason, is how libtest reports a test that cannot run here.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

#[path = "../../evm-sender/src/anvil/lookup.rs"]
mod lookup;

pub use lookup::{Lookup, NotFound, BIN_ENV, INSTALL, NPM_BIN, REPO_MARKER};

/// The cfg set on a crate whose build script finds no anvil (outside `CI=true`).
pub const MISSING_CFG: &str = "anvil_missing";

/// Whether the environment says this is CI (`CI=true`), where a missing anvil must fail.
pub fn under_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// For a build script (its working directory is the crate's folder): declares
/// `cfg(anvil_missing)`, sets it when anvil cannot be found outside `CI=true`, and tells
/// cargo when to look again (`ANVIL_BIN` or `CI` changed, the found binary or the
/// repository's `contracts` folder changed). `PATH` is not watched (it differs between
/// cargo invocations and would rebuild for nothing): after putting anvil on `PATH` only,
/// `touch build.rs` or set `ANVIL_BIN`.
pub fn build_script() {
    for line in directives(&Lookup::from_env(), under_ci()) {
        println!("{line}");
    }
}

/// The lines [`build_script`] prints for `lookup`.
pub fn directives(lookup: &Lookup, ci: bool) -> Vec<String> {
    let mut lines = vec![
        format!("cargo::rustc-check-cfg=cfg({MISSING_CFG})"),
        format!("cargo::rerun-if-env-changed={BIN_ENV}"),
        "cargo::rerun-if-env-changed=CI".to_string(),
    ];
    match lookup.find() {
        Ok(bin) => lines.push(format!("cargo::rerun-if-changed={}", bin.display())),
        Err(missing) => {
            if let Some(repo) = lookup.repository() {
                let contracts = repo.join("contracts");
                lines.push(format!("cargo::rerun-if-changed={}", contracts.display()));
            }
            if ci {
                lines.push(format!(
                    "cargo::warning={missing} (CI=true: the tests that need it fail)"
                ));
            } else {
                lines.push(format!("cargo::rustc-cfg={MISSING_CFG}"));
                lines.push(format!(
                    "cargo::warning={missing} (the tests that need it are skipped)"
                ));
            }
        }
    }
    lines
}
