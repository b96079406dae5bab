//! The crate's one error type, [`ProtocolError`]: a text that is not a valid protocol value.

/// A value read from the wire (or a journal) is not what the protocol allows.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    /// A quantity without its `0x` prefix.
    #[error("expected a hex quantity like \"0x3e8\", got {text:?}")]
    NoHexPrefix {
        /// The text read.
        text: String,
    },
    /// A quantity with no digits, or a character that is not a hex digit.
    #[error("{text:?} is not a hex quantity")]
    NotHex {
        /// The text read.
        text: String,
    },
    /// A quantity too large for 128 bits.
    #[error("{text:?} does not fit in 128 bits")]
    QuantityTooLarge {
        /// The text read.
        text: String,
    },
    /// An idempotency key that is neither `mint:<epoch>` nor `transfer:<epoch>:<index>`.
    #[error("{text:?} is not an idempotency key (mint:<epoch> or transfer:<epoch>:<index>)")]
    NotAKey {
        /// The text read.
        text: String,
    },
}
