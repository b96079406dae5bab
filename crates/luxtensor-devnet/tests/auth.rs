//! Bearer tokens: what the header check accepts, and that tokens never show in
//! Debug output (which is what logs print).

use luxtensor_devnet::auth::{check_bearer, generate_token, Authorization};
use luxtensor_devnet::{Devnet, DevnetConfig};

/// Checks one `Authorization` header value against the token "s3cret".
#[track_caller]
fn check(header: Option<&str>, expected: Authorization) {
    assert_eq!(
        check_bearer(header.map(str::as_bytes), "s3cret"),
        expected,
        "{header:?}"
    );
}

#[test]
fn only_the_exact_bearer_token_is_granted() {
    check(Some("Bearer s3cret"), Authorization::Granted);
    check(Some("Bearer s3cret "), Authorization::Granted);
    check(Some("Bearer s3cre"), Authorization::Denied);
    check(Some("Bearer s3cretx"), Authorization::Denied);
    check(Some("Bearer S3CRET"), Authorization::Denied);
    check(Some("Basic s3cret"), Authorization::Denied);
    check(Some("s3cret"), Authorization::Denied);
    check(None, Authorization::Denied);
}

#[test]
fn the_bearer_scheme_matches_in_any_case() {
    check(Some("bearer s3cret"), Authorization::Granted);
    check(Some("BEARER s3cret"), Authorization::Granted);
    check(Some("bEaReR  s3cret"), Authorization::Granted);
    check(Some("Bearers3cret"), Authorization::Denied);
    check(Some("Bearer"), Authorization::Denied);
    check(Some("Bear s3cret"), Authorization::Denied);
}

#[test]
fn generated_tokens_are_64_hex_digits_and_differ() {
    let (a, b) = (generate_token(), generate_token());
    assert_eq!(a.len(), 64);
    assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
    assert_ne!(a, b);
}

#[tokio::test]
async fn debug_output_never_shows_the_token() {
    let config = DevnetConfig {
        token: "do-not-print-me".into(),
        ..DevnetConfig::default()
    };
    assert!(!format!("{config:?}").contains("do-not-print-me"));
    let devnet = Devnet::start(config).await.expect("starts");
    assert!(!format!("{devnet:?}").contains("do-not-print-me"));
    devnet.shutdown().await;
}
