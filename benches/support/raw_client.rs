//! A raw jsonrpsee HTTP client for a devnet (its bearer token set), for the benches'
//! baselines: no resilience layer, nothing but jsonrpsee.

use jsonrpsee::http_client::{HeaderMap, HeaderValue, HttpClient, HttpClientBuilder};
use luxtensor_devnet::DevnetHandle;

/// A plain jsonrpsee client of `devnet`, authorized with its token.
pub(crate) fn raw_client(devnet: &DevnetHandle) -> HttpClient {
    let mut headers = HeaderMap::new();
    let bearer = format!("Bearer {}", devnet.token());
    headers.insert(
        "authorization",
        HeaderValue::from_str(&bearer).expect("ascii token"),
    );
    HttpClientBuilder::default()
        .set_headers(headers)
        .build(devnet.url())
        .expect("client")
}
