//! `tokenomics run --chain evm` without `--rpc-url` starts its own anvil: it finishes with
//! `--confirmations 2` (the anvil mines blocks on its own), a SIGTERM stops it like Ctrl-C
//! (anvil killed, temporary folder removed), and a SIGKILL takes the anvil with it.
//!
//! Real processes: the binary, its anvil, real signals. Waits are bounded polls of /proc,
//! never a fixed sleep that an assertion relies on.

use crate::anvil;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A `run --chain evm` in the background, its stderr read line by line.
struct Run {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
    _home: tempfile::TempDir,
}

impl Run {
    fn start(bin: &Path, extra: &[&str]) -> Run {
        let home = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_tokenomics"))
            .args(["run", "--chain", "evm"])
            .args(extra)
            .current_dir(home.path())
            .env("HOME", home.path())
            .env("ANVIL_BIN", bin)
            .env("TMPDIR", home.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = send.send(line);
            }
        });
        Run {
            child,
            lines,
            seen: Vec::new(),
            _home: home,
        }
    }

    /// Waits (at most 120 s) for a stderr line starting with `prefix`; returns it.
    #[track_caller]
    fn line(&mut self, prefix: &str) -> String {
        if let Some(line) = self.seen.iter().find(|l| l.starts_with(prefix)) {
            return line.clone();
        }
        let deadline = Instant::now() + Duration::from_secs(120);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.starts_with(prefix) {
                        return line;
                    }
                }
                Err(_) => break,
            }
        }
        let _ = self.child.kill();
        panic!("no line {prefix:?} in: {:#?}", self.seen);
    }

    /// The anvil the run started (its child process named `anvil`).
    fn anvil_pid(&mut self) -> u32 {
        self.line("anvil listening on ");
        let parent = self.child.id();
        children(parent)
            .into_iter()
            .find(|pid| comm(*pid).as_deref() == Some("anvil"))
            .expect("an anvil child")
    }

    /// The run's temporary folder (the parent of the journal it printed).
    fn temp_folder(&mut self) -> PathBuf {
        let line = self.line("journal: ");
        Path::new(line.trim_start_matches("journal: "))
            .parent()
            .unwrap()
            .to_path_buf()
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits (at most 120 s) for the run to end; its exit code (`None`: killed).
    fn wait(&mut self) -> Option<i32> {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
                    self.seen.push(line);
                }
                return status.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the run did not end: {:#?}", self.seen);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Pids whose parent is `parent` (from /proc/*/stat).
fn children(parent: u32) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if stat(pid).is_some_and(|(_, ppid)| ppid == parent) {
            found.push(pid);
        }
    }
    found
}

/// The state letter and parent pid of `pid`, `None` once it is gone.
fn stat(pid: u32) -> Option<(char, u32)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (comm) state ppid ...": comm may hold blanks, so read after its ')'.
    let mut rest = text.rsplit_once(')')?.1.split_whitespace();
    let state = rest.next()?.chars().next()?;
    Some((state, rest.next()?.parse().ok()?))
}

fn comm(pid: u32) -> Option<String> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
    Some(text.trim().to_string())
}

/// Waits (at most 20 s) until `pid` is gone (or a zombie nobody reaped yet).
#[track_caller]
fn check_gone(pid: u32, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while stat(pid).is_some_and(|(state, _)| state != 'Z') {
        if Instant::now() > deadline {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("{what}: pid {pid} still runs");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
fn with_two_confirmations_a_run_on_its_own_anvil_finishes() {
    let bin = anvil::bin();
    let mut run = Run::start(
        &bin,
        &[
            "--confirmations",
            "2",
            "--epochs",
            "1",
            "--synthetic",
            "5",
            "--json",
        ],
    );
    assert_eq!(run.wait(), Some(0), "{:#?}", run.seen);
    let mut stdout = String::new();
    std::io::Read::read_to_string(&mut run.child.stdout.take().unwrap(), &mut stdout).unwrap();
    let reports: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(reports[0]["outcome"], "paid", "{stdout}");
}

#[test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
fn sigterm_stops_the_run_kills_its_anvil_and_removes_its_temporary_folder() {
    let bin = anvil::bin();
    let mut run = Run::start(&bin, &["--epochs", "50", "--synthetic", "3000"]);
    let anvil = run.anvil_pid();
    let folder = run.temp_folder();
    run.line("epoch 0: planned");
    run.signal("TERM");
    let code = run.wait();
    assert!(
        run.seen.iter().any(|l| l.starts_with("SIGTERM: stopping")),
        "{:#?}",
        run.seen
    );
    assert_eq!(code, Some(1), "stopped on request: {:#?}", run.seen);
    check_gone(anvil, "the anvil");
    assert!(!folder.exists(), "{} is left behind", folder.display());
}

#[test]
#[cfg_attr(anvil_missing, ignore = "anvil not found: npm ci --prefix contracts")]
fn sigkill_of_the_run_takes_its_anvil_with_it() {
    let bin = anvil::bin();
    let mut run = Run::start(&bin, &["--epochs", "50", "--synthetic", "3000"]);
    let anvil = run.anvil_pid();
    run.signal("KILL");
    assert_eq!(run.wait(), None, "killed by the signal");
    check_gone(anvil, "the anvil");
}
