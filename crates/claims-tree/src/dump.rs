//! `StandardMerkleTree.dump()`'s JSON (`"standard-v1"`) for a claims tree, and loading it
//! back with every hash checked.
//!
//! The library keeps each value as it was given to `of` and prints it as such; this crate
//! prints an address as `0x` + 40 lowercase hex digits and an amount as a decimal string,
//! both of which the library's `load` (its ABI encoder) accepts. Loading accepts what the
//! library's encoder accepts for these two types: an address in any letter case, an amount
//! as a decimal string, a `0x` hex string or a JSON integer.

use alloy_primitives::{Address, B256, U256};
use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;
use serde_json::Value;
use value_echo::shorten;

use crate::{index_accounts, leaf_hash, node_hash, tree_size, ClaimsTree, Leaf, TreeError};

/// The dump format this crate reads and writes.
pub const FORMAT: &str = "standard-v1";
/// The leaf encoding of every claims tree.
pub const LEAF_ENCODING: [&str; 2] = ["address", "uint256"];

impl ClaimsTree {
    /// The tree as `StandardMerkleTree.dump()` prints it: `{"format": "standard-v1",
    /// "leafEncoding": ["address", "uint256"], "tree": [hashes], "values": [{"value":
    /// [account, amount], "treeIndex": n}]}`, values in the order given.
    pub fn dump(&self) -> Value {
        // Serializing plain strings, numbers and hashes into a Value cannot fail.
        serde_json::to_value(Dump(self)).unwrap_or(Value::Null)
    }

    /// Writes [`ClaimsTree::dump`]'s JSON to `out` without building it in memory first.
    pub(crate) fn write_dump(&self, out: impl std::io::Write) -> serde_json::Result<()> {
        serde_json::to_writer(out, &Dump(self))
    }

    /// Loads a dump (of this crate or of `StandardMerkleTree.dump()`), checking the format,
    /// the leaf encoding, each value against its leaf hash, each inner node against its
    /// children, that every leaf has exactly one value and that no account repeats.
    pub fn load(dump: &Value) -> Result<Self, TreeError> {
        let format = dump.get("format").and_then(Value::as_str);
        if format != Some(FORMAT) {
            return Err(TreeError::dump("format", format!("expected \"{FORMAT}\"")));
        }
        let encoding = dump.get("leafEncoding").and_then(Value::as_array);
        let matches = encoding.is_some_and(|types| {
            types.len() == 2 && types.iter().zip(LEAF_ENCODING).all(|(t, e)| t == e)
        });
        if !matches {
            return Err(TreeError::dump(
                "leafEncoding",
                "expected [\"address\", \"uint256\"]",
            ));
        }
        let nodes = load_nodes(dump.get("tree"))?;
        let values = dump
            .get("values")
            .and_then(Value::as_array)
            .ok_or_else(|| TreeError::dump("values", "expected an array"))?;
        let size = tree_size(values.len())?;
        if nodes.len() != size {
            return Err(TreeError::dump(
                "tree",
                format!(
                    "{} nodes for {} values; a tree of n leaves has 2n - 1 nodes",
                    nodes.len(),
                    values.len()
                ),
            ));
        }
        let first_leaf = size - values.len();
        let mut taken = vec![false; values.len()];
        let mut leaves = Vec::with_capacity(values.len());
        for (at, value) in values.iter().enumerate() {
            let leaf = load_value(at, value)?;
            let field = || format!("values[{at}].treeIndex");
            if leaf.tree_index < first_leaf || leaf.tree_index >= size {
                return Err(TreeError::dump(field(), "not the index of a leaf"));
            }
            let slot = &mut taken[leaf.tree_index - first_leaf];
            if std::mem::replace(slot, true) {
                return Err(TreeError::dump(
                    field(),
                    "a leaf already taken by another value",
                ));
            }
            if nodes[leaf.tree_index] != leaf_hash(leaf.account, leaf.amount) {
                return Err(TreeError::dump(
                    format!("values[{at}]"),
                    "the leaf at its treeIndex is not the hash of this value",
                ));
            }
            leaves.push(leaf);
        }
        for index in (0..first_leaf).rev() {
            if nodes[index] != node_hash(&nodes[2 * index + 1], &nodes[2 * index + 2]) {
                return Err(TreeError::dump(
                    format!("tree[{index}]"),
                    "not the hash of its two children",
                ));
            }
        }
        let by_account = index_accounts(leaves.iter().map(|leaf| leaf.account))?;
        Ok(Self {
            nodes,
            leaves,
            by_account,
        })
    }
}

