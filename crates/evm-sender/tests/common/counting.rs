//! A JSON-RPC server on 127.0.0.1 in front of a real anvil that passes every call of the
//! sender on and records it, so a test can count what the sender asked the node.

use std::sync::{Arc, Mutex};

use jsonrpsee::server::{RpcModule, Server, ServerHandle};
use jsonrpsee::types::ErrorObjectOwned;
use rpc_resilience::ResilientClient;
use serde_json::Value;

use super::lagging::{error_object, METHODS};

struct State {
    anvil: ResilientClient,
    calls: Arc<Mutex<Vec<(String, Value)>>>,
}

/// The server, stopped on drop.
pub struct Counting {
    pub url: String,
    calls: Arc<Mutex<Vec<(String, Value)>>>,
    handle: ServerHandle,
}

impl Counting {
    pub async fn start(anvil_url: &str) -> Counting {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let state = State {
            anvil: super::client(anvil_url),
            calls: Arc::clone(&calls),
        };
        let mut module = RpcModule::new(state);
        for &method in METHODS {
            module
                .register_async_method(method, move |params, state, _| async move {
                    let params: Value = params.parse().unwrap_or(Value::Array(Vec::new()));
                    state
                        .calls
                        .lock()
                        .unwrap()
                        .push((method.to_owned(), params.clone()));
                    let answer: Value = state
                        .anvil
                        .call(method, params)
                        .await
                        .map_err(error_object)?;
                    Ok::<_, ErrorObjectOwned>(answer)
                })
                .unwrap();
        }
        let server = Server::builder().build("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", server.local_addr().unwrap());
        let handle = server.start(module);
        Counting { url, calls, handle }
    }

    /// Calls of `method` so far whose params satisfy `matching`.
    pub fn count(&self, method: &str, matching: impl Fn(&Value) -> bool) -> usize {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|(m, params)| m == method && matching(params))
            .count()
    }
}

impl Drop for Counting {
    fn drop(&mut self) {
        let _ = self.handle.stop();
    }
}
