//! Error mapping between jsonrpsee's client `Error` and [`RpcError`], both ways.
//!
//! This is where "was the request sent?" is decided: a hyper connect error (nothing sent)
//! becomes [`RpcError::Connect`]; anything after that is at best [`RpcError::Transport`].

use std::time::Duration;

use jsonrpsee::core::client::Error as ClientError;
use jsonrpsee::core::http_helpers::HttpError;
use jsonrpsee::http_client::transport::Error as TransportError;
use jsonrpsee::types::ErrorObjectOwned;

use crate::RpcError;

/// The JSON-RPC code used for batch items and client errors that have no server code.
pub const INTERNAL_ERROR_CODE: i32 = -32603;

/// Maps a jsonrpsee client error from `endpoint` to an [`RpcError`].
pub fn from_client_error(
    error: ClientError,
    endpoint: &str,
    retry_after: Option<Duration>,
) -> RpcError {
    match error {
        ClientError::Call(object) => from_error_object(&object),
        ClientError::Transport(boxed) => match boxed.downcast::<TransportError>() {
            Ok(transport) => from_transport_error(*transport, endpoint, retry_after),
            Err(other) => RpcError::Transport {
                reason: chain(&*other),
            },
        },
        ClientError::ParseError(e) => RpcError::MalformedResponse {
            reason: e.to_string(),
        },
        ClientError::InvalidRequestId(e) => RpcError::MalformedResponse {
            reason: format!("wrong response id: {e}"),
        },
        ClientError::RequestTimeout => RpcError::Timeout {
            after: Duration::ZERO,
        },
        ClientError::EmptyBatchRequest(_) => RpcError::InvalidRequest {
            reason: "empty batch".into(),
        },
        other => RpcError::Transport {
            reason: other.to_string(),
        },
    }
}

/// Maps a JSON-RPC error object to [`RpcError::Rpc`], whatever its code: what a code means
/// (final, rate limited) is the classifier's business.
pub fn from_error_object(object: &ErrorObjectOwned) -> RpcError {
    let data = object
        .data()
        .and_then(|raw| serde_json::from_str::<serde_json::Value>(raw.get()).ok());
    RpcError::Rpc {
        code: object.code(),
        message: object.message().to_owned(),
        data,
    }
}

fn from_transport_error(
    error: TransportError,
    endpoint: &str,
    retry_after: Option<Duration>,
) -> RpcError {
    match error {
        TransportError::Url(reason) => RpcError::InvalidRequest {
            reason: format!("bad URL: {reason}"),
        },
        TransportError::RequestTooLarge => RpcError::InvalidRequest {
            reason: "request body too large".into(),
        },
        TransportError::Rejected { status_code: 429 } => RpcError::RateLimited { retry_after },
        TransportError::Rejected { status_code: 503 } if retry_after.is_some() => {
            RpcError::RateLimited { retry_after }
        }
        TransportError::Rejected { status_code } => RpcError::HttpStatus {
            status: status_code,
        },
        TransportError::Http(HttpError::TooLarge) => RpcError::ResponseTooLarge,
        TransportError::Http(HttpError::Malformed) => RpcError::MalformedResponse {
            reason: "response body is not JSON".into(),
        },
        TransportError::Http(HttpError::Stream(inner)) => {
            let connect = inner
                .downcast_ref::<hyper_util::client::legacy::Error>()
                .is_some_and(hyper_util::client::legacy::Error::is_connect);
            if connect {
                RpcError::Connect {
                    endpoint: endpoint.to_owned(),
                    reason: chain(&*inner),
                }
            } else {
                RpcError::Transport {
                    reason: chain(&*inner),
                }
            }
        }
        other => RpcError::Transport {
            reason: chain(&other),
        },
    }
}

/// An error and its sources, joined with ": ".
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The JSON-RPC error object a batch item reports for `error`: a server's error as it came,
/// anything else (an HTTP rate limit included) as an internal error naming it.
pub fn to_error_object(error: &RpcError) -> ErrorObjectOwned {
    match error {
        RpcError::Rpc {
            code,
            message,
            data,
        } => ErrorObjectOwned::owned(*code, message.clone(), data.clone()),
        other => ErrorObjectOwned::owned(INTERNAL_ERROR_CODE, other.to_string(), None::<()>),
    }
}

/// For the `ClientT` impl: a JSON-RPC error stays a call error, a timeout is jsonrpsee's
/// `RequestTimeout`, and everything else is a transport error holding the [`RpcError`]
/// (downcast it to inspect).
impl From<RpcError> for ClientError {
    fn from(error: RpcError) -> Self {
        match error {
            RpcError::Rpc { .. } => ClientError::Call(to_error_object(&error)),
            RpcError::Timeout { .. } => ClientError::RequestTimeout,
            other => ClientError::Transport(Box::new(other)),
        }
    }
}
