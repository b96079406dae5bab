//! A local anvil (Foundry's EVM dev node): found on disk, started on 127.0.0.1 with port 0,
//! its port read from what it prints, killed on drop; and its first dev account.
//!
//! On Linux the anvil also dies with the thread that started it (`PR_SET_PDEATHSIG`), so a
//! process killed with SIGKILL, whose drops never run, leaves no anvil behind: start it from
//! a thread that lives as long as the anvil is needed (a program's main thread, a test's).
//!
//! The binary is found by [`find`]: `ANVIL_BIN`, else `contracts/node_modules` of the working
//! directory's repository, else `PATH` (the rule: [`Lookup`]). A missing binary is
//! [`Error::AnvilNotFound`], whose message is one line naming the places looked at and how
//! to install anvil.

mod lookup;

pub use lookup::{Lookup, NotFound, BIN_ENV, INSTALL, NPM_BIN, REPO_MARKER};

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use alloy_primitives::{address, Address};

use crate::{Error, Result};

/// Anvil's first dev private key. Public test material: every anvil (and Hardhat) node
/// funds this well-known account; never use it on a real chain. Dev-only default: tests,
/// the benches and `run --chain evm` without `--rpc-url` (which starts its own anvil)
/// sign with it; a run against a given node needs its own key.
pub const DEV_KEY: &str = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

/// Anvil's second dev private key: public test material like [`DEV_KEY`], for a second
/// signer in tests and benches (a token holder, a claimant); never on a real chain.
pub const SECOND_DEV_KEY: &str =
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

/// The address of [`DEV_KEY`] (public test material, as the key).
pub const DEV_ADDRESS: Address = address!("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266");

/// Anvil's chain id unless `--chain-id` says otherwise.
pub const CHAIN_ID: u64 = 31_337;

/// How anvil is started; [`AnvilConfig::default`] is automine on anvil's own chain id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnvilConfig {
    /// `--no-mining`: blocks are mined only by `evm_mine`.
    pub no_mining: bool,
    /// `--chain-id` (default: anvil's [`CHAIN_ID`]).
    pub chain_id: Option<u64>,
    /// More arguments, passed as they are.
    pub args: Vec<String>,
    /// Longest wait for anvil to print its address. Default 30 s.
    pub startup_timeout: Duration,
}

impl Default for AnvilConfig {
    fn default() -> Self {
        Self {
            no_mining: false,
            chain_id: None,
            args: Vec::new(),
            startup_timeout: Duration::from_secs(30),
        }
    }
}

/// A running anvil on 127.0.0.1, killed (and waited for) on drop, and on Linux when the
/// thread that started it ends (see the module).
#[derive(Debug)]
pub struct Anvil {
    child: Child,
    port: u16,
    url: String,
}

impl Anvil {
    /// Finds the binary ([`find`]) and starts it with `config`.
    pub fn start(config: &AnvilConfig) -> Result<Anvil> {
        Anvil::spawn(&find()?, config)
    }

