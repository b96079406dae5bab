//! Every integration test of `payout-claims`, in one test binary: claims on a real anvil.

mod claims_support;

mod claims_contract;
mod claims_executor;
