//! `EpochExecutor<ClaimsPayout>` on a real anvil: one `openClaims` per epoch, the
//! cumulative table in the journal, and a run that lost its journal rebuilding it from
//! the history's inputs or refusing before anything is sent.

use payout_claims::{ClaimsError, ClaimsHistory};
use payout_executor::ExecutorError;

use crate::claims_support::{check, history, run, Chain};

/// The claims error inside an executor error.
fn claims_error(error: &ExecutorError) -> Option<&ClaimsError> {
    error.backend::<ClaimsError>()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn three_claims_epochs_publish_one_root_each_holding_every_accounts_total() {
    let chain = Chain::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut executor = chain
        .executor(dir.path(), "j", ClaimsHistory::default())
        .await;
    let nonce = chain.owner_nonce().await;
    let mut total = 0u128;
    for epoch in 1..=3 {
        let report = run(&mut executor, epoch, 40).await.unwrap();
        total += report.paid.base_units();
    }
    check(chain.owner_nonce().await, nonce + 3);
    let current = chain.reader().current_root(None).await.unwrap().unwrap();
    check(
        (current.epoch, current.cumulative_total.base_units()),
        (3, total),
    );
    check(
        chain.reader().outstanding(None).await.unwrap().base_units(),
        total,
    );
    // Run again: nothing is sent.
    run(&mut executor, 3, 40).await.unwrap();
    check(chain.owner_nonce().await, nonce + 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_run_that_lost_its_journal_rebuilds_the_table_from_the_history_and_goes_on() {
    let chain = Chain::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut first = chain
        .executor(dir.path(), "lost", ClaimsHistory::default())
        .await;
    run(&mut first, 1, 30).await.unwrap();
    run(&mut first, 2, 30).await.unwrap();
    drop(first);
    let mut fresh = chain
        .executor(dir.path(), "fresh", history(&[1, 2], 30))
        .await;
    let report = run(&mut fresh, 3, 30).await.unwrap();
    let current = chain.reader().current_root(None).await.unwrap().unwrap();
    check(current.epoch, 3);
    check(report.epoch, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_run_without_the_history_of_an_earlier_claims_epoch_names_it_and_sends_nothing() {
    let chain = Chain::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut first = chain
        .executor(dir.path(), "lost", ClaimsHistory::default())
        .await;
    run(&mut first, 1, 30).await.unwrap();
    run(&mut first, 2, 30).await.unwrap();
    drop(first);
    let nonce = chain.owner_nonce().await;
    let mut fresh = chain.executor(dir.path(), "fresh", history(&[2], 30)).await;
    let error = run(&mut fresh, 3, 30).await.unwrap_err();
    check(
        matches!(
            claims_error(&error),
            Some(ClaimsError::HistoryMissing { epoch: 1 })
        ),
        true,
    );
    check(error.is_bad_input(), true);
    check(chain.owner_nonce().await, nonce);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn history_inputs_that_plan_another_epoch_than_the_contract_recorded_are_refused() {
    let chain = Chain::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut first = chain
        .executor(dir.path(), "lost", ClaimsHistory::default())
        .await;
    run(&mut first, 1, 30).await.unwrap();
    drop(first);
    let nonce = chain.owner_nonce().await;
    let mut fresh = chain.executor(dir.path(), "fresh", history(&[1], 31)).await;
    let error = run(&mut fresh, 2, 30).await.unwrap_err();
    check(
        matches!(
            claims_error(&error),
            Some(ClaimsError::HistoryPlanMismatch { epoch: 1, .. })
        ),
        true,
    );
    check(chain.owner_nonce().await, nonce);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn an_epoch_the_contract_cannot_fund_is_refused_before_anything_is_sent() {
    let chain = Chain::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut executor = chain
        .executor(dir.path(), "j", ClaimsHistory::default())
        .await;
    let nonce = chain.owner_nonce().await;
    let mut inputs = tokenomics_core::synthetic_inputs(1, 20);
    // A recycled pool the contract does not hold: the epoch pays more than it mints.
    inputs.recycling_pool = tokenomics_core::Amount::from_base_units(10u128.pow(20));
    let error = executor
        .run_epoch(
            inputs,
            payout_executor::MintedSupply::FromChain,
            &mut |_| {},
        )
        .await
        .unwrap_err();
    check(
        matches!(
            claims_error(&error),
            Some(ClaimsError::Underfunded { epoch: 1, .. })
        ),
        true,
    );
    check(error.is_bad_input(), true);
    check(chain.owner_nonce().await, nonce);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn an_opening_whose_table_was_not_folded_is_folded_from_the_chain_and_not_sent_again() {
    let chain = Chain::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut executor = chain
        .executor(dir.path(), "j", ClaimsHistory::default())
        .await;
    run(&mut executor, 1, 30).await.unwrap();
    drop(executor);
    // As if killed after openClaims was mined, before the table was journaled.
    let conn = rusqlite::Connection::open(dir.path().join("j.sqlite")).unwrap();
    conn.execute_batch(
        "DELETE FROM claims_epochs; DELETE FROM claims_accounts;
         UPDATE epochs SET stage = 'planned'; DELETE FROM confirmations;",
    )
    .unwrap();
    drop(conn);
    let nonce = chain.owner_nonce().await;
    let mut again = chain
        .executor(dir.path(), "j", ClaimsHistory::default())
        .await;
    run(&mut again, 1, 30).await.unwrap();
    run(&mut again, 2, 30).await.unwrap();
    check(chain.owner_nonce().await, nonce + 1);
    check(
        chain
            .reader()
            .current_root(None)
            .await
            .unwrap()
            .unwrap()
            .epoch,
        2,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn an_epoch_older_than_the_current_root_is_refused_before_anything_is_sent() {
    let chain = Chain::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut executor = chain
        .executor(dir.path(), "j", ClaimsHistory::default())
        .await;
    run(&mut executor, 5, 20).await.unwrap();
    let nonce = chain.owner_nonce().await;
    let error = run(&mut executor, 4, 20).await.unwrap_err();
    check(
        matches!(
            claims_error(&error),
            Some(ClaimsError::EpochNotLater {
                epoch: 4,
                current: 5
            })
        ),
        true,
    );
    check(error.is_bad_input(), true);
    check(chain.owner_nonce().await, nonce);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn a_push_epoch_may_not_spend_what_the_claims_roots_owe() {
    let chain = Chain::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut claims = chain
        .executor(dir.path(), "claims", ClaimsHistory::default())
        .await;
    let report = run(&mut claims, 1, 20).await.unwrap();
    drop(claims);
    // A push epoch whose recycled pool the contract "holds" only in claimants' money.
    let evm = chain
        .backend(dir.path(), "push", ClaimsHistory::default())
        .await;
    let journal = payout_executor::Journal::open(&dir.path().join("push.sqlite")).unwrap();
    let mut push = payout_executor::EpochExecutor::new(
        tokenomics_core::Params::default(),
        payout_executor::ExecutorConfig::default(),
        payout_evm::EvmPayout::connect(
            evm.evm().sender().config().clone(),
            evm.evm().sender().client().clone(),
            evm_sender::Signer::from_hex(evm_sender::anvil::DEV_KEY).unwrap(),
            chain.contracts,
            &dir.path().join("push2.nonces.sqlite"),
        )
        .await
        .unwrap(),
        journal,
    );
    drop(evm);
    let nonce = chain.owner_nonce().await;
    let mut inputs = tokenomics_core::synthetic_inputs(2, 20);
    inputs.recycling_pool = report.paid;
    let error = push
        .run_epoch(
            inputs,
            payout_executor::MintedSupply::FromChain,
            &mut |_| {},
        )
        .await
        .unwrap_err();
    check(matches!(error, ExecutorError::PoolShort(_)), true);
    check(chain.owner_nonce().await, nonce);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
async fn two_runs_at_once_with_their_own_journals_open_the_epoch_once_with_one_root() {
    let chain = Chain::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut a = chain
        .executor(dir.path(), "a", ClaimsHistory::default())
        .await;
    let mut b = chain
        .executor(dir.path(), "b", ClaimsHistory::default())
        .await;
    let (ra, rb) = tokio::join!(run(&mut a, 1, 30), run(&mut b, 1, 30));
    // Whatever each run says (the second may stop on the nonce the first took), the
    // contract holds one opening with one root.
    let paid = ra.as_ref().or(rb.as_ref()).map(|r| r.paid).unwrap();
    let current = chain.reader().current_root(None).await.unwrap().unwrap();
    check((current.epoch, current.cumulative_total), (1, paid));
    check(chain.reader().outstanding(None).await.unwrap(), paid);
    // Both journals end with the same root once each run is done.
    drop((a, b));
    let mut again = chain
        .executor(dir.path(), "a", ClaimsHistory::default())
        .await;
    run(&mut again, 1, 30).await.unwrap();
    let mut again = chain
        .executor(dir.path(), "b", ClaimsHistory::default())
        .await;
    run(&mut again, 1, 30).await.unwrap();
}
