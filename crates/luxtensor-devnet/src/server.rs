//! Starting and stopping the node: [`Devnet::start`] and its [`DevnetHandle`].
//!
//! Stacks the HTTP layers (faults, then bearer auth) and the RPC middleware (one
//! transaction per request or batch) around the method table, on a jsonrpsee HTTP
//! server bound to a loopback address.

use std::net::SocketAddr;

use jsonrpsee::server::middleware::rpc::RpcServiceBuilder;
use jsonrpsee::server::{BatchRequestConfig, Server, ServerConfig, ServerHandle};

use crate::config::DevnetConfig;
use crate::error::DevnetError;
use crate::faults::{FaultConfig, FaultInjector};
use crate::http::{BearerAuthLayer, FaultLayer};
use crate::ledger::Ledger;
use crate::rpc::{rpc_module, LedgerTxLayer};

/// The embedded Luxtensor dev node.
#[derive(Debug)]
pub struct Devnet;

impl Devnet {
    /// Opens the ledger and serves it on `config.addr` (loopback only) until shut down.
    ///
    /// Refuses a config that [`DevnetConfig::validate`] refuses, a ledger file another
    /// devnet holds ([`DevnetError::LedgerInUse`]) and a ledger whose supply is above
    /// `max_supply` ([`DevnetError::SupplyAboveCap`]).
    ///
    /// Must run inside a tokio runtime; the server runs on it in the background.
    pub async fn start(config: DevnetConfig) -> Result<DevnetHandle, DevnetError> {
        config.validate()?;
        let ledger = Ledger::open(&config.ledger, config.max_supply, config.chain_id)?;
        let faults = FaultInjector::new(config.faults);
        let limits = config.limits;
        let server_config = ServerConfig::builder()
            .max_request_body_size(limits.max_request_body_bytes)
            .max_response_body_size(limits.max_request_body_bytes.saturating_mul(4))
            .max_connections(limits.max_connections)
            .set_batch_request_config(BatchRequestConfig::Limit(limits.max_batch_len))
            .http_only()
            .build();
        let http_layers = tower::ServiceBuilder::new()
            .layer(FaultLayer::new(faults.clone()))
            .layer(BearerAuthLayer::new(&config.token));
        let rpc_layers = RpcServiceBuilder::new().layer(LedgerTxLayer::new(ledger.clone()));
        let server = Server::builder()
            .set_config(server_config)
            .set_http_middleware(http_layers)
            .set_rpc_middleware(rpc_layers)
            .build(config.addr)
            .await
            .map_err(|source| DevnetError::Bind {
                addr: config.addr,
                source,
            })?;
        let addr = server.local_addr().map_err(|source| DevnetError::Bind {
            addr: config.addr,
            source,
        })?;
        let server = server.start(rpc_module(ledger.clone())?);
        tracing::info!(%addr, chain_id = config.chain_id, "devnet listening");
        Ok(DevnetHandle {
            addr,
            server,
            ledger,
            faults,
            token: config.token,
        })
    }
}

/// A running devnet: its address, its ledger, its faults, and how to stop it.
pub struct DevnetHandle {
    addr: SocketAddr,
    server: ServerHandle,
    ledger: Ledger,
    faults: FaultInjector,
    token: String,
}

impl std::fmt::Debug for DevnetHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevnetHandle")
            .field("addr", &self.addr)
            .field("token", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl DevnetHandle {
    /// The bound address (the real port when port 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr>`, ready for a JSON-RPC HTTP client.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bearer token mutating methods need.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Replaces the fault config (and restarts its random stream) while running.
    pub fn set_faults(&self, faults: FaultConfig) {
        self.faults.set(faults);
    }

    /// The fault config in force.
    pub fn faults(&self) -> FaultConfig {
        self.faults.config()
    }

    /// Direct access to the ledger (for checks in tests; clients use HTTP).
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// Balance of `address`, read straight from the ledger.
    pub fn balance(&self, address: &str) -> Result<u128, DevnetError> {
        self.ledger.balance(address)
    }

    /// Total supply, read straight from the ledger.
    pub fn total_supply(&self) -> u128 {
        self.ledger.total_supply()
    }

    /// Stops accepting requests and waits until the server has stopped.
    pub async fn shutdown(self) {
        // An error only says it was already stopped, which is the goal.
        let _ = self.server.stop();
        self.server.stopped().await;
    }
}
