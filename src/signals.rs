//! Ctrl-C and SIGTERM while `run` pays: the first asks the run to stop after the writes in
//! flight (then the run cleans up as on any error: a local anvil is killed and its
//! temporary folder removed); a second ends the process at once (exit 130).
//!
//! A service manager stops a run with SIGTERM, a person with Ctrl-C: both mean the same.

use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::watch;

use crate::error::CliError;

/// Whether a stop was asked for; cheap to clone, every clone sees the same.
#[derive(Debug, Clone)]
pub(crate) struct StopSignal {
    asked: watch::Receiver<bool>,
}

impl StopSignal {
    /// Ends once Ctrl-C or SIGTERM came (never, if none does).
    pub(crate) async fn stopped(&self) {
        let mut asked = self.asked.clone();
        if asked.wait_for(|asked| *asked).await.is_err() {
            // The listener is gone without a signal: none will come.
            std::future::pending::<()>().await;
        }
    }
}

/// Starts listening for Ctrl-C and SIGTERM (inside the runtime); from here on neither ends
/// the process by itself until a second one comes.
pub(crate) fn listen() -> Result<StopSignal, CliError> {
    let mut term = signal(SignalKind::terminate())
        .map_err(|e| CliError::Failed(format!("cannot listen for SIGTERM: {e}")))?;
    let (ask, asked) = watch::channel(false);
    tokio::spawn(async move {
        let name = tokio::select! {
            result = tokio::signal::ctrl_c() => match result {
                Ok(()) => "Ctrl-C",
                Err(_) => return,
            },
            _ = term.recv() => "SIGTERM",
        };
        eprintln!("{name}: stopping after the writes in flight (Ctrl-C again to abort)...");
        let _ = ask.send(true);
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        std::process::exit(130);
    });
    Ok(StopSignal { asked })
}
