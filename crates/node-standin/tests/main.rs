//! Every integration test of `node-standin`, in one test binary: each behaviour of the
//! stand-in shown with plain JSON-RPC calls against a real anvil, one rule per test.

mod support;

mod block_gas;
mod block_hashes;
mod gas_rules;
mod luxtensor;
mod nonce_tag;
mod request_window;
mod sender_slots;
mod transparent;
