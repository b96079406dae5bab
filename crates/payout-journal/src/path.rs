//! Where a node's journal lives by default: tied to the node, not to the working folder.
//!
//! Under a data folder, in `tokenomics/journals/`, named after what the journal is for,
//! the node's chain id and a hash of its URLs (in any order), so every working folder
//! finds the same journal for the same node.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// `<data>/tokenomics/journals/<kind>-<chain id>-<12 hex digits of SHA-256 of the sorted
/// URLs>.sqlite`; nothing is created.
pub fn node_journal_path(data: &Path, kind: &str, chain_id: u64, urls: &[String]) -> PathBuf {
    let mut sorted: Vec<&str> = urls.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    let digest = Sha256::digest(sorted.join("\n").as_bytes());
    let tag: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    journals_folder(data).join(format!("{kind}-{chain_id}-{tag}.sqlite"))
}

/// `<data>/tokenomics/journals`, the folder of [`node_journal_path`].
pub fn journals_folder(data: &Path) -> PathBuf {
    data.join("tokenomics").join("journals")
}
