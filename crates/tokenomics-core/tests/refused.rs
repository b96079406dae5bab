//! Recipients a chain would refuse: the zero address in any recipient field, and the
//! addresses a backend names, refused with the field that holds them.

use crate::support;

use support::{addr, inputs, mdt};
use tokenomics_core::{
    check_recipients, CoreError, EpochInputs, EpochPlan, Params, Refused, Weighted, ZERO_ADDRESS,
};

/// The plan of `inputs` is refused for `field` holding `address`, being `what`.
#[track_caller]
fn check_refused(inputs: &EpochInputs, field: &str, what: &str) {
    match EpochPlan::build(&Params::default(), inputs) {
        Err(CoreError::RefusedRecipient {
            field: got,
            address,
            what: reason,
        }) => {
            assert_eq!(got, field);
            assert_eq!(address, ZERO_ADDRESS.to_string());
            assert_eq!(reason, what);
        }
        other => panic!("expected {field} refused, got {other:?}"),
    }
}

#[test]
fn a_zero_address_miner_is_refused_naming_its_index() {
    let mut inputs = inputs(1, "1");
    inputs.miners.push(tokenomics_core::Miner {
        address: ZERO_ADDRESS,
        score: tokenomics_core::Fraction::ONE,
    });
    check_refused(&inputs, "miners[1].address", "the zero address");
}

#[test]
fn a_zero_address_with_zero_weight_is_refused_too() {
    let mut inputs = inputs(1, "1");
    inputs.infrastructure = vec![Weighted {
        address: ZERO_ADDRESS,
        weight: mdt("0"),
    }];
    check_refused(&inputs, "infrastructure[0].address", "the zero address");
}

#[test]
fn a_zero_dao_or_community_address_is_refused() {
    let mut dao = inputs(1, "1");
    dao.dao_address = ZERO_ADDRESS;
    check_refused(&dao, "dao_address", "the zero address");
    let mut community = inputs(1, "1");
    community.community_address = ZERO_ADDRESS;
    check_refused(&community, "community_address", "the zero address");
}

#[test]
fn a_backend_refused_address_is_named_with_what_it_is() {
    let inputs = inputs(1, "1");
    let payout = Refused {
        address: addr(2),
        what: "the payout contract",
    };
    let error = check_recipients(&inputs, &[payout]).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "validators[0].address: {} is the payout contract, which the chain refuses as a recipient",
            addr(2)
        )
    );
    assert!(check_recipients(&inputs, &[]).is_ok());
}
