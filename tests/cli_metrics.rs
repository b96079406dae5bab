//! `tokenomics run --metrics-addr`: the real binary, paying on a real devnet on loopback,
//! serves the executor's `tokenomics_*` and the RPC client's `rpc_*` series at `/metrics`,
//! with values that agree with the run's own report, and no secret in them.

use std::collections::HashMap;
use std::process::Stdio;
use std::time::Duration;

use luxtensor_devnet::{Devnet, DevnetConfig};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::Command;

const EPOCHS: u64 = 2;
const SPEC: &str = include_str!("../docs/SPEC.md");

/// `GET /metrics` at `addr`: the body of the answer.
async fn scrape(addr: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let request = format!("GET /metrics HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    answer.split_once("\r\n\r\n").unwrap().1.to_owned()
}

/// Each sample line of the exposition text: series (with labels) -> value.
fn samples(text: &str) -> HashMap<String, f64> {
    text.lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (series, value) = line.rsplit_once(' ').unwrap();
            (series.to_owned(), value.parse().unwrap())
        })
        .collect()
}

#[track_caller]
fn check(samples: &HashMap<String, f64>, series: &str, expected: f64) {
    assert_eq!(
        samples.get(series),
        Some(&expected),
        "{series} in {samples:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_addr_serves_the_executors_and_the_rpc_clients_series_as_the_run_reports() {
    let devnet = Devnet::start(DevnetConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tokenomics"))
        .args(["run", "--rpc-url", &devnet.url(), "--synthetic", "300"])
        .args(["--epochs", &EPOCHS.to_string(), "--json"])
        .args(["--metrics-addr", "127.0.0.1:0", "--metrics-linger", "120"])
        .arg("--journal")
        .arg(dir.path().join("journal.sqlite"))
        .env("TOKENOMICS_RPC_TOKEN", devnet.token())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    // The server's address is on stderr; the rest of stderr is drained meanwhile.
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines
            .next_line()
            .await
            .unwrap()
            .expect("no metrics address");
        if let Some(rest) = line.strip_prefix("metrics on http://") {
            break rest.trim_end_matches("/metrics").to_owned();
        }
    };
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    // Poll until every epoch is done; --metrics-linger keeps the final values served.
    let done = format!("tokenomics_epochs_done_total {EPOCHS}\n");
    let text = tokio::time::timeout(Duration::from_secs(120), async {
        loop {
            let text = scrape(&addr).await;
            if text.contains(&done) {
                break text;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the epochs were not done in time");
    child.start_kill().unwrap();
    let mut stdout = String::new();
    let mut out = child.stdout.take().unwrap();
    out.read_to_string(&mut stdout).await.unwrap();
    child.wait().await.unwrap();
    let reports: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    let last = reports.last().unwrap();
    let confirmed: u64 = reports
        .iter()
        .map(|r| r["confirmed_now"].as_u64().unwrap())
        .sum();
    let s = samples(&text);
    let paid: f64 = last["paid"].as_str().unwrap().parse().unwrap();
    let transfers = last["transfers"].as_u64().unwrap() as f64;
    check(&s, "tokenomics_epoch", last["epoch"].as_f64().unwrap());
    check(&s, "tokenomics_epoch_stage{stage=\"done\"}", 1.0);
    check(&s, "tokenomics_epoch_stage{stage=\"paid\"}", 0.0);
    check(&s, "tokenomics_epoch_transfers_confirmed", transfers);
    check(&s, "tokenomics_epoch_transfers_pending", 0.0);
    check(&s, "tokenomics_transfers_confirmed_total", confirmed as f64);
    check(&s, "tokenomics_epoch_paid_mdt", paid);
    check(&s, "tokenomics_verification_failures_total", 0.0);
    check(&s, "tokenomics_epoch_duration_seconds_count", EPOCHS as f64);
    check(
        &s,
        "tokenomics_epoch_duration_seconds_bucket{le=\"+Inf\"}",
        EPOCHS as f64,
    );
    assert!(s["tokenomics_epoch_minted_mdt"] > 0.0, "{text}");
    assert!(
        s["tokenomics_last_epoch_done_timestamp_seconds"] > 1.7e9,
        "{text}"
    );
    let requests = last["rpc"]["requests"].as_f64().unwrap();
    assert!(s["rpc_requests_total"] >= requests, "{text}");
    check(&s, "rpc_failures_total", 0.0);
    assert!(
        s["rpc_request_duration_seconds_count"] >= requests,
        "{text}"
    );
    assert!(
        text.contains("# TYPE rpc_request_duration_seconds histogram"),
        "{text}"
    );
    assert!(
        !text.contains(devnet.token()),
        "the token never appears in metrics"
    );
    assert!(!text.contains(&devnet.url()), "no URL appears in metrics");
    for name in text.lines().filter_map(|l| l.strip_prefix("# TYPE ")) {
        let name = name.split(' ').next().unwrap();
        let listed = [format!("`{name}`"), format!("`{name}{{")];
        assert!(
            listed.iter().any(|l| SPEC.contains(l.as_str())),
            "{name} is not listed in docs/SPEC.md"
        );
    }
}

#[test]
fn metrics_linger_without_metrics_addr_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tokenomics"))
        .args(["run", "--metrics-linger", "5"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--metrics-addr"), "{stderr}");
}
