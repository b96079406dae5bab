//! Malformed answers give typed errors and never panic: bad JSON, HTML 502, wrong id, no
//! result, wrong result type, oversized body, a connection cut mid-answer, random bytes.

use crate::support;

use proptest::prelude::*;
use rpc_resilience::{ResilienceConfig, ResilientClient, RpcError};
use support::raw::{http, json_200, RawServer};

async fn answer_with(answer: Vec<u8>) -> Result<u64, RpcError> {
    let server = RawServer::start(vec![answer]).await;
    let c = ResilientClient::builder()
        .endpoint(&server.url)
        .config(ResilienceConfig {
            max_attempts: 1,
            ..Default::default()
        })
        .max_response_size(1024)
        .build()
        .unwrap();
    c.call::<u64, _>("eth_blockNumber", ()).await
}

#[track_caller]
fn check_malformed(result: Result<u64, RpcError>) {
    assert!(
        matches!(result, Err(RpcError::MalformedResponse { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_body_that_is_not_json_is_malformed() {
    check_malformed(answer_with(json_200("hello, world")).await);
    check_malformed(answer_with(json_200("{not json")).await);
}

#[tokio::test]
async fn an_html_502_page_is_an_http_status_error() {
    let page = http(
        "502 Bad Gateway",
        &["content-type: text/html"],
        b"<html><body>Bad Gateway</body></html>",
    );
    assert_eq!(
        answer_with(page).await,
        Err(RpcError::HttpStatus { status: 502 })
    );
}

#[tokio::test]
async fn an_answer_with_the_wrong_id_is_malformed() {
    check_malformed(answer_with(json_200(r#"{"jsonrpc":"2.0","id":999,"result":1}"#)).await);
}

#[tokio::test]
async fn an_answer_with_neither_result_nor_error_is_malformed() {
    check_malformed(answer_with(json_200(r#"{"jsonrpc":"2.0","id":$ID}"#)).await);
}

#[tokio::test]
async fn a_result_of_the_wrong_type_is_malformed() {
    check_malformed(answer_with(json_200(r#"{"jsonrpc":"2.0","id":$ID,"result":"seven"}"#)).await);
}

#[tokio::test]
async fn an_oversized_body_is_too_large() {
    let big = format!(
        r#"{{"jsonrpc":"2.0","id":$ID,"result":"{}"}}"#,
        "x".repeat(4096)
    );
    assert_eq!(
        answer_with(json_200(&big)).await,
        Err(RpcError::ResponseTooLarge)
    );
}

#[tokio::test]
async fn a_connection_closed_mid_answer_is_a_transport_error() {
    let cut =
        b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\ncontent-type: application/json\r\n\r\n{\"jsonr"
            .to_vec();
    let result = answer_with(cut).await;
    assert!(
        matches!(result, Err(RpcError::Transport { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_connection_closed_without_an_answer_is_a_transport_error() {
    let result = answer_with(Vec::new()).await;
    assert!(
        matches!(result, Err(RpcError::Transport { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_well_formed_answer_decodes() {
    assert_eq!(
        answer_with(json_200(r#"{"jsonrpc":"2.0","id":$ID,"result":7}"#)).await,
        Ok(7)
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_as_an_answer_give_an_error_never_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let result = runtime.block_on(answer_with(bytes));
        // Random bytes are not an HTTP answer carrying a JSON-RPC result: always a typed error.
        prop_assert!(result.is_err(), "{result:?}");
    }

    #[test]
    fn random_bodies_after_a_200_header_give_typed_errors(body in proptest::collection::vec(any::<u8>(), 0..600)) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let mut answer = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", body.len()).into_bytes();
        answer.extend_from_slice(&body);
        let result = runtime.block_on(answer_with(answer));
        prop_assert!(
            matches!(result, Err(RpcError::MalformedResponse { .. }) | Err(RpcError::Transport { .. }) | Err(RpcError::Rpc { .. })),
            "{result:?}"
        );
    }
}
