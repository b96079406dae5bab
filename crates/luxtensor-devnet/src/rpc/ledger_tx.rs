//! RPC middleware giving each HTTP request sole use of the ledger, and each
//! JSON-RPC batch one SQLite transaction.
//!
//! A single call holds the ledger's gate while it runs (its write commits on its
//! own); a batch opens a [`crate::ledger::BatchTx`], runs every call inside that one
//! transaction and commits once, which is what makes batched transfers fast. The
//! batch is not all-or-nothing: a refused call applies nothing and the others are
//! kept; only a storage failure half-way through a write rolls the whole batch back.

use std::future::Future;

use jsonrpsee::server::middleware::rpc::{
    Batch, MethodResponse, Notification, Request, RpcServiceT,
};
use jsonrpsee::types::Id;

use crate::ledger::Ledger;

/// Layer building [`LedgerTx`].
#[derive(Debug, Clone)]
pub struct LedgerTxLayer {
    ledger: Ledger,
}

impl LedgerTxLayer {
    /// A layer serialising access to `ledger`.
    pub fn new(ledger: Ledger) -> Self {
        LedgerTxLayer { ledger }
    }
}

impl<S> tower::Layer<S> for LedgerTxLayer {
    type Service = LedgerTx<S>;

    fn layer(&self, inner: S) -> Self::Service {
        LedgerTx {
            inner,
            ledger: self.ledger.clone(),
        }
    }
}

/// Service made by [`LedgerTxLayer`].
#[derive(Debug, Clone)]
pub struct LedgerTx<S> {
    inner: S,
    ledger: Ledger,
}

impl<S> RpcServiceT for LedgerTx<S>
where
    S: RpcServiceT<
            MethodResponse = MethodResponse,
            BatchResponse = MethodResponse,
            NotificationResponse = MethodResponse,
        > + Clone
        + Send
        + Sync
        + 'static,
{
    type MethodResponse = MethodResponse;
    type NotificationResponse = MethodResponse;
    type BatchResponse = MethodResponse;

    fn call<'a>(&self, request: Request<'a>) -> impl Future<Output = MethodResponse> + Send + 'a {
        let inner = self.inner.clone();
        let ledger = self.ledger.clone();
        async move {
            let _sole_use = ledger.exclusive().await;
            inner.call(request).await
        }
    }

    fn batch<'a>(&self, batch: Batch<'a>) -> impl Future<Output = MethodResponse> + Send + 'a {
        let inner = self.inner.clone();
        let ledger = self.ledger.clone();
        async move {
            let tx = match ledger.begin_batch().await {
                Ok(tx) => tx,
                Err(error) => {
                    tracing::warn!(%error, "cannot start a batch transaction");
                    return MethodResponse::error(Id::Null, error.to_rpc_error());
                }
            };
            let response = inner.batch(batch).await;
            match tx.commit() {
                Ok(()) => response,
                Err(error) => {
                    tracing::warn!(%error, "batch rolled back");
                    MethodResponse::error(Id::Null, error.to_rpc_error())
                }
            }
        }
    }

    fn notification<'a>(
        &self,
        n: Notification<'a>,
    ) -> impl Future<Output = MethodResponse> + Send + 'a {
        let inner = self.inner.clone();
        let ledger = self.ledger.clone();
        async move {
            let _sole_use = ledger.exclusive().await;
            inner.notification(n).await
        }
    }
}
