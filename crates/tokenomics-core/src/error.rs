//! The crate's one error type: every way an input, a parameter or a computation can fail.
//!
//! Nothing in this crate talks to a network, so no error here is cured by retrying:
//! callers fix the input.

/// What went wrong, with the offending value; never retryable (pure computation).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CoreError {
    /// A decimal text could not be read as an amount or a fraction.
    #[error("invalid decimal {text:?}: {reason}")]
    InvalidDecimal {
        /// The text as given.
        text: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// A fraction (score, utility, quality, rate, weight) is outside `[0, 1]`.
    #[error("fraction {text} is outside [0, 1]")]
    FractionOutOfRange {
        /// The value as decimal text.
        text: String,
    },
    /// An address is not `0x` followed by 40 hex digits.
    #[error("invalid address {text:?}: expected 0x followed by 40 hex digits")]
    InvalidAddress {
        /// The text as given.
        text: String,
    },
    /// The same address appears twice in one category.
    #[error("duplicate address {address} in {category}")]
    DuplicateAddress {
        /// The category's name.
        category: &'static str,
        /// The repeated address (lowercase).
        address: String,
    },
    /// A recipient the chain would refuse (the zero address; on EVM the token or the
    /// payout contract): bad input, refused before anything is sent.
    #[error("{field}: {address} is {what}, which the chain refuses as a recipient")]
    RefusedRecipient {
        /// The input field (`miners[3].address`, `dao_address`).
        field: String,
        /// The refused address (lowercase).
        address: String,
        /// What it is ("the zero address", "the payout contract").
        what: &'static str,
    },
    /// A parameter (configuration) is invalid.
    #[error("invalid parameter {field}: {reason}")]
    InvalidParameter {
        /// The parameter's name, as in the configuration file.
        field: &'static str,
        /// Why it was refused.
        reason: String,
    },
    /// An epoch input is invalid.
    #[error("invalid input {field}: {reason}")]
    InvalidInput {
        /// The input field's name, as in the inputs file.
        field: &'static str,
        /// Why it was refused.
        reason: String,
    },
    /// Minting would pass max supply.
    #[error("minting {requested} MDT would pass max supply ({mintable} MDT mintable)")]
    MaxSupplyExceeded {
        /// What was asked for.
        requested: crate::Amount,
        /// What can still be minted.
        mintable: crate::Amount,
    },
    /// A computation left the range of `u128` base units.
    #[error("arithmetic overflow while computing {what}")]
    Overflow {
        /// What was being computed.
        what: &'static str,
    },
}

/// Shorthand for results of this crate.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;
