//! Building a tree: the library's roots and layout, proofs that verify, and what is refused.

use alloy_primitives::{keccak256, U256};
use claims_tree::{leaf_hash, node_hash, ClaimsTree, TreeError};

use crate::support::{account, hash, readme_values, tree};

#[test]
fn the_readme_example_has_the_librarys_root() {
    // StandardMerkleTree.of(<the two README values>, ["address", "uint256"]).root
    let root = hash("0xd4dee0beab2d53f2cc83e567171bd2820e49898130a22622b10ead383e90bd77");
    assert_eq!(tree(&readme_values()).root(), root);
}

#[test]
fn three_leaves_have_the_librarys_root() {
    let mut values = readme_values();
    values.push((account(0x33), U256::from(1)));
    let root = hash("0xd673f832e8ae578ea16450035956e30f27212b91d6cd26edbef07c90546302ff");
    assert_eq!(tree(&values).root(), root);
}

#[test]
fn a_single_leaf_is_its_own_root_with_an_empty_proof() {
    let (who, amount) = readme_values()[0];
    let single = tree(&[(who, amount)]);
    assert_eq!(single.root(), leaf_hash(who, amount));
    assert_eq!(single.proof(who).map(|p| p.siblings), Some(vec![]));
    assert_eq!(single.len(), 1);
}

#[test]
fn the_leaf_is_the_double_keccak_of_the_abi_encoded_pair() {
    let (who, amount) = readme_values()[0];
    let mut encoded = [0u8; 64];
    encoded[12..32].copy_from_slice(who.as_slice());
    encoded[32..].copy_from_slice(&amount.to_be_bytes::<32>());
    assert_eq!(leaf_hash(who, amount), keccak256(keccak256(encoded)));
}

#[test]
fn a_node_hash_does_not_depend_on_the_order_of_its_children() {
    let (a, b) = (
        hash(&format!("0x{}", "01".repeat(32))),
        hash(&format!("0x{}", "ff".repeat(32))),
    );
    assert_eq!(node_hash(&a, &b), node_hash(&b, &a));
    let mut pair = [0u8; 64];
    pair[..32].copy_from_slice(a.as_slice());
    pair[32..].copy_from_slice(b.as_slice());
    assert_eq!(node_hash(&b, &a), keccak256(pair));
}

#[test]
fn every_proof_of_a_small_tree_verifies() {
    let values = crate::support::values(7);
    let built = tree(&values);
    for (who, amount) in values {
        let proof = built
            .proof(who)
            .unwrap_or_else(|| panic!("no proof for {who}"));
        assert_eq!(proof.amount, amount);
        assert!(ClaimsTree::verify(
            built.root(),
            who,
            amount,
            &proof.siblings
        ));
    }
}

#[test]
fn a_wrong_amount_does_not_verify() {
    let built = tree(&readme_values());
    let (who, amount) = readme_values()[0];
    let proof = built.proof(who).map(|p| p.siblings).unwrap_or_default();
    assert!(!ClaimsTree::verify(
        built.root(),
        who,
        amount + U256::from(1),
        &proof
    ));
}

#[test]
fn another_accounts_proof_does_not_verify() {
    let values = crate::support::values(7);
    let built = tree(&values);
    let other = built
        .proof(values[1].0)
        .map(|p| p.siblings)
        .unwrap_or_default();
    assert!(!ClaimsTree::verify(
        built.root(),
        values[0].0,
        values[0].1,
        &other
    ));
}

#[test]
fn an_account_without_a_leaf_has_no_proof() {
    let built = tree(&readme_values());
    assert_eq!(built.proof(account(0x99)), None);
    assert_eq!(built.amount(account(0x99)), None);
}

#[test]
fn an_empty_set_is_refused() {
    let empty: [(alloy_primitives::Address, U256); 0] = [];
    assert!(matches!(ClaimsTree::build(empty), Err(TreeError::Empty)));
}

#[test]
fn a_repeated_account_is_refused_and_named() {
    let values = [
        (account(0x11), U256::from(1)),
        (account(0x22), U256::from(2)),
        (account(0x11), U256::from(3)),
    ];
    match ClaimsTree::build(values) {
        Err(TreeError::DuplicateAccount { account: who }) => assert_eq!(who, account(0x11)),
        other => panic!("expected DuplicateAccount, got {other:?}"),
    }
}

#[test]
fn entries_keep_the_order_given() {
    let values = crate::support::values(5);
    assert_eq!(tree(&values).entries().collect::<Vec<_>>(), values);
}
