//! Every integration test of `luxtensor-devnet`, in one test binary: one file per rule group,
//! linked once (a binary per file cost a link and ~100 MB of disk each).

mod support;

mod auth;
mod codec;
mod concurrency;
mod errors;
mod faults;
mod idempotency;
mod ledger;
mod methods;
mod protocol_table;
mod server;
