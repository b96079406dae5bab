//! Every integration test of `payout-journal`, in one test binary: the journal's rules on
//! real SQLite files.

mod claims_ledger;
mod rules;
