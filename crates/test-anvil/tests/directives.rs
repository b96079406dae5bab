//! What a build script of a crate whose tests need anvil tells cargo: the cfg declared
//! always, set only when anvil is missing outside CI, and when to look again.

use std::ffi::OsString;
use std::path::Path;

use test_anvil::{directives, Lookup, NPM_BIN, REPO_MARKER};

/// A repository in `root` (anvil installed by npm when `installed`).
fn repo(root: &Path, installed: bool) -> Lookup {
    std::fs::create_dir_all(root.join("contracts")).unwrap();
    std::fs::write(root.join(REPO_MARKER), "{}").unwrap();
    if installed {
        let bin = root.join(NPM_BIN);
        std::fs::create_dir_all(bin.parent().unwrap()).unwrap();
        std::fs::write(&bin, "").unwrap();
    }
    Lookup {
        bin_env: None,
        working_dir: root.to_path_buf(),
        path_env: Some(OsString::new()),
    }
}

fn has(lines: &[String], prefix: &str) -> bool {
    lines.iter().any(|line| line.starts_with(prefix))
}

#[test]
fn with_anvil_found_no_cfg_is_set_and_the_binary_is_watched() {
    let tmp = tempfile::tempdir().unwrap();
    let lines = directives(&repo(tmp.path(), true), false);
    assert!(
        has(&lines, "cargo::rustc-check-cfg=cfg(anvil_missing)"),
        "{lines:?}"
    );
    assert!(!has(&lines, "cargo::rustc-cfg="), "{lines:?}");
    let watched = format!(
        "cargo::rerun-if-changed={}",
        tmp.path().join(NPM_BIN).display()
    );
    assert!(lines.contains(&watched), "{lines:?}");
    assert!(!has(&lines, "cargo::warning="), "{lines:?}");
}

#[test]
fn with_anvil_missing_outside_ci_the_cfg_marks_its_tests_skipped_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let lines = directives(&repo(tmp.path(), false), false);
    assert!(
        lines.contains(&"cargo::rustc-cfg=anvil_missing".to_string()),
        "{lines:?}"
    );
    assert!(has(&lines, "cargo::warning=anvil not found: "), "{lines:?}");
    let contracts = tmp.path().join("contracts");
    let watched = format!("cargo::rerun-if-changed={}", contracts.display());
    assert!(
        lines.contains(&watched),
        "installing anvil is noticed: {lines:?}"
    );
}

#[test]
fn with_anvil_missing_under_ci_no_cfg_is_set_so_its_tests_run_and_fail() {
    let tmp = tempfile::tempdir().unwrap();
    let lines = directives(&repo(tmp.path(), false), true);
    assert!(!has(&lines, "cargo::rustc-cfg="), "{lines:?}");
    assert!(has(&lines, "cargo::warning=anvil not found: "), "{lines:?}");
}

#[test]
fn anvil_bin_and_ci_changing_make_cargo_look_again() {
    let tmp = tempfile::tempdir().unwrap();
    let lines = directives(&repo(tmp.path(), false), false);
    for env in ["ANVIL_BIN", "CI"] {
        let watched = format!("cargo::rerun-if-env-changed={env}");
        assert!(lines.contains(&watched), "{lines:?}");
    }
}

#[test]
fn outside_a_repository_nothing_but_the_environment_is_watched() {
    let tmp = tempfile::tempdir().unwrap();
    let lookup = Lookup {
        bin_env: None,
        working_dir: tmp.path().to_path_buf(),
        path_env: None,
    };
    let lines = directives(&lookup, false);
    assert!(!has(&lines, "cargo::rerun-if-changed="), "{lines:?}");
    assert!(has(&lines, "cargo::rustc-cfg=anvil_missing"), "{lines:?}");
}
