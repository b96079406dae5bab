//! A Merkle tree of `(address, uint256)` claims that is, node for node, the tree
//! OpenZeppelin's `@openzeppelin/merkle-tree` builds with
//! `StandardMerkleTree.of(values, ["address", "uint256"])`, so that its dump loads in that
//! library, its proofs verify with OpenZeppelin's `MerkleProof`, and the other way round.
//!
//! - Leaf: `keccak256(keccak256(abi.encode(account, amount)))` ([`leaf_hash`]).
//! - Node: `keccak256` of its two children, smaller first ([`node_hash`]).
//! - Layout (the library's `makeMerkleTree`): one array of `2n - 1` hashes, the root at 0,
//!   the children of `i` at `2i + 1` and `2i + 2`; the leaves, sorted by hash ascending,
//!   fill the array's end backwards (the smallest leaf hash is the last node).
//! - [`ClaimsTree::dump`] / [`ClaimsTree::load`]: the library's `"standard-v1"` JSON.
//! - [`ClaimsTree::write_proofs`] / [`read_account_proof`]: `tree.json` plus one static
//!   file per first address byte holding each account's amount and proof.
//!
//! The crate names no chain or token: an amount is any `uint256`.
//!
//! ```
//! use alloy_primitives::{address, U256};
//! use claims_tree::ClaimsTree;
//!
//! let alice = address!("0x1111111111111111111111111111111111111111");
//! let bob = address!("0x2222222222222222222222222222222222222222");
//! let tree = ClaimsTree::build([(alice, U256::from(5)), (bob, U256::from(7))]).unwrap();
//! let proof = tree.proof(alice).unwrap();
//! assert!(ClaimsTree::verify(tree.root(), alice, proof.amount, &proof.siblings));
//! assert!(!ClaimsTree::verify(tree.root(), alice, U256::from(6), &proof.siblings));
//! ```
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod dump;
mod error;
mod files;

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::SolValue;

pub use dump::{FORMAT, LEAF_ENCODING};
pub use error::TreeError;
pub use files::{
    read_account_proof, shard_path, AccountProof, ProofFiles, ACCOUNTS_DIR, TREE_FILE,
};

/// One account's claim in a tree, and where its leaf sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Leaf {
    account: Address,
    amount: U256,
    /// Index of the leaf's hash in the node array.
    tree_index: usize,
}

/// A built (or loaded) claims tree: the node array, the leaves in the order they were
/// given (the dump's `values`), and an index by account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimsTree {
    /// `makeMerkleTree`'s array: `2n - 1` hashes, root first.
    nodes: Vec<B256>,
    /// The leaves in the order given.
    leaves: Vec<Leaf>,
    /// `(account, index into leaves)`, sorted by account (also groups the proof shards).
    by_account: Vec<(Address, usize)>,
}

/// An account's cumulative amount and the sibling hashes from its leaf up to the root
/// (OpenZeppelin's `bytes32[] proof`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proof {
    /// The cumulative amount the leaf holds.
    pub amount: U256,
    /// Sibling hashes, leaf level first.
    pub siblings: Vec<B256>,
}

/// The standard leaf hash: `keccak256(bytes.concat(keccak256(abi.encode(account, amount))))`.
pub fn leaf_hash(account: Address, amount: U256) -> B256 {
    keccak256(keccak256((account, amount).abi_encode_params()))
}

/// The standard node hash: `keccak256` of the two hashes, the smaller one first
/// (OpenZeppelin's `Hashes.commutativeKeccak256`).
pub fn node_hash(a: &B256, b: &B256) -> B256 {
    let (low, high) = if a <= b { (a, b) } else { (b, a) };
    let mut pair = [0u8; 64];
    pair[..32].copy_from_slice(low.as_slice());
    pair[32..].copy_from_slice(high.as_slice());
    keccak256(pair)
}

