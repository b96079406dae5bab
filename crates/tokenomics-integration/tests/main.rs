//! Every integration test of `tokenomics-integration`, in one test binary: one file per rule group,
//! linked once (a binary per file cost a link and ~100 MB of disk each).

mod evm_support;
mod support;

mod chain_decides;
mod evm_authority;
mod evm_close;
mod evm_dry_run;
mod evm_executor;
mod evm_payout;
mod executor;
mod journal_owed;
mod metrics;
mod refusals;
mod status;
