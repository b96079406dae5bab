//! Idempotency key rules: `mint:<epoch>`, `transfer:<epoch>:<index>`, read back only in the
//! form written.

use luxtensor_protocol::{mint_key, transfer_key, IdempotencyKey, ProtocolError, MAX_KEY_LEN};
use proptest::prelude::*;

#[track_caller]
fn check(text: &str, expected: Option<IdempotencyKey>) {
    let refused = ProtocolError::NotAKey { text: text.into() };
    assert_eq!(text.parse(), expected.ok_or(refused), "{text:?}");
}

#[test]
fn keys_name_the_epoch_and_the_transfer_index() {
    let keys = [
        mint_key(7),
        transfer_key(7, 42),
        transfer_key(u64::MAX, u32::MAX),
    ];
    assert_eq!(
        keys,
        [
            "mint:7",
            "transfer:7:42",
            "transfer:18446744073709551615:4294967295"
        ]
    );
    assert!(keys.iter().all(|k| k.len() <= MAX_KEY_LEN));
}

#[test]
fn only_the_written_form_of_a_key_is_read() {
    check("mint:0", Some(IdempotencyKey::Mint { epoch: 0 }));
    check(
        "transfer:3:0",
        Some(IdempotencyKey::Transfer { epoch: 3, index: 0 }),
    );
    for refused in [
        "",
        "mint",
        "mint:",
        "mint:01",
        "mint:+1",
        "mint:1:2",
        "transfer:1",
        "transfer:1:2:3",
        "transfer:1:4294967296",
        "mint:3:abcdef",
        "Mint:1",
        " mint:1",
    ] {
        check(refused, None);
    }
}

proptest! {
    #[test]
    fn every_key_reads_back_as_written(epoch: u64, index: u32) {
        prop_assert_eq!(mint_key(epoch).parse(), Ok(IdempotencyKey::Mint { epoch }));
        prop_assert_eq!(
            transfer_key(epoch, index).parse(),
            Ok(IdempotencyKey::Transfer { epoch, index })
        );
    }
}
