//! How a devnet is set up: address, ledger location, token, chain, limits, faults.
//!
//! One plain struct with defaults fit for tests (`127.0.0.1:0`, `:memory:`, a fresh
//! random token), so `Devnet::start(DevnetConfig::default())` just works.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use crate::codec::BASE_UNITS_PER_MDT;
use crate::error::DevnetError;
use crate::faults::FaultConfig;

/// Default max supply: 21,000,000 MDT in base units.
pub const DEFAULT_MAX_SUPPLY: u128 = 21_000_000 * BASE_UNITS_PER_MDT;
/// Default chain id.
pub const DEFAULT_CHAIN_ID: u64 = 1337;

/// Where the SQLite ledger lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LedgerPath {
    /// A private in-memory database (`:memory:`), gone when the node stops.
    Memory,
    /// A database file (created if missing), kept across restarts.
    File(PathBuf),
}

/// Request limits of the HTTP server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest request body accepted, in bytes (default 10 MiB).
    pub max_request_body_bytes: u32,
    /// Largest JSON-RPC batch accepted, in calls (default 1000).
    pub max_batch_len: u32,
    /// Most open connections at once (default 1024).
    pub max_connections: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_request_body_bytes: 10 * 1024 * 1024,
            max_batch_len: 1000,
            max_connections: 1024,
        }
    }
}

/// Everything `Devnet::start` needs.
#[derive(Clone)]
pub struct DevnetConfig {
    /// Address to listen on; must be loopback (port 0 picks a free port).
    pub addr: SocketAddr,
    /// The ledger's database.
    pub ledger: LedgerPath,
    /// Bearer token that mutating methods must present: visible ASCII, no
    /// whitespace (see [`crate::auth::check_token`]).
    pub token: String,
    /// Answer of `eth_chainId`.
    pub chain_id: u64,
    /// Cap on the total supply, in base units.
    pub max_supply: u128,
    /// Body and batch limits.
    pub limits: Limits,
    /// Faults injected into HTTP requests (none by default).
    pub faults: FaultConfig,
}

impl Default for DevnetConfig {
    fn default() -> Self {
        DevnetConfig {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            ledger: LedgerPath::Memory,
            token: crate::auth::generate_token(),
            chain_id: DEFAULT_CHAIN_ID,
            max_supply: DEFAULT_MAX_SUPPLY,
            limits: Limits::default(),
            faults: FaultConfig::default(),
        }
    }
}

impl DevnetConfig {
    /// Checks what `Devnet::start` would refuse before touching anything:
    /// a non-loopback address, or a token that can never authenticate
    /// ([`crate::auth::check_token`]).
    pub fn validate(&self) -> Result<(), DevnetError> {
        if !self.addr.ip().is_loopback() {
            return Err(DevnetError::InvalidConfig(format!(
                "{} is not a loopback address; the devnet only listens on 127.0.0.1 or ::1",
                self.addr
            )));
        }
        crate::auth::check_token(&self.token)
    }
}

impl std::fmt::Debug for DevnetConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevnetConfig")
            .field("addr", &self.addr)
            .field("ledger", &self.ledger)
            .field("token", &"<redacted>")
            .field("chain_id", &self.chain_id)
            .field("max_supply", &self.max_supply)
            .field("limits", &self.limits)
            .field("faults", &self.faults)
            .finish()
    }
}
