//! Every integration test of `evm-sender`, in one test binary: one file per rule group,
//! linked once (a binary per file cost a link and ~100 MB of disk each).

mod common;

mod anvil_lookup;
mod authority;
mod chain_events;
mod confirm_by;
mod limits;
mod look_cost;
mod send;
