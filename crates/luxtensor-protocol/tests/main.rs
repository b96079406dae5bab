//! Every integration test of `luxtensor-protocol`, in one test binary: one file per rule group,
//! linked once (a binary per file cost a link and ~100 MB of disk each).

mod client;
mod key;
mod method;
mod quantity;
