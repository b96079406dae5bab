//! The method table: each method's name and positional params, in order.
//!
//! Params are a JSON array; quantities are hex ([`crate::format_quantity`]), addresses `0x`
//! and 40 hex digits. The idempotency key of a write is optional and comes last.

/// The name of the idempotency key param.
pub const IDEMPOTENCY_KEY: &str = "idempotencyKey";

/// One method of the protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Method {
    /// The JSON-RPC method name.
    pub name: &'static str,
    /// Its positional params, in order.
    pub params: &'static [&'static str],
    /// Whether it changes the ledger (and needs the bearer token).
    pub writes: bool,
}

impl Method {
    /// Where a write's idempotency key goes among its params (`None` for a read).
    pub fn key_position(&self) -> Option<usize> {
        self.writes
            .then(|| self.params.iter().position(|p| *p == IDEMPOTENCY_KEY))
            .flatten()
    }
}

const fn read(name: &'static str, params: &'static [&'static str]) -> Method {
    Method {
        name,
        params,
        writes: false,
    }
}

/// `eth_chainId []` -> hex quantity.
pub const CHAIN_ID: Method = read("eth_chainId", &[]);
/// `eth_blockNumber []` -> hex quantity.
pub const BLOCK_NUMBER: Method = read("eth_blockNumber", &[]);
/// `eth_getBalance [address, blockTag]` -> hex quantity.
pub const GET_BALANCE: Method = read("eth_getBalance", &["address", "blockTag"]);
/// `luxtensor_totalSupply []` -> hex quantity.
pub const TOTAL_SUPPLY: Method = read("luxtensor_totalSupply", &[]);
/// `luxtensor_getTransfer [idempotencyKey]` -> the write's record, or null.
pub const GET_TRANSFER: Method = read("luxtensor_getTransfer", &[IDEMPOTENCY_KEY]);
/// `luxtensor_mint [to, amount, idempotencyKey?, memo?]` -> `{"txHash", "blockNumber"}`;
/// the memo (printable ASCII, at most 256 bytes) is bound to the key like the rest.
pub const MINT: Method = Method {
    name: "luxtensor_mint",
    params: &["to", "amount", IDEMPOTENCY_KEY, "memo"],
    writes: true,
};
/// `luxtensor_transfer [from, to, amount, idempotencyKey?]` -> `{"txHash", "blockNumber"}`.
pub const TRANSFER: Method = Method {
    name: "luxtensor_transfer",
    params: &["from", "to", "amount", IDEMPOTENCY_KEY],
    writes: true,
};

/// Every method of the protocol.
pub const METHODS: &[Method] = &[
    CHAIN_ID,
    BLOCK_NUMBER,
    GET_BALANCE,
    TOTAL_SUPPLY,
    GET_TRANSFER,
    MINT,
    TRANSFER,
];

/// The method called `name`, if the protocol has one.
pub fn method(name: &str) -> Option<&'static Method> {
    METHODS.iter().find(|m| m.name == name)
}
