//! Properties over random trees: every proof verifies, and no other amount does.

use std::collections::BTreeMap;

use alloy_primitives::{Address, U256};
use claims_tree::ClaimsTree;
use proptest::prelude::*;

fn claims() -> impl Strategy<Value = Vec<(Address, U256)>> {
    prop::collection::btree_map(any::<[u8; 20]>(), any::<[u8; 32]>(), 1..80).prop_map(
        |map: BTreeMap<[u8; 20], [u8; 32]>| {
            map.into_iter()
                .map(|(who, amount)| (Address::from(who), U256::from_be_bytes(amount)))
                .collect()
        },
    )
}

proptest! {
    #[test]
    fn every_proof_verifies_and_no_other_amount_does(
        values in claims(),
        delta in 1u64..,
        pick in any::<prop::sample::Index>(),
    ) {
        let tree = ClaimsTree::build(values.iter().copied()).unwrap();
        for (who, amount) in &values {
            let proof = tree.proof(*who).unwrap();
            prop_assert!(ClaimsTree::verify(tree.root(), *who, *amount, &proof.siblings));
        }
        let (who, amount) = values[pick.index(values.len())];
        let siblings = tree.proof(who).unwrap().siblings;
        let other = amount.wrapping_add(U256::from(delta));
        prop_assert!(!ClaimsTree::verify(tree.root(), who, other, &siblings));
    }

    #[test]
    fn the_tree_survives_a_dump_and_load(values in claims()) {
        let tree = ClaimsTree::build(values).unwrap();
        prop_assert_eq!(ClaimsTree::load(&tree.dump()).unwrap(), tree);
    }
}
