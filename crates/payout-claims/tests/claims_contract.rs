//! `EpochPayout`'s claims on a real anvil, with hand-built two-leaf trees: what `claim`
//! pays, what it refuses, and the rules of `openClaims` (roots advance, totals never fall,
//! the contract holds what the roots owe).

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
