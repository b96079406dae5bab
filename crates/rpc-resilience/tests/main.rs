//! Every integration test of `rpc-resilience`, in one test binary: one file per rule group,
//! linked once (a binary per file cost a link and ~100 MB of disk each).

mod support;

mod backoff;
mod breaker;
mod budget;
mod cancel;
mod client_batch;
mod client_breaker;
mod client_malformed;
mod client_replay;
mod client_retry;
mod config_checks;
mod future_size;
mod health;
mod metrics;
mod one_rule;
mod policies;
mod request_budget;
mod retry;
mod rpc_macro;
mod rules;
