//! The claims backend's cumulative table (`ClaimsLedger`) on real journal files: every
//! epoch adds to each account's cumulative amount, refusals write nothing, a read-only
//! ledger only reads, the table as of an epoch comes from the journaled plans, and
//! `read_status` says which epochs were paid by claims.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use payout_journal::{read_status, ClaimsLedger, Journal};
use tokenomics_core::{synthetic_inputs, Address, Amount, EpochPlan, Params};

fn units(n: u128) -> Amount {
    Amount::from_base_units(n)
}

/// A fresh journal file in `dir` (its tables made by `Journal::open`).
fn journal_file(dir: &Path) -> PathBuf {
    let path = dir.join("j.sqlite");
    drop(Journal::open(&path).unwrap());
    path
}

/// `ledger`'s whole table, as pairs in account order.
#[track_caller]
fn check_table(ledger: &ClaimsLedger, want: &[(Address, Amount)]) {
    let table: Vec<_> = ledger.table().unwrap().into_iter().collect();
    assert_eq!(table, want);
}

const A: Address = Address::from_bytes([1; 20]);
const B: Address = Address::from_bytes([2; 20]);

#[test]
fn the_claims_table_adds_each_epoch_to_every_accounts_cumulative_amount() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = ClaimsLedger::open(&journal_file(dir.path())).unwrap();
    ledger
        .fold(1, "0x01", units(150), &[(A, units(100)), (B, units(50))])
        .unwrap();
    ledger
        .fold(3, "0x03", units(450), &[(A, units(300))])
        .unwrap();
    check_table(&ledger, &[(A, units(400)), (B, units(50))]);
    let last = ledger.last().unwrap().unwrap();
    assert_eq!(
        (last.epoch, last.root.as_str(), last.accounts),
        (3, "0x03", 2)
    );
}

#[test]
fn a_claims_epoch_not_later_or_a_wrong_total_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = ClaimsLedger::open(&journal_file(dir.path())).unwrap();
    ledger
        .fold(2, "0x02", units(10), &[(A, units(10))])
        .unwrap();
    assert!(ledger
        .fold(2, "0x02", units(20), &[(A, units(10))])
        .is_err());
    assert!(ledger
        .fold(3, "0x03", units(21), &[(A, units(10))])
        .is_err());
    check_table(&ledger, &[(A, units(10))]);
    assert_eq!(ledger.epochs().unwrap().len(), 1);
}

#[test]
fn a_read_only_ledger_reads_what_was_folded_and_refuses_to_fold() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal_file(dir.path());
    ClaimsLedger::open(&path)
        .unwrap()
        .fold(1, "0x01", units(5), &[(A, units(5))])
        .unwrap();
    let mut reader = ClaimsLedger::open_read_only(&path).unwrap();
    check_table(&reader, &[(A, units(5))]);
    assert!(reader.fold(2, "0x02", units(6), &[(A, units(1))]).is_err());
    check_table(&reader, &[(A, units(5))]);
}

#[test]
fn the_table_as_of_an_epoch_sums_the_journaled_plans_of_the_claims_epochs_up_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal_file(dir.path());
    let plans: Vec<EpochPlan> = [1, 2]
        .into_iter()
        .map(|epoch| EpochPlan::build(&Params::default(), &synthetic_inputs(epoch, 4)).unwrap())
        .collect();
    let mut journal = Journal::open(&path).unwrap();
    let mut ledger = ClaimsLedger::open(&path).unwrap();
    let mut owed: BTreeMap<Address, u128> = BTreeMap::new();
    for plan in &plans {
        journal.record_plan(plan, Amount::ZERO, A).unwrap();
        let mut given: BTreeMap<Address, u128> = BTreeMap::new();
        for transfer in &plan.transfers {
            *given.entry(transfer.to).or_default() += transfer.amount.base_units();
            *owed.entry(transfer.to).or_default() += transfer.amount.base_units();
        }
        let given: Vec<_> = given.into_iter().map(|(a, m)| (a, units(m))).collect();
        let total = owed.values().sum();
        ledger
            .fold(plan.epoch, "0xab", units(total), &given)
            .unwrap();
    }
    let want: BTreeMap<Address, Amount> = owed.into_iter().map(|(a, m)| (a, units(m))).collect();
    assert_eq!(ledger.table_at(2).unwrap(), Some(want.clone()));
    assert_eq!(ledger.table().unwrap(), want);
    assert_ne!(ledger.table_at(1).unwrap(), Some(want));
}

#[test]
fn the_table_as_of_an_epoch_whose_plan_is_not_journaled_is_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = ClaimsLedger::open(&journal_file(dir.path())).unwrap();
    ledger.fold(1, "0x01", units(5), &[(A, units(5))]).unwrap();
    assert_eq!(ledger.table_at(1).unwrap(), None);
}

#[test]
fn status_says_an_epoch_folded_into_the_claims_table_was_paid_by_claims_with_its_root() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal_file(dir.path());
    let plan = EpochPlan::build(&Params::default(), &synthetic_inputs(7, 2)).unwrap();
    let other = EpochPlan::build(&Params::default(), &synthetic_inputs(8, 2)).unwrap();
    let mut journal = Journal::open(&path).unwrap();
    journal.record_plan(&plan, Amount::ZERO, A).unwrap();
    journal.record_plan(&other, Amount::ZERO, A).unwrap();
    ClaimsLedger::open(&path)
        .unwrap()
        .fold(7, "0x07", units(9), &[(B, units(9))])
        .unwrap();
    let shown: Vec<_> = read_status(&path)
        .unwrap()
        .into_iter()
        .map(|e| (e.epoch, e.payout, e.claims_root, e.cumulative_total))
        .collect();
    assert_eq!(
        shown,
        vec![
            (7, "claims", Some("0x07".to_string()), Some(units(9))),
            (8, "push", None, None),
        ]
    );
}
