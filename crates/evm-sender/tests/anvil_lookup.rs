//! Where anvil is looked for, in order: `ANVIL_BIN`, the working directory's repository's
//! `contracts/node_modules`, `PATH`; and the error naming all three. Temporary folders and
//! fake executables; the process's own environment is read only in child processes (it is
//! global, and tests run in parallel).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use evm_sender::anvil::{find, Lookup, NotFound, NPM_BIN, REPO_MARKER};

#[track_caller]
fn check<T: PartialEq + std::fmt::Debug>(got: T, want: T) {
    assert_eq!(got, want);
}

/// A file at `path` (folders made) with mode `mode`.
fn file(path: &Path, mode: u32) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, "#!/bin/sh\n").unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    path.to_path_buf()
}

/// A fake executable at `path`.
fn exe(path: &Path) -> PathBuf {
    file(path, 0o755)
}

/// A repository folder in `root` (it holds `contracts/package.json`), with anvil installed
/// by npm when `installed`; returns the repository and where its anvil is (or would be).
fn repo(root: &Path, installed: bool) -> (PathBuf, PathBuf) {
    file(&root.join(REPO_MARKER), 0o644);
    let bin = root.join(NPM_BIN);
    if installed {
        exe(&bin);
    }
    (root.to_path_buf(), bin)
}

fn lookup(bin_env: Option<&Path>, working_dir: &Path, path: &[&Path]) -> Lookup {
    Lookup {
        bin_env: bin_env.map(OsString::from),
        working_dir: working_dir.to_path_buf(),
        path_env: Some(std::env::join_paths(path).unwrap()),
    }
}

#[test]
fn anvil_bin_wins_over_the_repository_and_path() {
    let tmp = tempfile::tempdir().unwrap();
    let (repo, _) = repo(&tmp.path().join("repo"), true);
    let on_path = exe(&tmp.path().join("bin/anvil"));
    let given = exe(&tmp.path().join("elsewhere/my-anvil"));
    let found = lookup(Some(&given), &repo, &[on_path.parent().unwrap()]).find();
    check(found, Ok(given));
}

#[test]
fn a_set_anvil_bin_that_is_no_file_is_an_error_naming_it_though_anvil_is_elsewhere() {
    let tmp = tempfile::tempdir().unwrap();
    let (repo, _) = repo(&tmp.path().join("repo"), true);
    let on_path = exe(&tmp.path().join("bin/anvil"));
    let missing = tmp.path().join("missing");
    let error = lookup(Some(&missing), &repo, &[on_path.parent().unwrap()])
        .find()
        .unwrap_err();
    check(error.bin_env.as_deref(), Some(missing.as_path()));
    let text = error.to_string();
    assert!(
        text.contains(&format!("ANVIL_BIN is {}", missing.display())),
        "{text}"
    );
}

#[test]
fn an_empty_anvil_bin_counts_as_unset() {
    let tmp = tempfile::tempdir().unwrap();
    let (repo, bin) = repo(&tmp.path().join("repo"), true);
    check(lookup(Some(Path::new("")), &repo, &[]).find(), Ok(bin));
}

#[test]
fn a_relative_anvil_bin_is_taken_from_the_working_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let given = exe(&tmp.path().join("tools/anvil"));
    let found = lookup(Some(Path::new("tools/anvil")), tmp.path(), &[]).find();
    check(found, Ok(given));
}

#[test]
fn without_anvil_bin_the_repository_found_walking_up_from_the_working_directory_wins_over_path() {
    let tmp = tempfile::tempdir().unwrap();
    let (repo, bin) = repo(&tmp.path().join("repo"), true);
    let deep = repo.join("crates/some-crate/src");
    std::fs::create_dir_all(&deep).unwrap();
    let on_path = exe(&tmp.path().join("bin/anvil"));
    let found = lookup(None, &deep, &[on_path.parent().unwrap()]).find();
    check(found, Ok(bin));
}

