//! A JSON-RPC server on 127.0.0.1 in front of a real anvil that passes every call of the
//! sender on and records it, so a test can count what the sender asked the node; a method
//! may be given a fixed answer instead (a node that answers it differently from anvil).

use std::sync::{Arc, Mutex};

use jsonrpsee::server::{RpcModule, Server, ServerHandle};
use jsonrpsee::types::ErrorObjectOwned;
use rpc_resilience::ResilientClient;
use serde_json::Value;

use super::lagging::{error_object, METHODS};

struct State {
    anvil: ResilientClient,
    calls: Arc<Mutex<Vec<(String, Value)>>>,
    fixed: Vec<(&'static str, Value)>,
}

/// The server, stopped on drop.
pub struct Counting {
    pub url: String,
    calls: Arc<Mutex<Vec<(String, Value)>>>,
    handle: ServerHandle,
}

impl Counting {
    pub async fn start(anvil_url: &str) -> Counting {
        Counting::answering(anvil_url, Vec::new()).await
    }

    /// Like [`Counting::start`], answering each method of `fixed` with its value.
    pub async fn answering(anvil_url: &str, fixed: Vec<(&'static str, Value)>) -> Counting {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let state = State {
            anvil: super::client(anvil_url),
            calls: Arc::clone(&calls),
            fixed,
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
                    if let Some((_, answer)) = state.fixed.iter().find(|(m, _)| *m == method) {
                        return Ok(answer.clone());
                    }
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
