//! Error messages over HTTP stay short whatever the client sent: a value is
//! echoed as a 32-character excerpt with its length, and the field is named.

use crate::support;

use serde_json::{json, Value};
use support::{addr, start};

/// Longest message accepted for an error echoing a huge value.
const SHORT: usize = 200;

/// Checks a -32602 error: it names `field`, shows the value's length, and stays short.
#[track_caller]
fn check(error: &Value, field: &str, length: usize) {
    assert_eq!(error["code"].as_i64(), Some(-32602), "code of {field}");
    let message = error["message"].as_str().unwrap_or_default();
    let shown = &message[..message.len().min(SHORT)];
    assert!(message.len() <= SHORT, "{} bytes: {shown:?}", message.len());
    assert!(message.contains(&format!("invalid {field}")), "{shown:?}");
    assert!(
        message.contains(&format!("({length} characters)")),
        "{shown:?}"
    );
}

#[tokio::test]
async fn an_error_echoing_a_huge_value_stays_short_and_names_the_field() {
    let (_devnet, rpc) = start(|_| {}).await;
    let huge = format!("0x{}", "a".repeat(1_000_000));
    let huge_array = Value::Array(vec![json!(1); 200_000]);
    let huge_array_len = huge_array.to_string().len();
    let cases = [
        ("luxtensor_mint", json!([huge, "0x1"]), "to", huge.len()),
        (
            "luxtensor_mint",
            json!([addr(1), huge]),
            "amount",
            huge.len(),
        ),
        (
            "luxtensor_transfer",
            json!([addr(1), huge, "0x1"]),
            "to",
            huge.len(),
        ),
        (
            "eth_getBalance",
            json!([huge, "latest"]),
            "address",
            huge.len(),
        ),
        (
            "luxtensor_mint",
            json!([addr(1), huge_array]),
            "amount",
            huge_array_len,
        ),
    ];
    for (method, params, field, length) in cases {
        check(&rpc.err(method, params).await, field, length);
    }
}
