//! HTTP-level tower layers put in front of the jsonrpsee service.
//!
//! They act per HTTP request (a JSON-RPC batch is one request): faults first, so a
//! refused request never reaches the ledger, then the bearer-token check.

mod auth_layer;
mod fault_layer;

pub use auth_layer::{BearerAuth, BearerAuthLayer};
pub use fault_layer::{FaultLayer, InjectFaults};
