//! Logs on stderr are plain text when stderr is not a terminal (a pipe, a file): no ANSI
//! colour codes for a log collector to choke on.

use crate::common;

use std::process::Command;

use common::{write, INPUTS};

#[test]
fn a_warning_on_a_piped_stderr_carries_no_colour_codes() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = write(dir.path(), "inputs.json", INPUTS);
    // One failed call opens the breaker, which logs a WARN line.
    let config = write(
        dir.path(),
        "c.toml",
        "[rpc]\nmax_attempts = 1\nfailure_threshold = 1\ntimeout_ms = 2000\n",
    );
    // Bind and drop a listener: nothing listens on that loopback port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let journal = dir.path().join("journal.sqlite");
    let out = Command::new(env!("CARGO_BIN_EXE_tokenomics"))
        .args([
            "run",
            "--rpc-url",
            &url,
            "--inputs",
            &inputs,
            "--config",
            &config,
        ])
        .arg("--journal")
        .arg(&journal)
        .env("RUST_LOG", "debug")
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("WARN"), "no warning logged: {stderr}");
    assert!(!stderr.contains("\x1b["), "ANSI codes in: {stderr:?}");
}
