//! A local anvil for the EVM benchmark: 127.0.0.1, port 0 (the port read from its stdout),
//! killed on drop. Kept small and apart so a shared launcher can replace it.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// A running anvil, killed on drop.
pub(crate) struct Anvil {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub(crate) url: String,
}

impl Anvil {
    /// Starts anvil with `args` besides host and port; the error is one line, with the
    /// install hint when the binary is missing.
    pub(crate) fn start(args: &[&str]) -> Result<Anvil, String> {
        let bin = anvil_bin();
        if !bin.is_file() {
            return Err(format!(
                "anvil not found at {}: run `cd contracts && npm ci` (or set ANVIL_BIN)",
                bin.display()
            ));
        }
        let mut child = Command::new(&bin)
            .args(["--host", "127.0.0.1", "--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let stdout = child.stdout.take().ok_or("anvil's stdout is not piped")?;
        let mut lines = BufReader::new(stdout).lines();
        let port = lines.by_ref().map_while(Result::ok).find_map(|line| {
            Some(
                line.strip_prefix("Listening on ")?
                    .rsplit(':')
                    .next()?
                    .trim()
                    .to_owned(),
            )
        });
        // Never let anvil block on a full pipe: it prints a few lines per transaction.
        std::thread::spawn(move || lines.for_each(drop));
        let Some(port) = port else {
            let _ = child.kill();
            let _ = child.wait();
            return Err("anvil exited without printing `Listening on`".into());
        };
        Ok(Anvil {
            child,
            url: format!("http://127.0.0.1:{port}"),
        })
    }
}

impl Drop for Anvil {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `ANVIL_BIN`, else the pinned anvil under `contracts/node_modules`.
fn anvil_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("ANVIL_BIN").filter(|bin| !bin.is_empty()) {
        return PathBuf::from(bin);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil")
}
