//! The Luxtensor JSON-RPC protocol in one place: method names and the order of their params,
//! error codes, the hex quantity codec, and the idempotency keys of this tool. No I/O.
//!
//! The devnet serves this protocol and the integration crate speaks it; both read it here.
//! With the `client` feature (off by default, so the devnet does not pull a client), the crate
//! also supplies Luxtensor's retry rules for `rpc_resilience::ResilientClient`: [`policy`]
//! (which calls are replay-safe) and [`classifier`] (which codes are final or rate limited).
//!
//! | module | holds |
//! |---|---|
//! | [`method`] | [`Method`], each method's name and params; [`METHODS`] |
//! | [`code`] | the error codes; [`code::FINAL`]; the rate limit's `retry_after_ms` |
//! | [`quantity`] | [`format_quantity`], [`parse_quantity`] (`"0x3e8"` <-> `1000u128`) |
//! | [`key`] | [`mint_key`], [`transfer_key`], [`IdempotencyKey`] |
//! | `client` | (feature `client`) `LuxtensorIdempotency`, `policy()`, `classifier()`, `is_final()` |
//!
//! ```
//! use luxtensor_protocol::{
//!     format_quantity, method, parse_quantity, transfer_key, IdempotencyKey, TRANSFER,
//! };
//!
//! assert_eq!(format_quantity(1000), "0x3e8");
//! assert_eq!(parse_quantity("0x3e8"), Ok(1000));
//! assert_eq!(transfer_key(7, 42), "transfer:7:42");
//! assert_eq!("transfer:7:42".parse(), Ok(IdempotencyKey::Transfer { epoch: 7, index: 42 }));
//! assert_eq!(method("luxtensor_transfer"), Some(&TRANSFER));
//! assert_eq!(TRANSFER.params, ["from", "to", "amount", "idempotencyKey"]);
//! assert_eq!(TRANSFER.key_position(), Some(3));
//! ```
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

#[cfg(feature = "client")]
pub mod client;
pub mod code;
mod error;
pub mod key;
pub mod method;
pub mod quantity;

#[cfg(feature = "client")]
pub use client::{classifier, is_final, policy, LuxtensorIdempotency};
pub use error::ProtocolError;
pub use key::{mint_key, transfer_key, IdempotencyKey, MAX_KEY_LEN};
pub use method::{
    method, Method, BLOCK_NUMBER, CHAIN_ID, GET_BALANCE, GET_TRANSFER, IDEMPOTENCY_KEY, METHODS,
    MINT, TOTAL_SUPPLY, TRANSFER,
};
pub use quantity::{format_quantity, parse_quantity};
