//! jsonrpsee's `ClientT` for [`ResilientClient`], so `#[rpc(client)]` traits run through the
//! whole resilience stack.
//!
//! Errors come back as jsonrpsee errors: JSON-RPC errors as `Error::Call`, a timeout as
//! `Error::RequestTimeout`, everything else as `Error::Transport` holding an [`RpcError`].

use std::fmt;
use std::future::Future;

use jsonrpsee::core::client::{BatchResponse, ClientT, Error};
use jsonrpsee::core::params::BatchRequestBuilder;
use jsonrpsee::core::traits::ToRpcParams;
use jsonrpsee::types::ErrorObject;
use serde::de::DeserializeOwned;

use super::endpoint::RawParams;
use super::error_map::to_error_object;
use super::{decode, CallOptions, ResilientClient};
use crate::RpcError;

/// The JSON-RPC code a batch item gets when its result has the wrong type.
const PARSE_ERROR_CODE: i32 = -32700;

impl ClientT for ResilientClient {
    fn notification<Params>(
        &self,
        method: &str,
        params: Params,
    ) -> impl Future<Output = Result<(), Error>> + Send
    where
        Params: ToRpcParams + Send,
    {
        let params = params.to_rpc_params();
        async move {
            Ok(self
                .execute_notification(method, RawParams(params?))
                .await?)
        }
    }

    fn request<R, Params>(
        &self,
        method: &str,
        params: Params,
    ) -> impl Future<Output = Result<R, Error>> + Send
    where
        R: DeserializeOwned,
        Params: ToRpcParams + Send,
    {
        let params = params.to_rpc_params();
        async move {
            let raw = self
                .execute(method, RawParams(params?), CallOptions::default())
                .await?;
            Ok(decode(&raw)?)
        }
    }

    fn batch_request<'a, R>(
        &self,
        batch: BatchRequestBuilder<'a>,
    ) -> impl Future<Output = Result<BatchResponse<'a, R>, Error>> + Send
    where
        R: DeserializeOwned + fmt::Debug + 'a,
    {
        // An empty builder is no batch to send: answered empty, like `execute_batch`.
        let items: Vec<(&str, RawParams)> =
            batch.into_iter().map(|(m, p)| (m, RawParams(p))).collect();
        async move {
            let results = self.execute_batch(items).await?;
            let (mut ok, mut failed) = (0, 0);
            let entries: Vec<Result<R, ErrorObject<'a>>> = results
                .into_iter()
                .map(|item| {
                    let entry = match item {
                        Ok(raw) => decode::<R>(&raw).map_err(|e| {
                            ErrorObject::owned(PARSE_ERROR_CODE, e.to_string(), None::<()>)
                        }),
                        Err(error) => Err(to_error_object(&error)),
                    };
                    if entry.is_ok() {
                        ok += 1
                    } else {
                        failed += 1
                    }
                    entry
                })
                .collect();
            Ok(BatchResponse::new(ok, entries, failed))
        }
    }
}

impl ResilientClient {
    /// Sends `items` (method, params) as batches of `batch_size`; one result per item, in order.
    /// Only failed items are retried, and only those that are idempotent or never sent.
    pub async fn batch<R: DeserializeOwned, P: serde::Serialize>(
        &self,
        items: &[(&str, P)],
    ) -> Result<Vec<Result<R, RpcError>>, RpcError> {
        let mut raw_items = Vec::with_capacity(items.len());
        for (method, params) in items {
            let raw =
                serde_json::value::to_raw_value(params).map_err(|e| RpcError::InvalidRequest {
                    reason: e.to_string(),
                })?;
            let raw = if raw.get() == "null" { None } else { Some(raw) };
            raw_items.push((*method, RawParams(raw)));
        }
        let results = self.execute_batch(raw_items).await?;
        Ok(results
            .into_iter()
            .map(|r| r.and_then(|raw| decode(&raw)))
            .collect())
    }
}
