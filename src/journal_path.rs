//! The `--journal` flag's checks, and the default journal of a node under the user's data
//! folder (the naming rule is `payout_journal::node_journal_path`).

use std::path::{Path, PathBuf};

use crate::echo::hide_keys;
use crate::error::CliError;

/// Checks a `--journal` path before anything starts or is sent: it must name a file, not a
/// folder, in a folder that exists (bad input naming the flag and the path otherwise).
pub(crate) fn check_journal_flag(path: &Path) -> Result<(), CliError> {
    let refuse = |reason: String| {
        CliError::BadInput(hide_keys(&format!(
            "--journal {}: {reason}",
            path.display()
        )))
    };
    if path.is_dir() {
        return Err(refuse("is a folder; give the journal's file path".into()));
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(refuse(format!(
            "folder {} does not exist",
            folder.display()
        )));
    }
    Ok(())
}

/// The default journal of a node ([`payout_journal::node_journal_path`]) under the user's
/// data folder (`$XDG_DATA_HOME`, else `~/.local/share`), its folder created when `create`
/// (a dry run creates nothing).
pub(crate) fn node_journal(
    kind: &str,
    chain_id: u64,
    urls: &[String],
    create: bool,
) -> Result<PathBuf, CliError> {
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")))
        .ok_or_else(|| {
            CliError::BadInput(
                "--journal: required when neither XDG_DATA_HOME nor HOME is set".into(),
            )
        })?;
    if create {
        let dir = payout_journal::journals_folder(&data);
        std::fs::create_dir_all(&dir)
            .map_err(|e| CliError::Failed(format!("{}: cannot create: {e}", dir.display())))?;
    }
    Ok(payout_journal::node_journal_path(
        &data, kind, chain_id, urls,
    ))
}
