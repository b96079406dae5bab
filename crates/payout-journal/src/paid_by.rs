//! `PaidBy`: what paid a confirmed transfer, as a backend reports it and the journal
//! keeps it.
//!
//! A backend confirms a transfer either by the transaction that paid it, or by the chain
//! showing it paid by a transaction this run does not know (another run, with another
//! journal, paid it). Both are confirmations; only the first names a transaction.

use std::fmt;
use std::str::FromStr;

use tokenomics_core::Hash256;

/// A transaction's hash, `0x` and 64 lowercase hex digits on the wire and in the journal.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TxHash(pub [u8; 32]);

impl fmt::Display for TxHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{}", Hash256::from_bytes(self.0))
    }
}

impl fmt::Debug for TxHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Text that is not `0x` and 64 hex digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotATxHash;

impl FromStr for TxHash {
    type Err = NotATxHash;

    fn from_str(text: &str) -> Result<TxHash, NotATxHash> {
        let digits = text.strip_prefix("0x").ok_or(NotATxHash)?;
        let hash: Hash256 = digits.parse().map_err(|_| NotATxHash)?;
        Ok(TxHash(*hash.as_bytes()))
    }
}

/// What paid a confirmed transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaidBy {
    /// This transaction.
    Tx(TxHash),
    /// A transaction this run does not know: the chain shows the transfer paid (by
    /// another run, with another journal).
    AnotherRun,
}

/// How the journal writes [`PaidBy::AnotherRun`] where a transaction hash would go.
const ANOTHER_RUN: &str = "paid by another run";

impl fmt::Display for PaidBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PaidBy::Tx(hash) => hash.fmt(f),
            PaidBy::AnotherRun => f.write_str(ANOTHER_RUN),
        }
    }
}

impl FromStr for PaidBy {
    type Err = NotATxHash;

    fn from_str(text: &str) -> Result<PaidBy, NotATxHash> {
        match text {
            ANOTHER_RUN => Ok(PaidBy::AnotherRun),
            hash => hash.parse().map(PaidBy::Tx),
        }
    }
}
