//! The JSON-RPC error codes a Luxtensor node answers with.
//!
//! -32602 and -32603 are JSON-RPC 2.0's own; -32001..-32005 are the protocol's; -32010 is
//! what the devnet's server (jsonrpsee) answers a batch longer than its limit with.

/// Bad params; the message names the field.
pub const INVALID_PARAMS: i32 = -32602;
/// Internal error (storage, an injected fault): the call may succeed later.
pub const INTERNAL_ERROR: i32 = -32603;
/// The sender's balance is below the amount.
pub const INSUFFICIENT_BALANCE: i32 = -32001;
/// The mint would pass the max supply.
pub const MAX_SUPPLY_EXCEEDED: i32 = -32002;
/// The idempotency key was used before with other params.
pub const IDEMPOTENCY_CONFLICT: i32 = -32003;
/// A mutating method without a valid bearer token.
pub const UNAUTHORIZED: i32 = -32004;
/// Rate limited: nothing was applied; the error data's [`RETRY_AFTER_MS`] says how long to wait.
pub const RATE_LIMITED: i32 = -32005;
/// A batch longer than the node accepts; nothing was applied.
pub const BATCH_TOO_LARGE: i32 = -32010;

/// The field of a [`RATE_LIMITED`] error's data holding the delay in milliseconds.
pub const RETRY_AFTER_MS: &str = "retry_after_ms";

/// The protocol's codes that are final: sending the same call again cannot succeed.
/// (-32602 is final too, as JSON-RPC 2.0's own.)
pub const FINAL: &[i32] = &[
    INSUFFICIENT_BALANCE,
    MAX_SUPPLY_EXCEEDED,
    IDEMPOTENCY_CONFLICT,
    UNAUTHORIZED,
    BATCH_TOO_LARGE,
];
