//! Static proof files: `DIR/tree.json` (the dump) and `DIR/accounts/<xx>.json`, one shard
//! per first address byte (`xx`: two lowercase hex digits) holding, for each account of
//! that byte, its cumulative amount and proof, and the root they prove against:
//!
//! ```text
//! {"root": "0x…", "accounts": {"0xab…": {"amount": "1500", "proof": ["0x…", …]}}}
//! ```
//!
//! Account keys are `0x` + 40 lowercase hex digits, amounts decimal strings. Every file is
//! written to a temporary name beside it, synced and renamed, shards first and `tree.json`
//! last; shards left from an earlier tree whose byte has no account now are removed.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use alloy_primitives::{Address, B256, U256};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::{ClaimsTree, Proof, TreeError};

/// The dump's file name inside a proofs directory.
pub const TREE_FILE: &str = "tree.json";
/// The shards' directory inside a proofs directory.
pub const ACCOUNTS_DIR: &str = "accounts";

/// What [`ClaimsTree::write_proofs`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProofFiles {
    /// The root every file proves against.
    pub root: B256,
    /// Accounts written (the tree's leaves).
    pub accounts: usize,
    /// Shard files written (at most 256).
    pub shards: usize,
    /// Bytes written: every shard plus `tree.json`.
    pub bytes: u64,
}

/// One account's entry read back from its shard, its proof checked against the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountProof {
    /// The root the shard says its proofs are for.
    pub root: B256,
    /// The account.
    pub account: Address,
    /// Its cumulative amount and proof.
    pub proof: Proof,
}

/// The path of `account`'s shard inside the proofs directory `dir`.
pub fn shard_path(dir: &Path, account: Address) -> PathBuf {
    dir.join(ACCOUNTS_DIR)
        .join(format!("{:02x}.json", account.as_slice()[0]))
}

impl ClaimsTree {
    /// Writes `dir/tree.json` and `dir/accounts/<xx>.json` (see the module docs), creating
    /// the directories; each file appears whole or not at all.
    pub fn write_proofs(&self, dir: &Path) -> Result<ProofFiles, TreeError> {
        let accounts = dir.join(ACCOUNTS_DIR);
        fs::create_dir_all(&accounts).map_err(|e| TreeError::io("create", &accounts, e))?;
        let root = self.root();
        let mut written = [false; 256];
        let mut bytes = 0u64;
        for group in self.by_account.chunk_by(|x, y| x.0[0] == y.0[0]) {
            let prefix = group[0].0[0];
            let path = shard_path(dir, group[0].0);
            let shard = ShardOut {
                root,
                tree: self,
                group,
            };
            bytes += write_atomically(&path, |out| serde_json::to_writer(out, &shard))?;
            written[usize::from(prefix)] = true;
        }
        remove_stale_shards(&accounts, &written)?;
        bytes += write_atomically(&dir.join(TREE_FILE), |out| self.write_dump(out))?;
        Ok(ProofFiles {
            root,
            accounts: self.len(),
            shards: written.iter().filter(|w| **w).count(),
            bytes,
        })
    }
}

/// Reads `account`'s entry from its shard under the proofs directory `dir` and checks its
/// proof against the shard's root. `Ok(None)`: the account has no leaf (no entry, or no
/// shard for its first byte in an existing `accounts` directory).
pub fn read_account_proof(dir: &Path, account: Address) -> Result<Option<AccountProof>, TreeError> {
    let path = shard_path(dir, account);
    let text = match fs::read(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && dir.join(ACCOUNTS_DIR).is_dir() => {
            return Ok(None)
        }
        Err(e) => return Err(TreeError::io("read", path, e)),
    };
    let bad = |reason: String| TreeError::Shard {
        path: path.clone(),
        reason,
    };
    let shard: ShardIn =
        serde_json::from_slice(&text).map_err(|e| bad(format!("not a proof shard: {e}")))?;
    let Some(entry) = shard.accounts.get(&format!("{account:#x}")) else {
        return Ok(None);
    };
    let amount = Some(entry.amount.as_str())
        .filter(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|digits| U256::from_str_radix(digits, 10).ok())
        .ok_or_else(|| {
            bad(format!(
                "the amount of {account:#x} is not a decimal uint256"
            ))
        })?;
    if !ClaimsTree::verify(shard.root, account, amount, &entry.proof) {
        return Err(bad(format!(
            "the proof of {account:#x} does not verify against the shard's root {}",
            shard.root
        )));
    }
    Ok(Some(AccountProof {
        root: shard.root,
        account,
        proof: Proof {
            amount,
            siblings: entry.proof.clone(),
        },
    }))
}