#[test]
fn only_the_nearest_folder_holding_contracts_package_json_is_looked_at() {
    let tmp = tempfile::tempdir().unwrap();
    let (outer, _) = repo(tmp.path(), true);
    let (inner, inner_bin) = repo(&outer.join("vendor/other"), false);
    let error = lookup(None, &inner, &[]).find().unwrap_err();
    check(error.npm, Some(inner_bin));
}

#[test]
fn path_is_looked_at_last_and_only_an_executable_anvil_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let (repo, _) = repo(&tmp.path().join("repo"), false);
    let not_executable = file(&tmp.path().join("a/anvil"), 0o644);
    let executable = exe(&tmp.path().join("b/anvil"));
    let dirs = [
        not_executable.parent().unwrap(),
        executable.parent().unwrap(),
    ];
    check(lookup(None, &repo, &dirs).find(), Ok(executable));
}

#[test]
fn not_found_names_all_three_places_and_the_command_that_installs_anvil() {
    let tmp = tempfile::tempdir().unwrap();
    let (repo, bin) = repo(&tmp.path().join("repo"), false);
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let error = lookup(None, &repo, &[&empty]).find().unwrap_err();
    check(
        error.to_string(),
        format!(
            "anvil not found: ANVIL_BIN is not set, no {}, no anvil on PATH; install it with \
             `npm ci --prefix contracts` in the repository, or set ANVIL_BIN to its path",
            bin.display()
        ),
    );
}

#[test]
fn outside_a_repository_not_found_says_no_folder_holds_contracts_package_json() {
    let tmp = tempfile::tempdir().unwrap();
    let error = lookup(None, tmp.path(), &[]).find().unwrap_err();
    check(
        error.clone(),
        NotFound {
            bin_env: None,
            npm: None,
            working_dir: tmp.path().to_path_buf(),
        },
    );
    let text = error.to_string();
    let says = format!(
        "no folder from {} up holds contracts/package.json",
        tmp.path().display()
    );
    assert!(text.contains(&says), "{text}");
    assert!(text.contains("no anvil on PATH"), "{text}");
}

/// Set in the child processes of the next test: print what `find` says and stop.
const CHILD: &str = "EVM_SENDER_ANVIL_LOOKUP_CHILD";

/// What `find` says in a child process with `ANVIL_BIN` (or none), working directory `cwd`
/// and `PATH` `path`.
fn find_in_child(bin_env: Option<&str>, cwd: &Path, path: &Path) -> String {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "find_reads_anvil_bin_the_working_directory_and_path_of_the_process",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .env("PATH", path)
        .current_dir(cwd);
    match bin_env {
        Some(bin) => command.env("ANVIL_BIN", bin),
        None => command.env_remove("ANVIL_BIN"),
    };
    let out = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    // libtest prints `test <name> ... ` first on the same line.
    let line = stdout
        .lines()
        .find_map(|line| Some(line.split_once("find: ")?.1));
    line.unwrap_or_else(|| panic!("no answer in {stdout}"))
        .to_string()
}

#[test]
fn find_reads_anvil_bin_the_working_directory_and_path_of_the_process() {
    if std::env::var_os(CHILD).is_some() {
        match find() {
            Ok(bin) => println!("find: {}", bin.display()),
            Err(error) => println!("find: {error}"),
        }
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (repo, npm_bin) = repo(&tmp.path().join("repo"), true);
    let on_path = exe(&tmp.path().join("bin/anvil"));
    let path_dir = on_path.parent().unwrap();
    let given = exe(&repo.join("tools/anvil"));
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let shown = |path: &Path| path.display().to_string();
    check(
        find_in_child(Some("tools/anvil"), &repo, path_dir),
        shown(&given),
    );
    check(
        find_in_child(None, &repo.join("contracts"), path_dir),
        shown(&npm_bin),
    );
    check(find_in_child(None, &outside, path_dir), shown(&on_path));
    let error = find_in_child(None, &outside, &outside);
    assert!(error.starts_with("anvil not found: "), "{error}");
}
