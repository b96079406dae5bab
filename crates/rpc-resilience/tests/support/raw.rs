//! A raw HTTP/1.1 server on 127.0.0.1 answering every request with scripted bytes, for
//! answers a real JSON-RPC server never sends.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// Serves `answers[n]` (raw bytes, then close) to the n-th request; repeats the last.
#[derive(Debug)]
pub struct RawServer {
    pub url: String,
    hits: Arc<AtomicU32>,
    heads: Arc<Mutex<Vec<String>>>,
    task: JoinHandle<()>,
}

impl RawServer {
    pub async fn start(answers: Vec<Vec<u8>>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let hits = Arc::new(AtomicU32::new(0));
        let answers = Arc::new(Mutex::new(answers));
        let counter = Arc::clone(&hits);
        let heads = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&heads);
        let task = tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let n = counter.fetch_add(1, Ordering::SeqCst) as usize;
                let answer = {
                    let answers = answers.lock().unwrap();
                    answers
                        .get(n)
                        .or(answers.last())
                        .cloned()
                        .unwrap_or_default()
                };
                let seen = Arc::clone(&seen);
                tokio::spawn(async move {
                    let (head, body) = read_request(&mut socket).await;
                    seen.lock().unwrap().push(head);
                    let answer = echo_id(answer, &body);
                    let _ = socket.write_all(&answer).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Self {
            url: format!("http://{addr}"),
            hits,
            heads,
            task,
        }
    }

    /// The request heads (request line and headers, lowercased) received so far.
    pub fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }

    pub fn hits(&self) -> u32 {
        self.hits.load(Ordering::SeqCst)
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Replaces `$ID` in the answer with the request's JSON-RPC id (fixing content-length).
fn echo_id(answer: Vec<u8>, request_body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(&answer);
    if !text.contains("$ID") {
        return answer;
    }
    let id = serde_json::from_slice::<serde_json::Value>(request_body)
        .ok()
        .and_then(|v| v.get("id").cloned())
        .unwrap_or(serde_json::Value::Null);
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let body = body.replace("$ID", &id.to_string());
    let head: Vec<&str> = head
        .lines()
        .filter(|l| !l.starts_with("content-length"))
        .collect();
    format!(
        "{}\r\ncontent-length: {}\r\n\r\n{body}",
        head.join("\r\n"),
        body.len()
    )
    .into_bytes()
}

/// Reads one request: headers, then Content-Length bytes of body; returns (head, body).
async fn read_request(socket: &mut tokio::net::TcpStream) -> (String, Vec<u8>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let Ok(n) = socket.read(&mut chunk).await else {
            return Default::default();
        };
        if n == 0 {
            return Default::default();
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
            let length = head
                .lines()
                .find_map(|l| {
                    l.strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                })
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                return (head, buf[end + 4..end + 4 + length].to_vec());
            }
        }
    }
}

/// A full HTTP response with `status`, extra header lines and `body`.
pub fn http(status: &str, headers: &[&str], body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for h in headers {
        out.push_str(h);
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

/// A 200 answer with a JSON body.
pub fn json_200(body: &str) -> Vec<u8> {
    http(
        "200 OK",
        &["content-type: application/json"],
        body.as_bytes(),
    )
}
