//! Which calls may safely run twice: the [`IdempotencyPolicy`] trait and ready-made policies.
//!
//! After a request may have reached the server, only replay-safe calls are sent again (a
//! connect failure, where nothing was sent, is always safe). This crate knows only standard
//! Ethereum JSON-RPC: by default it replays the reads of [`STANDARD_READS`] and nothing else.
//! Callers add what their protocol makes safe: [`ReplaySafeMethods`], [`SignedTransactions`],
//! their own policy, combined with [`IdempotencyPolicy::or`]; or per call with
//! `CallOptions::idempotent`.

/// Decides whether a call may be sent again after it may have reached the server.
pub trait IdempotencyPolicy: Send + Sync + std::fmt::Debug {
    /// `params` is the call's raw JSON params (`None` when it has none).
    fn is_idempotent(&self, method: &str, params: Option<&str>) -> bool;

    /// A policy that calls a call replay-safe when `self` or `other` does.
    fn or<P: IdempotencyPolicy>(self, other: P) -> AnyOf<Self, P>
    where
        Self: Sized,
    {
        AnyOf(self, other)
    }
}

/// Standard Ethereum JSON-RPC methods that only read: running one twice changes nothing.
///
/// Left out on purpose: `eth_sendTransaction` (the node picks the nonce, so two sends are two
/// transactions), `eth_sendRawTransaction` (replay-safe but not a read: opt in with
/// [`SignedTransactions`]), the `eth_sign*` methods, filter creation and removal, and
/// `eth_getFilterChanges` (each call moves the filter's cursor: a replay loses changes).
pub const STANDARD_READS: &[&str] = &[
    "eth_accounts",
    "eth_blobBaseFee",
    "eth_blockNumber",
    "eth_call",
    "eth_chainId",
    "eth_estimateGas",
    "eth_feeHistory",
    "eth_gasPrice",
    "eth_getBalance",
    "eth_getBlockByHash",
    "eth_getBlockByNumber",
    "eth_getBlockReceipts",
    "eth_getBlockTransactionCountByHash",
    "eth_getBlockTransactionCountByNumber",
    "eth_getCode",
    "eth_getFilterLogs",
    "eth_getLogs",
    "eth_getProof",
    "eth_getStorageAt",
    "eth_getTransactionByBlockHashAndIndex",
    "eth_getTransactionByBlockNumberAndIndex",
    "eth_getTransactionByHash",
    "eth_getTransactionCount",
    "eth_getTransactionReceipt",
    "eth_getUncleCountByBlockHash",
    "eth_getUncleCountByBlockNumber",
    "eth_maxPriorityFeePerGas",
    "eth_protocolVersion",
    "eth_syncing",
    "net_listening",
    "net_peerCount",
    "net_version",
    "web3_clientVersion",
    "web3_sha3",
];

/// The client's default: the methods of [`STANDARD_READS`] are replay-safe, nothing else is.
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultIdempotency;

impl IdempotencyPolicy for DefaultIdempotency {
    fn is_idempotent(&self, method: &str, _params: Option<&str>) -> bool {
        STANDARD_READS.contains(&method)
    }
}

/// `eth_sendRawTransaction` is replay-safe: opt in with `DefaultIdempotency.or(SignedTransactions)`.
///
/// Sending the same signed bytes again cannot pay twice: they carry the same nonce and hash,
/// and a nonce is mined once. The resend may be answered with an error ("already known",
/// "nonce too low") although the first send went through, so an EVM sender treats such an
/// answer as "maybe sent" and looks the transaction up by its hash.
#[derive(Debug, Clone, Copy, Default)]
pub struct SignedTransactions;

impl IdempotencyPolicy for SignedTransactions {
    fn is_idempotent(&self, method: &str, _params: Option<&str>) -> bool {
        method == "eth_sendRawTransaction"
    }
}

/// Methods the caller declares replay-safe, whatever their params.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplaySafeMethods(Vec<String>);

impl ReplaySafeMethods {
    /// Declares `methods` replay-safe.
    pub fn new<S: Into<String>>(methods: impl IntoIterator<Item = S>) -> Self {
        Self(methods.into_iter().map(Into::into).collect())
    }
}

impl IdempotencyPolicy for ReplaySafeMethods {
    fn is_idempotent(&self, method: &str, _params: Option<&str>) -> bool {
        self.0.iter().any(|m| m == method)
    }
}

/// Replay-safe when either policy says so (see [`IdempotencyPolicy::or`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct AnyOf<A, B>(pub A, pub B);

impl<A: IdempotencyPolicy, B: IdempotencyPolicy> IdempotencyPolicy for AnyOf<A, B> {
    fn is_idempotent(&self, method: &str, params: Option<&str>) -> bool {
        self.0.is_idempotent(method, params) || self.1.is_idempotent(method, params)
    }
}

/// A policy that trusts the caller: every call is idempotent (or none is).
#[derive(Debug, Clone, Copy)]
pub struct AssumeIdempotent(pub bool);

impl IdempotencyPolicy for AssumeIdempotent {
    fn is_idempotent(&self, _method: &str, _params: Option<&str>) -> bool {
        self.0
    }
}
