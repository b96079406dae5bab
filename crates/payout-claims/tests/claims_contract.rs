//! `EpochPayout`'s claims on a real anvil, with hand-built two-leaf trees: what `claim`
//! pays, what it refuses, and the rules of `openClaims` (roots advance, totals never fall,
//! the contract holds what the roots owe).

use alloy_primitives::{keccak256, B256};

use crate::claims_support::{account, check, named, opening, two_leaves, Chain};

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_claim_pays_the_leaf_once_and_again_is_nothing_to_claim() {
    let chain = Chain::start().await;
    let (a, b) = (account(0xa1), account(0xb2));
    let (root, proof_a, _) = two_leaves((a, 700), (b, 300));
    chain
        .open_claims(opening(1, 1000, root, 1000))
        .await
        .unwrap();
    chain.claim(&chain.owner, a, 700, &proof_a).await.unwrap();
    check(chain.balance(a).await, 700);
    check(
        named(chain.claim(&chain.owner, a, 700, &proof_a).await),
        "NothingToClaim".to_string(),
    );
    check(
        chain
            .reader()
            .claimed(a.into_array().into(), None)
            .await
            .unwrap()
            .base_units(),
        700,
    );
    check(
        chain.reader().outstanding(None).await.unwrap().base_units(),
        300,
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn claiming_after_epoch_1_and_after_epoch_3_pays_exactly_the_cumulative_total() {
    let chain = Chain::start().await;
    let (a, b) = (account(0xa1), account(0xb2));
    // Cumulative amounts: a 100, 250, 600; b 50, 50, 150.
    let (root1, proof1, _) = two_leaves((a, 100), (b, 50));
    chain
        .open_claims(opening(1, 150, root1, 150))
        .await
        .unwrap();
    chain.claim(&chain.owner, a, 100, &proof1).await.unwrap();
    let (root2, _, _) = two_leaves((a, 250), (b, 50));
    chain
        .open_claims(opening(2, 150, root2, 300))
        .await
        .unwrap();
    let (root3, proof3, proof3_b) = two_leaves((a, 600), (b, 150));
    chain
        .open_claims(opening(3, 450, root3, 750))
        .await
        .unwrap();
    chain.claim(&chain.owner, a, 600, &proof3).await.unwrap();
    chain.claim(&chain.owner, b, 150, &proof3_b).await.unwrap();
    check((chain.balance(a).await, chain.balance(b).await), (600, 150));
    check(
        chain.reader().outstanding(None).await.unwrap().base_units(),
        0,
    );
    let current = chain.reader().current_root(None).await.unwrap().unwrap();
    check(
        (
            current.epoch,
            current.root,
            current.cumulative_total.base_units(),
        ),
        (3, root3, 750),
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_wrong_proof_or_a_wrong_amount_is_an_invalid_proof_and_pays_nothing() {
    let chain = Chain::start().await;
    let (a, b) = (account(0xa1), account(0xb2));
    let (root, proof_a, proof_b) = two_leaves((a, 700), (b, 300));
    chain
        .open_claims(opening(1, 1000, root, 1000))
        .await
        .unwrap();
    check(
        named(chain.claim(&chain.owner, a, 700, &proof_b).await),
        "InvalidProof".to_string(),
    );
    check(
        named(chain.claim(&chain.owner, a, 701, &proof_a).await),
        "InvalidProof".to_string(),
    );
    check(
        named(chain.claim(&chain.owner, b, 700, &proof_a).await),
        "InvalidProof".to_string(),
    );
    check(chain.balance(a).await, 0);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn anyone_may_claim_for_an_account_and_the_account_not_the_caller_is_paid() {
    let chain = Chain::start().await;
    let other = chain.other().await;
    let (a, b) = (account(0xa1), account(0xb2));
    let (root, proof_a, _) = two_leaves((a, 700), (b, 300));
    chain
        .open_claims(opening(1, 1000, root, 1000))
        .await
        .unwrap();
    chain.claim(&other, a, 700, &proof_a).await.unwrap();
    check(
        (chain.balance(a).await, chain.balance(other.address()).await),
        (700, 0),
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_root_for_an_epoch_not_later_than_the_current_is_refused() {
    let chain = Chain::start().await;
    let (a, b) = (account(0xa1), account(0xb2));
    let (root5, _, _) = two_leaves((a, 700), (b, 300));
    chain
        .open_claims(opening(5, 1000, root5, 1000))
        .await
        .unwrap();
    let (root4, _, _) = two_leaves((a, 800), (b, 300));
    check(
        named(chain.open_claims(opening(4, 100, root4, 1100)).await),
        "ClaimsEpochNotLater".to_string(),
    );
    // The same opening again changes nothing; another root for it is a conflict.
    chain
        .open_claims(opening(5, 1000, root5, 1000))
        .await
        .unwrap();
    check(
        named(chain.open_claims(opening(5, 1000, root4, 1100)).await),
        "ClaimsRootConflict".to_string(),
    );
    let current = chain.reader().current_root(None).await.unwrap().unwrap();
    check((current.epoch, current.root), (5, root5));
    check(chain.balance(chain.contracts.payout).await, 1000);
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_falling_cumulative_total_is_refused() {
    let chain = Chain::start().await;
    let (a, b) = (account(0xa1), account(0xb2));
    let (root1, _, _) = two_leaves((a, 700), (b, 300));
    chain
        .open_claims(opening(1, 1000, root1, 1000))
        .await
        .unwrap();
    let (root2, _, _) = two_leaves((a, 600), (b, 300));
    check(
        named(chain.open_claims(opening(2, 0, root2, 900)).await),
        "CumulativeTotalFell".to_string(),
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn an_exhausted_contract_opens_no_root_and_pays_no_claim_beyond_its_total() {
    let chain = Chain::start().await;
    let (a, b) = (account(0xa1), account(0xb2));
    let (root, proof_a, _) = two_leaves((a, 700), (b, 300));
    // Promising 1000 with 999 minted: refused, nothing recorded.
    check(
        named(chain.open_claims(opening(1, 999, root, 1000)).await),
        "ClaimsUnderfunded".to_string(),
    );
    check(chain.reader().current_root(None).await.unwrap(), None);
    // A root whose leaves sum past its total pays no one past the total.
    chain.open_claims(opening(1, 500, root, 500)).await.unwrap();
    check(
        named(chain.claim(&chain.owner, a, 700, &proof_a).await),
        "ClaimsExhausted".to_string(),
    );
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn push_and_claims_epochs_keep_apart_and_a_chunk_cannot_spend_the_claims() {
    let chain = Chain::start().await;
    let (a, b) = (account(0xa1), account(0xb2));
    let (root, _, _) = two_leaves((a, 700), (b, 300));
    chain
        .open_claims(opening(1, 1000, root, 1000))
        .await
        .unwrap();
    check(
        named(chain.payout(1, 0, a, 1).await),
        "EpochKindConflict".to_string(),
    );
    check(
        named(chain.open_epoch(1, 1000).await),
        "EpochPlanConflict".to_string(),
    );
    chain.open_epoch(2, 10).await.unwrap();
    check(
        named(chain.payout(2, 0, b, 11).await),
        "ClaimsUnderfunded".to_string(),
    );
    chain.payout(2, 0, b, 10).await.unwrap();
    check(chain.balance(b).await, 10);
}

/// Gas of `op`'s confirmed transaction.
async fn gas_of(chain: &crate::claims_support::Chain, op: &str) -> u64 {
    let done = chain.owner.journaled_confirmation(op).unwrap().unwrap();
    done.gas_used
}

/// A root with `account`'s leaf 20 levels deep, as in a tree of 1,048,576 leaves:
/// `seed`-made siblings on its path (the contract sees only the leaf, proof and root).
fn deep_root(account: alloy_primitives::Address, amount: u128, seed: u8) -> (B256, Vec<B256>) {
    let siblings: Vec<B256> = (0u8..20).map(|i| keccak256([i, seed])).collect();
    let root = siblings.iter().fold(
        crate::claims_support::leaf(account, amount),
        |node, sibling| crate::claims_support::pair(node, *sibling),
    );
    (root, siblings)
}

#[tokio::test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn the_operator_pays_at_most_250k_gas_per_epoch_and_a_claim_at_1m_leaves_at_most_100k() {
    let chain = Chain::start().await;
    let account = account(0xa1);
    let unit = 1_000_000_000_000_000_000u128;
    // The first claims epoch (every claims slot written for the first time), then a later
    // one planned on a minted supply (one more word stored).
    let (root1, _) = deep_root(account, unit, 1);
    chain
        .open_claims(opening(1, unit, root1, unit))
        .await
        .unwrap();
    let first = gas_of(&chain, &format!("claims:1:{root1}")).await;
    let (root2, siblings) = deep_root(account, 2 * unit, 2);
    let mut later = opening(2, unit, root2, 2 * unit);
    later.minted_supply_before = alloy_primitives::U256::from(unit);
    chain.open_claims(later).await.unwrap();
    let second = gas_of(&chain, &format!("claims:2:{root2}")).await;
    let other = chain.other().await;
    chain
        .claim(&other, account, 2 * unit, &siblings)
        .await
        .unwrap();
    let amount = alloy_primitives::U256::from(2 * unit);
    let data = payout_claims::claim_call(account, amount, &siblings);
    let op = format!("claim:{account}:{}:{}", 2 * unit, keccak256(&data));
    let claim = other.journaled_confirmation(&op).unwrap().unwrap().gas_used;
    eprintln!("openClaims gas: first {first}, later {second}; claim (20 hashes, first-time holder) {claim}");
    check(
        (first <= 250_000, second <= 250_000, claim <= 100_000),
        (true, true, true),
    );
    check(chain.balance(account).await, 2 * unit);
}