fn load_nodes(tree: Option<&Value>) -> Result<Vec<B256>, TreeError> {
    let tree = tree
        .and_then(Value::as_array)
        .ok_or_else(|| TreeError::dump("tree", "expected an array of 32-byte hex hashes"))?;
    tree.iter()
        .enumerate()
        .map(|(index, node)| {
            node.as_str()
                .filter(|text| text.starts_with("0x"))
                .and_then(|text| text.parse::<B256>().ok())
                .ok_or_else(|| {
                    TreeError::dump(
                        format!("tree[{index}]"),
                        format!("{} is not 0x + 64 hex digits", shorten(&node.to_string())),
                    )
                })
        })
        .collect()
}

fn load_value(at: usize, entry: &Value) -> Result<Leaf, TreeError> {
    let pair = entry
        .get("value")
        .and_then(Value::as_array)
        .filter(|pair| pair.len() == 2)
        .ok_or_else(|| {
            TreeError::dump(format!("values[{at}].value"), "expected [address, amount]")
        })?;
    let account = pair[0]
        .as_str()
        .filter(|text| text.starts_with("0x"))
        .and_then(|text| text.parse::<Address>().ok())
        .ok_or_else(|| {
            TreeError::dump(
                format!("values[{at}].value[0]"),
                format!(
                    "{} is not 0x + 40 hex digits",
                    shorten(&pair[0].to_string())
                ),
            )
        })?;
    let amount = parse_amount(&pair[1]).ok_or_else(|| {
        TreeError::dump(
            format!("values[{at}].value[1]"),
            format!(
                "{} is not a uint256 (a decimal or 0x hex string, or an integer)",
                shorten(&pair[1].to_string())
            ),
        )
    })?;
    let tree_index = entry
        .get("treeIndex")
        .and_then(Value::as_u64)
        .and_then(|index| usize::try_from(index).ok())
        .ok_or_else(|| {
            TreeError::dump(
                format!("values[{at}].treeIndex"),
                "expected a non-negative integer",
            )
        })?;
    Ok(Leaf {
        account,
        amount,
        tree_index,
    })
}

/// A decimal string of digits only, a `0x` hex string, or a non-negative JSON integer.
fn parse_amount(value: &Value) -> Option<U256> {
    if let Some(number) = value.as_u64() {
        return Some(U256::from(number));
    }
    let text = value.as_str()?;
    let (digits, radix) = match text.strip_prefix("0x") {
        Some(hex) => (hex, 16),
        None => (text, 10),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    U256::from_str_radix(digits, u64::from(radix)).ok()
}

/// Serializes a tree as the dump, streaming the values.
struct Dump<'a>(&'a ClaimsTree);

impl Serialize for Dump<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut dump = serializer.serialize_struct("Dump", 4)?;
        dump.serialize_field("format", FORMAT)?;
        dump.serialize_field("leafEncoding", &LEAF_ENCODING)?;
        dump.serialize_field("tree", &self.0.nodes)?;
        dump.serialize_field("values", &Values(&self.0.leaves))?;
        dump.end()
    }
}

struct Values<'a>(&'a [Leaf]);

impl Serialize for Values<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|leaf| DumpValue {
            value: [format!("{:#x}", leaf.account), leaf.amount.to_string()],
            tree_index: leaf.tree_index,
        }))
    }
}

#[derive(Serialize)]
struct DumpValue {
    value: [String; 2],
    #[serde(rename = "treeIndex")]
    tree_index: usize,
}
