//! The method table as docs/SPEC.md's wire protocol states it.

use luxtensor_protocol::{method, METHODS};

#[track_caller]
fn check(name: &str, params: &[&str], writes: bool, key_position: Option<usize>) {
    let found = method(name).unwrap_or_else(|| panic!("{name} missing"));
    assert_eq!(
        (found.params, found.writes, found.key_position()),
        (params, writes, key_position),
        "{name}"
    );
}

#[test]
fn each_method_has_its_params_in_protocol_order() {
    check("eth_chainId", &[], false, None);
    check("eth_blockNumber", &[], false, None);
    check("eth_getBalance", &["address", "blockTag"], false, None);
    check("luxtensor_totalSupply", &[], false, None);
    check("luxtensor_getTransfer", &["idempotencyKey"], false, None);
    check(
        "luxtensor_mint",
        &["to", "amount", "idempotencyKey", "memo"],
        true,
        Some(2),
    );
    check(
        "luxtensor_transfer",
        &["from", "to", "amount", "idempotencyKey"],
        true,
        Some(3),
    );
    assert_eq!(METHODS.len(), 7);
}

#[test]
fn a_method_outside_the_protocol_is_not_found() {
    assert_eq!(method("eth_sendTransaction"), None);
}
