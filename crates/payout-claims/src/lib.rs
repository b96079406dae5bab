//! The EVM claims payout backend: each epoch is paid by one `openClaims` transaction on the
//! `EpochPayout` contract, publishing the root of a cumulative Merkle tree of
//! `(account, every unit ever given to it by claims)` leaves; each recipient (or anyone for
//! it) then sends `claim(account, cumulativeAmount, proof)` and receives what it did not
//! claim yet.
//!
//! The operator's cost per epoch is one transaction whatever the number of recipients.
//! The leaves and tree are OpenZeppelin's `StandardMerkleTree` over `["address",
//! "uint256"]`, so wallets and dapps load the proofs this project writes with the
//! ecosystem's library.
//!
//! The contract decides, as for push payouts: an epoch is done when the contract shows
//! its record (this plan, `claims`) and a current root at least as late, read
//! `confirmations` deep.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod abi;
mod backend;
mod claim;
mod error;
mod history;
mod open;
mod reader;
mod shows;
mod tree;

pub use abi::{claim_call, revert_reason, OpenClaims};
pub use backend::{ClaimsHistory, ClaimsPayout};
pub use claim::{send_claim, ClaimOutcome, StaleProof};
pub use error::ClaimsError;
pub use reader::{ClaimsReader, CurrentRoot};
pub use shows::EitherShows;
pub use tree::tree_of;
