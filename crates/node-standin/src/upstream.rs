//! [`Upstream`]: the node behind the stand-in, over HTTP/1 with hyper (a connection per
//! request, no timers: a test's paused clock never fires while anvil answers).

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::header::{CONTENT_TYPE, HOST};
use hyper::{Request, Uri};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpStream;

use crate::StandInError;

/// The node's address and the URI requests are posted to.
#[derive(Debug, Clone)]
pub(crate) struct Upstream {
    url: String,
    authority: String,
    uri: Uri,
}

impl Upstream {
    /// The node at `url` (`http://HOST:PORT[/PATH]`).
    pub(crate) fn new(url: &str) -> Result<Self, StandInError> {
        let bad = |reason| StandInError::NodeUrl {
            url: url.to_string(),
            reason,
        };
        let uri: Uri = url.parse().map_err(|_| bad("not a URL"))?;
        if uri.scheme_str() != Some("http") {
            return Err(bad("only http:// is served"));
        }
        let authority = uri
            .authority()
            .filter(|a| a.port_u16().is_some())
            .ok_or(bad("no HOST:PORT"))?
            .to_string();
        Ok(Self {
            url: url.to_string(),
            authority,
            uri,
        })
    }

    /// The node's URL.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// Posts `body` (JSON-RPC) and returns the node's body, whatever its HTTP status.
    pub(crate) async fn post(&self, body: Bytes) -> Result<Bytes, StandInError> {
        let failed = |reason: String| StandInError::Node {
            url: self.url.clone(),
            reason,
        };
        let stream = TcpStream::connect(&self.authority)
            .await
            .map_err(|e| failed(format!("connect: {e}")))?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| failed(format!("handshake: {e}")))?;
        tokio::spawn(async move {
            let _ = connection.await;
        });
        let request = Request::post(self.uri.clone())
            .header(HOST, &self.authority)
            .header(CONTENT_TYPE, "application/json")
            .body(Full::new(body))
            .map_err(|e| failed(format!("request: {e}")))?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| failed(format!("request: {e}")))?;
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| failed(format!("body: {e}")))?;
        Ok(body.to_bytes())
    }

    /// Forwards one JSON-RPC value (a call or a batch) and parses the answer.
    pub(crate) async fn forward(&self, call: &Value) -> Result<Value, StandInError> {
        let body = self.post(Bytes::from(call.to_string())).await?;
        serde_json::from_slice(&body).map_err(|e| StandInError::Node {
            url: self.url.clone(),
            reason: format!("answer is not JSON: {e}"),
        })
    }

    /// A call of the stand-in's own: its `result`, or [`StandInError::NodeAnswer`].
    pub(crate) async fn call(
        &self,
        method: &'static str,
        params: Value,
    ) -> Result<Value, StandInError> {
        let call = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let mut answer = self.forward(&call).await?;
        match answer.get_mut("result") {
            Some(result) => Ok(result.take()),
            None => Err(StandInError::NodeAnswer {
                method,
                answer: answer.to_string(),
            }),
        }
    }

    /// A quantity-valued call (`0x` hex) as a `u64`.
    pub(crate) async fn quantity(
        &self,
        method: &'static str,
        params: Value,
    ) -> Result<u64, StandInError> {
        let result = self.call(method, params).await?;
        result
            .as_str()
            .and_then(|s| s.strip_prefix("0x"))
            .and_then(|digits| u64::from_str_radix(digits, 16).ok())
            .ok_or_else(|| StandInError::NodeAnswer {
                method,
                answer: result.to_string(),
            })
    }
}