impl ClaimsTree {
    /// Builds the tree of `leaves` exactly as `StandardMerkleTree.of(values,
    /// ["address", "uint256"])` does for the same values in the same order.
    ///
    /// Errors: [`TreeError::Empty`] for no leaves, [`TreeError::DuplicateAccount`] when an
    /// account appears twice.
    pub fn build(leaves: impl IntoIterator<Item = (Address, U256)>) -> Result<Self, TreeError> {
        let given: Vec<(Address, U256)> = leaves.into_iter().collect();
        let by_account = index_accounts(given.iter().map(|(account, _)| *account))?;
        let count = given.len();
        let size = tree_size(count)?;
        // (hash, position given), sorted by hash; stable, as the library's Array.sort.
        let mut hashed: Vec<(B256, usize)> = given
            .iter()
            .enumerate()
            .map(|(at, (account, amount))| (leaf_hash(*account, *amount), at))
            .collect();
        hashed.sort_by_key(|(hash, _)| *hash);
        let mut nodes = vec![B256::ZERO; size];
        let mut tree_indices = vec![0usize; count];
        for (rank, (hash, at)) in hashed.into_iter().enumerate() {
            let index = size - 1 - rank;
            nodes[index] = hash;
            tree_indices[at] = index;
        }
        for index in (0..size - count).rev() {
            nodes[index] = node_hash(&nodes[2 * index + 1], &nodes[2 * index + 2]);
        }
        let leaves = given
            .into_iter()
            .zip(tree_indices)
            .map(|((account, amount), tree_index)| Leaf {
                account,
                amount,
                tree_index,
            })
            .collect();
        Ok(Self {
            nodes,
            leaves,
            by_account,
        })
    }

    /// The root: what a contract stores and checks proofs against.
    pub fn root(&self) -> B256 {
        self.nodes[0]
    }

    /// How many leaves (accounts) the tree holds; never 0.
    pub fn len(&self) -> usize {
        self.leaves.len()
    }

    /// Always false: a tree has at least one leaf (for clippy's `len_without_is_empty`).
    pub fn is_empty(&self) -> bool {
        self.leaves.is_empty()
    }

    /// The leaves as `(account, cumulative amount)`, in the order they were given.
    pub fn entries(&self) -> impl ExactSizeIterator<Item = (Address, U256)> + '_ {
        self.leaves.iter().map(|leaf| (leaf.account, leaf.amount))
    }

    /// The cumulative amount of `account`, if it has a leaf.
    pub fn amount(&self, account: Address) -> Option<U256> {
        self.leaf(account).map(|leaf| leaf.amount)
    }

    /// The proof of `account`'s leaf, if it has one.
    pub fn proof(&self, account: Address) -> Option<Proof> {
        self.leaf(account).map(|leaf| self.proof_of(leaf))
    }

    /// Whether `siblings` prove the leaf `(account, amount)` under `root` (what
    /// OpenZeppelin's `MerkleProof.verify` answers on chain).
    pub fn verify(root: B256, account: Address, amount: U256, siblings: &[B256]) -> bool {
        let computed = siblings
            .iter()
            .fold(leaf_hash(account, amount), |node, sibling| {
                node_hash(&node, sibling)
            });
        computed == root
    }

    fn leaf(&self, account: Address) -> Option<&Leaf> {
        let at = self
            .by_account
            .binary_search_by(|(candidate, _)| candidate.cmp(&account))
            .ok()?;
        self.leaves.get(self.by_account[at].1)
    }

    fn proof_of(&self, leaf: &Leaf) -> Proof {
        let mut siblings = Vec::new();
        let mut index = leaf.tree_index;
        while index > 0 {
            let sibling = if index % 2 == 1 { index + 1 } else { index - 1 };
            siblings.push(self.nodes[sibling]);
            index = (index - 1) / 2;
        }
        Proof {
            amount: leaf.amount,
            siblings,
        }
    }
}

/// `2n - 1` nodes for `n` leaves; refuses `n = 0`.
fn tree_size(count: usize) -> Result<usize, TreeError> {
    if count == 0 {
        return Err(TreeError::Empty);
    }
    count
        .checked_mul(2)
        .map(|double| double - 1)
        .ok_or(TreeError::TooManyLeaves { count })
}

/// `(account, position)` sorted by account; refuses a repeated account.
fn index_accounts(
    accounts: impl Iterator<Item = Address>,
) -> Result<Vec<(Address, usize)>, TreeError> {
    let mut index: Vec<(Address, usize)> = accounts.enumerate().map(|(at, a)| (a, at)).collect();
    index.sort_unstable_by_key(|(account, _)| *account);
    if let Some(pair) = index.windows(2).find(|pair| pair[0].0 == pair[1].0) {
        return Err(TreeError::DuplicateAccount { account: pair[0].0 });
    }
    Ok(index)
}