    /// Starts `bin` on 127.0.0.1 with port 0 and waits until it prints the port it got.
    /// Blocks the calling thread (an anvil is up in well under a second), which the anvil
    /// must not outlive (see the module).
    pub fn spawn(bin: &Path, config: &AnvilConfig) -> Result<Anvil> {
        let mut command = Command::new(bin);
        command.args(["--host", "127.0.0.1", "--port", "0"]);
        if config.no_mining {
            command.arg("--no-mining");
        }
        if let Some(id) = config.chain_id {
            command.args(["--chain-id", &id.to_string()]);
        }
        die_with_parent(&mut command);
        let mut child = command
            .args(&config.args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| start_error(format!("{}: {e}", bin.display())))?;
        let Some(stdout) = child.stdout.take() else {
            return Err(stopped(child, "no standard output".into()));
        };
        let (found, port) = mpsc::channel();
        // The reader keeps draining anvil's log after the port, so anvil never blocks on
        // a full pipe; it ends when anvil does.
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines().map_while(|l| l.ok());
            let _ = found.send(lines.by_ref().find_map(|line| listening_port(&line)));
            lines.for_each(drop);
        });
        match port.recv_timeout(config.startup_timeout) {
            Ok(Some(port)) => {
                if let Some(stderr) = child.stderr.take() {
                    std::thread::spawn(move || {
                        std::io::copy(&mut { stderr }, &mut std::io::sink())
                    });
                }
                Ok(Anvil {
                    child,
                    port,
                    url: format!("http://127.0.0.1:{port}"),
                })
            }
            Ok(None) => Err(stopped(
                child,
                "it ended before printing its address".into(),
            )),
            Err(_) => Err(stopped(
                child,
                format!("no address after {:?}", config.startup_timeout),
            )),
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The port anvil listens on.
    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for Anvil {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Makes the child get SIGKILL when the thread that spawns it ends (its process killed,
/// even by SIGKILL, included); a child whose parent is already gone does not start.
#[cfg(target_os = "linux")]
fn die_with_parent(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    // `getppid` of the child must be this process, else it was orphaned before `prctl`.
    let parent = libc::pid_t::try_from(std::process::id()).unwrap_or(0);
    // SAFETY: the closure runs in the child between fork and exec, where only
    // async-signal-safe functions may be called: `prctl` and `getppid` are system calls,
    // and the error values are built without allocating. It touches no lock and no memory
    // of the parent.
    unsafe {
        command.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            if libc::getppid() != parent {
                return Err(std::io::Error::from_raw_os_error(libc::ESRCH));
            }
            Ok(())
        });
    }
}

/// Elsewhere the anvil is only killed on drop.
#[cfg(not(target_os = "linux"))]
fn die_with_parent(_command: &mut Command) {}

/// The anvil binary of this process's `ANVIL_BIN`, working directory and `PATH`
/// ([`Lookup::from_env`]); [`Error::AnvilNotFound`] naming every place looked at otherwise.
pub fn find() -> Result<PathBuf> {
    Ok(Lookup::from_env().find()?)
}

/// The port of anvil's `Listening on 127.0.0.1:PORT` line.
fn listening_port(line: &str) -> Option<u16> {
    let address = line.trim().strip_prefix("Listening on ")?;
    address.rsplit(':').next()?.parse().ok()
}

fn start_error(reason: String) -> Error {
    Error::AnvilStart { reason }
}

/// Kills `child` and names why, with the first line anvil wrote on stderr.
fn stopped(mut child: Child, why: String) -> Error {
    let _ = child.kill();
    let status = child.wait().map(|s| s.to_string()).unwrap_or_default();
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    let said = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    start_error(format!("{why} ({status}) {said}").trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check<T: PartialEq + std::fmt::Debug>(got: T, want: T) {
        assert_eq!(got, want);
    }

    #[test]
    fn the_dev_address_is_the_dev_keys() {
        check(
            crate::Signer::from_hex(DEV_KEY).unwrap().address(),
            DEV_ADDRESS,
        );
    }

    #[test]
    fn a_program_that_never_prints_an_address_is_a_start_error() {
        let error = Anvil::spawn(Path::new("/bin/true"), &AnvilConfig::default()).unwrap_err();
        check(matches!(error, Error::AnvilStart { .. }), true);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_child_dies_with_the_thread_that_started_it() {
        let child = std::thread::spawn(|| {
            let mut command = Command::new("sleep");
            command.arg("30");
            die_with_parent(&mut command);
            command.spawn().unwrap()
        })
        .join()
        .unwrap();
        let mut child = child;
        // Killed with its thread: SIGKILL now, not `sleep`'s own exit 30 s later.
        let status = child.wait().unwrap();
        check(
            std::os::unix::process::ExitStatusExt::signal(&status),
            Some(9),
        );
    }

    #[test]
    fn the_port_is_read_from_the_listening_line() {
        check(listening_port("Listening on 127.0.0.1:41234"), Some(41234));
        check(listening_port("Available Accounts"), None);
    }
}
