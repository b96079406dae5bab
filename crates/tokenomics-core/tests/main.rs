//! Every integration test of `tokenomics-core`, in one test binary: one file per rule group,
//! linked once (a binary per file cost a link and ~100 MB of disk each).

mod support;

mod arithmetic;
mod canonical;
mod emission;
mod ledger;
mod lock_bonus;
mod properties;
mod refused;
mod split;