/// Writes through `fill` into `path`'s temporary sibling, syncs it and renames it over
/// `path`; returns the bytes written.
fn write_atomically<E: std::fmt::Display>(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<&File>) -> Result<(), E>,
) -> Result<u64, TreeError> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let temporary = path.with_file_name(format!(
        ".{}.{}.tmp",
        name.unwrap_or_default(),
        std::process::id()
    ));
    let file = File::create(&temporary).map_err(|e| TreeError::io("create", &temporary, e))?;
    let mut out = BufWriter::with_capacity(1 << 20, &file);
    let failed = |e: std::io::Error| TreeError::io("write", &temporary, e);
    fill(&mut out).map_err(|e| failed(std::io::Error::other(e.to_string())))?;
    out.flush().map_err(failed)?;
    drop(out);
    file.sync_all().map_err(failed)?;
    let bytes = file.metadata().map_err(failed)?.len();
    fs::rename(&temporary, path).map_err(|e| TreeError::io("rename", &temporary, e))?;
    Ok(bytes)
}

/// Removes `<xx>.json` shards this write did not produce (an earlier tree's).
fn remove_stale_shards(accounts: &Path, written: &[bool; 256]) -> Result<(), TreeError> {
    let listing = fs::read_dir(accounts).map_err(|e| TreeError::io("list", accounts, e))?;
    for entry in listing {
        let entry = entry.map_err(|e| TreeError::io("list", accounts, e))?;
        let name = entry.file_name();
        let Some(prefix) = name.to_str().and_then(|n| n.strip_suffix(".json")) else {
            continue;
        };
        let is_shard = prefix.len() == 2 && prefix.bytes().all(|b| b.is_ascii_hexdigit());
        let byte = u8::from_str_radix(prefix, 16).ok().filter(|_| is_shard);
        if byte.is_some_and(|byte| !written[usize::from(byte)]) {
            let path = entry.path();
            fs::remove_file(&path).map_err(|e| TreeError::io("remove", path, e))?;
        }
    }
    Ok(())
}

/// A shard as written: the root, then the group's accounts in address order.
struct ShardOut<'a> {
    root: B256,
    tree: &'a ClaimsTree,
    group: &'a [(Address, usize)],
}

impl Serialize for ShardOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut shard = serializer.serialize_map(Some(2))?;
        shard.serialize_entry("root", &self.root)?;
        shard.serialize_entry("accounts", &Entries(self))?;
        shard.end()
    }
}

struct Entries<'a>(&'a ShardOut<'a>);

impl Serialize for Entries<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let tree = self.0.tree;
        serializer.collect_map(self.0.group.iter().map(|(account, at)| {
            let proof = tree.proof_of(&tree.leaves[*at]);
            (
                format!("{account:#x}"),
                EntryOut {
                    amount: proof.amount.to_string(),
                    proof: proof.siblings,
                },
            )
        }))
    }
}

#[derive(Serialize)]
struct EntryOut {
    amount: String,
    proof: Vec<B256>,
}

#[derive(Deserialize)]
struct ShardIn {
    root: B256,
    accounts: BTreeMap<String, EntryIn>,
}

#[derive(Deserialize)]
struct EntryIn {
    amount: String,
    proof: Vec<B256>,
}
