//! The JSON-RPC side: method table, parameter parsing, and the per-request
//! transaction middleware.

mod ledger_tx;
mod methods;
mod params;

pub use ledger_tx::{LedgerTx, LedgerTxLayer};
pub use methods::rpc_module;
