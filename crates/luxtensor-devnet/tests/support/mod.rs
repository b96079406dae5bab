//! Test support: a tiny JSON-RPC-over-HTTP client on loopback and a devnet starter.
//!
//! The client speaks raw HTTP/1.1 through hyper so tests can see status codes,
//! `Retry-After` headers and closed connections, not only JSON-RPC results.
#![allow(dead_code)]

use std::net::SocketAddr;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use luxtensor_devnet::{Devnet, DevnetConfig, DevnetHandle};
use serde_json::{json, Value};

/// An address made from one byte, e.g. `addr(1)` = 0x00…01.
pub(crate) fn addr(n: u8) -> String {
    format!("0x{n:040x}")
}

/// A hex quantity.
pub(crate) fn hex(n: u128) -> String {
    format!("{n:#x}")
}

/// One HTTP answer.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) retry_after: Option<String>,
    pub(crate) body: Value,
}

/// A JSON-RPC client for one devnet, with or without a token.
#[derive(Debug, Clone)]
pub(crate) struct Rpc {
    pub(crate) addr: SocketAddr,
    pub(crate) token: Option<String>,
}

/// Starts an in-memory devnet with defaults changed by `edit`.
pub(crate) async fn start(edit: impl FnOnce(&mut DevnetConfig)) -> (DevnetHandle, Rpc) {
    let mut config = DevnetConfig::default();
    edit(&mut config);
    let devnet = Devnet::start(config).await.expect("devnet starts");
    let rpc = Rpc {
        addr: devnet.addr(),
        token: Some(devnet.token().to_owned()),
    };
    (devnet, rpc)
}

impl Rpc {
    /// The same client without a token.
    pub(crate) fn anonymous(&self) -> Rpc {
        Rpc {
            addr: self.addr,
            token: None,
        }
    }

    /// The same client with another token.
    pub(crate) fn with_token(&self, token: &str) -> Rpc {
        Rpc {
            addr: self.addr,
            token: Some(token.to_owned()),
        }
    }

    /// POSTs raw bytes on a fresh connection; `Err` when the connection closes without an answer.
    pub(crate) async fn post_raw(&self, body: Vec<u8>) -> Result<Reply, String> {
        let stream = tokio::net::TcpStream::connect(self.addr)
            .await
            .map_err(|e| e.to_string())?;
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(conn);
        let mut request = hyper::Request::post("/").header("content-type", "application/json");
        if let Some(token) = &self.token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let request = request
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| e.to_string())?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        Ok(Reply {
            status,
            retry_after,
            body,
        })
    }

    /// POSTs a JSON body.
    pub(crate) async fn post(&self, body: &Value) -> Result<Reply, String> {
        self.post_raw(body.to_string().into_bytes()).await
    }

    /// Calls one method and returns the whole JSON-RPC response object.
    pub(crate) async fn call(&self, method: &str, params: Value) -> Value {
        let request = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let reply = self.post(&request).await.expect("an answer");
        assert_eq!(
            reply.status, 200,
            "HTTP status for {method}: {:?}",
            reply.body
        );
        reply.body
    }

    /// Calls one method that must succeed, returning its result.
    pub(crate) async fn ok(&self, method: &str, params: Value) -> Value {
        let response = self.call(method, params).await;
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    /// Calls one method that must fail, returning its error object.
    pub(crate) async fn err(&self, method: &str, params: Value) -> Value {
        let response = self.call(method, params).await;
        assert!(
            response.get("result").is_none(),
            "{method} succeeded: {response}"
        );
        response["error"].clone()
    }

    /// Sends a batch of `(method, params)` calls, returning the responses sorted by id.
    pub(crate) async fn batch(&self, calls: &[(&str, Value)]) -> Vec<Value> {
        let body: Vec<Value> = calls
            .iter()
            .enumerate()
            .map(|(id, (method, params))| json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .collect();
        let reply = self.post(&Value::Array(body)).await.expect("an answer");
        assert_eq!(reply.status, 200, "batch status: {:?}", reply.body);
        let mut responses = reply
            .body
            .as_array()
            .cloned()
            .unwrap_or_else(|| panic!("not a batch answer: {}", reply.body));
        responses.sort_by_key(|r| r["id"].as_u64());
        responses
    }

    /// Balance of an address as a number.
    pub(crate) async fn balance(&self, address: &str) -> u128 {
        quantity(&self.ok("eth_getBalance", json!([address, "latest"])).await)
    }

    /// Total supply as a number.
    pub(crate) async fn total_supply(&self) -> u128 {
        quantity(&self.ok("luxtensor_totalSupply", json!([])).await)
    }

    /// Block number as a number.
    pub(crate) async fn block_number(&self) -> u128 {
        quantity(&self.ok("eth_blockNumber", json!([])).await)
    }

    /// Mints and returns the result.
    pub(crate) async fn mint(&self, to: &str, amount: u128, key: Option<&str>) -> Value {
        self.ok("luxtensor_mint", json!([to, hex(amount), key]))
            .await
    }
}

/// Parses a hex quantity result.
#[track_caller]
pub(crate) fn quantity(value: &Value) -> u128 {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("not a quantity: {value}"));
    u128::from_str_radix(text.trim_start_matches("0x"), 16)
        .unwrap_or_else(|_| panic!("not hex: {text}"))
}
