//! What the journal owes: the treasury's debt to unfinished epochs is the sum of the
//! unconfirmed transfers of every other epoch that is minted or paid (not yet done).

use payout_executor::{Journal, PaidBy, Stage, TxHash};
use tokenomics_core::synthetic_inputs;
use tokenomics_core::{Address, Amount, EpochPlan, Params};

fn plan(epoch: u64) -> EpochPlan {
    EpochPlan::build(&Params::default(), &synthetic_inputs(epoch, 30)).unwrap()
}

/// Epochs 1 and 2 at `stages`, the first `confirmed[e]` transfers of each confirmed: what
/// the journal says unfinished epochs other than `except` owe equals the plans' sum.
#[track_caller]
fn check(stages: [Stage; 2], confirmed: [usize; 2], except: u64) {
    let mut journal = Journal::in_memory().unwrap();
    let treasury: Address = "0x7472656173757279000000000000000000000000"
        .parse()
        .unwrap();
    let mut expected = Amount::ZERO;
    for (slot, epoch) in [1u64, 2].into_iter().enumerate() {
        let plan = plan(epoch);
        journal.record_plan(&plan, Amount::ZERO, treasury).unwrap();
        journal.set_stage(epoch, stages[slot]).unwrap();
        let group: Vec<(u32, PaidBy)> = (0..confirmed[slot] as u32)
            .map(|index| (index, PaidBy::Tx(TxHash([index as u8; 32]))))
            .collect();
        journal.confirm(epoch, &group).unwrap();
        if epoch != except && matches!(stages[slot], Stage::Minted | Stage::Paid) {
            for transfer in &plan.transfers[confirmed[slot]..] {
                expected = expected.checked_add(transfer.amount, "expected").unwrap();
            }
        }
    }
    let owed = journal.owed_by_unfinished(except).unwrap();
    assert_eq!(owed, expected, "{stages:?} {confirmed:?} except {except}");
}

#[test]
fn unfinished_epochs_owe_their_unconfirmed_transfers() {
    check([Stage::Minted, Stage::Planned], [5, 0], 3);
    check([Stage::Paid, Stage::Minted], [0, 0], 3);
    check([Stage::Minted, Stage::Minted], [5, 7], 1);
    check([Stage::Minted, Stage::Paid], [5, 7], 2);
    check([Stage::Done, Stage::Planned], [0, 0], 3);
}
