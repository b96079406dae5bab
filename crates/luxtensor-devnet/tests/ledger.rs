//! Ledger invariants (property tests) and durability of the file ledger.
//!
//! Any sequence of mints and transfers keeps sum(balances) == total supply <=
//! max supply, and a reopened file ledger holds every committed write.

use luxtensor_devnet::{DevnetError, Ledger, LedgerPath};
use proptest::prelude::*;

fn addr(n: u8) -> String {
    format!("0x{n:040x}")
}

#[derive(Debug, Clone)]
enum Op {
    Mint {
        to: u8,
        amount: u128,
        key: Option<u8>,
    },
    Transfer {
        from: u8,
        to: u8,
        amount: u128,
        key: Option<u8>,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let key = proptest::option::of(0u8..6);
    prop_oneof![
        (0u8..4, 0u128..500, key.clone()).prop_map(|(to, amount, key)| Op::Mint {
            to,
            amount,
            key
        }),
        (0u8..4, 0u8..4, 0u128..300, key).prop_map(|(from, to, amount, key)| Op::Transfer {
            from,
            to,
            amount,
            key
        }),
    ]
}

fn run(ledger: &Ledger, op: &Op) -> Result<(), DevnetError> {
    let key = |k: &Option<u8>| k.map(|k| format!("k{k}"));
    match op {
        Op::Mint { to, amount, key: k } => ledger
            .mint(&addr(*to), *amount, key(k).as_deref())
            .map(|_| ()),
        Op::Transfer {
            from,
            to,
            amount,
            key: k,
        } => ledger
            .transfer(&addr(*from), &addr(*to), *amount, key(k).as_deref())
            .map(|_| ()),
    }
}

/// Checks the books of `ledger`: balances add up to the supply, under the cap.
#[track_caller]
fn check(ledger: &Ledger) {
    let sum = ledger.sum_of_balances().expect("readable");
    assert_eq!(sum, ledger.total_supply());
    assert!(ledger.total_supply() <= ledger.max_supply());
}

proptest! {
    #[test]
    fn any_sequence_of_writes_keeps_the_books_balanced(ops in proptest::collection::vec(op(), 1..60)) {
        let ledger = Ledger::open(&LedgerPath::Memory, 2_000, 1).expect("opens");
        for op in &ops {
            let before = (ledger.block_number(), ledger.total_supply());
            match run(&ledger, op) {
                Ok(()) => prop_assert!(ledger.block_number() >= before.0),
                // A refused write changes nothing.
                Err(_) => prop_assert_eq!((ledger.block_number(), ledger.total_supply()), before),
            }
            check(&ledger);
        }
    }
}

#[test]
fn a_reopened_file_ledger_holds_every_committed_write() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = LedgerPath::File(dir.path().join("ledger.sqlite"));
    let receipt = {
        let ledger = Ledger::open(&path, 1_000, 1).expect("opens");
        ledger.mint(&addr(1), 700, Some("m")).expect("mint");
        ledger
            .transfer(&addr(1), &addr(2), 200, Some("t"))
            .expect("transfer")
    };
    let ledger = Ledger::open(&path, 1_000, 1).expect("reopens");
    assert_eq!(ledger.balance(&addr(1)).expect("balance"), 500);
    assert_eq!(ledger.balance(&addr(2)).expect("balance"), 200);
    assert_eq!(ledger.total_supply(), 700);
    assert_eq!(ledger.block_number(), 2);
    let found = ledger.get_write("t").expect("readable").expect("recorded");
    assert_eq!(found.receipt, receipt);
    check(&ledger);
}

#[tokio::test]
async fn a_batch_dropped_without_commit_rolls_back() {
    let ledger = Ledger::open(&LedgerPath::Memory, 1_000, 1).expect("opens");
    ledger.mint(&addr(1), 10, None).expect("mint");
    {
        let _batch = ledger.begin_batch().await.expect("batch");
        ledger
            .mint(&addr(1), 5, Some("lost"))
            .expect("mint in batch");
        assert_eq!(ledger.total_supply(), 15);
    }
    assert_eq!(ledger.total_supply(), 10);
    assert_eq!(ledger.block_number(), 1);
    assert!(ledger.get_write("lost").expect("readable").is_none());
    check(&ledger);
}

#[test]
fn amounts_past_i64_are_stored_losslessly() {
    let ledger = Ledger::open(&LedgerPath::Memory, u128::MAX, 1).expect("opens");
    let big = u128::MAX - 1;
    ledger.mint(&addr(1), big, None).expect("mint");
    assert_eq!(ledger.balance(&addr(1)).expect("balance"), big);
    check(&ledger);
}

#[tokio::test]
async fn a_write_failing_half_way_rolls_back_its_whole_batch() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("ledger.sqlite");
    let ledger = Ledger::open(&LedgerPath::File(file.clone()), 1_000, 1).expect("opens");
    ledger.mint(&addr(1), 100, None).expect("mint");
    ledger.mint(&addr(2), 100, None).expect("mint");
    // Corrupt addr(2)'s stored balance behind the ledger's back.
    let other = rusqlite::Connection::open(&file).expect("second connection");
    other
        .execute(
            "UPDATE balances SET amount = 'garbage' WHERE address = ?1",
            [addr(2)],
        )
        .expect("corrupt");
    let batch = ledger.begin_batch().await.expect("batch");
    ledger
        .transfer(&addr(1), &addr(3), 10, Some("fine"))
        .expect("first write");
    // Debits addr(1), then fails reading addr(2): half-way.
    let half_way = ledger.transfer(&addr(1), &addr(2), 10, Some("half"));
    assert!(
        matches!(half_way, Err(DevnetError::CorruptLedger(_))),
        "{half_way:?}"
    );
    let committed = batch.commit();
    assert!(
        matches!(committed, Err(DevnetError::BatchRolledBack(_))),
        "{committed:?}"
    );
    assert_eq!(ledger.balance(&addr(1)).expect("balance"), 100);
    assert_eq!(ledger.block_number(), 2);
    assert!(ledger.get_write("fine").expect("readable").is_none());
}
