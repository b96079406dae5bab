//! Every integration test of `payout-luxtensor`, in one test binary: the executor paying epochs on a real devnet (a jsonrpsee server over SQLite on loopback).

mod support;

mod chain_decides;
mod executor;
mod journal_owed;
mod metrics;
mod refusals;
mod status;
