//! A counting loopback proxy: forwards every byte between a client and one upstream node
//! (HTTP/1.1, keep-alive included) and counts the HTTP requests sent through it, so a test
//! sees how many requests the binary made, whatever client made them.
// Declared only by the test files that use it.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// What starts each HTTP request the clients send (JSON-RPC is POSTed; the bodies are JSON
/// and never hold this text).
const REQUEST_START: &[u8] = b"POST /";

/// The proxy; stops when dropped.
pub(crate) struct CountingProxy {
    /// `http://127.0.0.1:<port>`: give it to the binary instead of the node's URL.
    pub(crate) url: String,
    requests: Arc<AtomicU64>,
    task: JoinHandle<()>,
}

impl CountingProxy {
    /// A proxy in front of `upstream` (`http://host:port`, with or without a trailing `/`).
    pub(crate) async fn start(upstream: &str) -> CountingProxy {
        let target = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicU64::new(0));
        let counted = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let target = target.clone();
                let counted = Arc::clone(&counted);
                tokio::spawn(async move {
                    if let Ok(node) = TcpStream::connect(&target).await {
                        forward(client, node, &counted).await;
                    }
                });
            }
        });
        CountingProxy {
            url,
            requests,
            task,
        }
    }

    /// HTTP requests forwarded so far.
    pub(crate) fn requests(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for CountingProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Copies both ways until either side closes, counting request starts going up.
async fn forward(client: TcpStream, node: TcpStream, requests: &AtomicU64) {
    let (mut client_read, mut client_write) = client.into_split();
    let (mut node_read, mut node_write) = node.into_split();
    let up = async {
        let mut buffer = vec![0u8; 64 * 1024];
        // The last bytes of the previous read: a request start split between two reads.
        let mut tail: Vec<u8> = Vec::new();
        loop {
            let n = match client_read.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            // The tail is shorter than a request start: every start found is a new one.
            let mut seen = std::mem::take(&mut tail);
            seen.extend_from_slice(&buffer[..n]);
            let starts = seen
                .windows(REQUEST_START.len())
                .filter(|w| *w == REQUEST_START)
                .count();
            requests.fetch_add(starts as u64, Ordering::SeqCst);
            let keep = seen.len().min(REQUEST_START.len() - 1);
            tail = seen[seen.len() - keep..].to_vec();
            if node_write.write_all(&buffer[..n]).await.is_err() {
                break;
            }
        }
        let _ = node_write.shutdown().await;
    };
    let down = async {
        let _ = tokio::io::copy(&mut node_read, &mut client_write).await;
        let _ = client_write.shutdown().await;
    };
    tokio::join!(up, down);
}
