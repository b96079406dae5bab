//! Where a node's journals live by default: tied to the node, not to the working folder.
//!
//! Under the user's data folder (`$XDG_DATA_HOME`, else `~/.local/share`), in
//! `tokenomics/journals/`, named after what the journal is for, the node's chain id and a
//! hash of its URLs, so every working folder finds the same journal for the same node.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

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

/// `<data>/tokenomics/journals/<kind>-<chain id>-<hash of the URLs>.sqlite`, its folder
/// created when `create` (a dry run creates nothing).
pub(crate) fn node_journal(
    kind: &str,
    chain_id: u64,
    urls: &[String],
    create: bool,
) -> Result<PathBuf, CliError> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")))
        .ok_or_else(|| {
            CliError::BadInput(
                "--journal: required when neither XDG_DATA_HOME nor HOME is set".into(),
            )
        })?;
    let dir = base.join("tokenomics").join("journals");
    if create {
        std::fs::create_dir_all(&dir)
            .map_err(|e| CliError::Failed(format!("{}: cannot create: {e}", dir.display())))?;
    }
    let mut sorted: Vec<&str> = urls.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    let digest = Sha256::digest(sorted.join("\n").as_bytes());
    let tag: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    Ok(dir.join(format!("{kind}-{chain_id}-{tag}.sqlite")))
}
