//! Instructions per phase of a child run of this benchmark under callgrind: figures that load
//! from elsewhere on a shared machine cannot move.
//!
//! The benchmark runs itself again as a child under `valgrind --tool=callgrind
//! --dump-before=bench_mark`; the child calls [`mark`] between phases, so each dump holds
//! the instructions of one phase. Dump 1 is everything before the first mark.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

static MARKS: AtomicU32 = AtomicU32::new(0);

/// The function callgrind dumps before: a phase boundary.
#[no_mangle]
#[inline(never)]
extern "C" fn bench_mark() {
    MARKS.fetch_add(1, Ordering::SeqCst);
}

/// Ends the phase running now (a no-op outside callgrind).
pub(crate) fn mark() {
    bench_mark();
}

/// Why instruction counts are missing, or the instructions of each dump in order (dump 1
/// first: the child's start up to its first mark).
pub(crate) fn run_child(env: &[(&str, &str)]) -> Result<Vec<u64>, String> {
    let version = Command::new("valgrind").arg("--version").output();
    if !version.is_ok_and(|out| out.status.success()) {
        return Err("valgrind not found: instruction counts skipped".into());
    }
    let keep = std::env::var_os("BENCH_CALLGRIND_DIR").map(PathBuf::from);
    let temp = tempfile::tempdir().map_err(|e| format!("temp dir: {e}"))?;
    let dir = keep.as_deref().unwrap_or(temp.path());
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let out = dir.join("callgrind.out");
    let exe = std::env::current_exe().map_err(|e| format!("own path: {e}"))?;
    let mut command = Command::new("valgrind");
    command
        .arg("--tool=callgrind")
        .arg("--dump-before=bench_mark")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(exe)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let child = command.output().map_err(|e| format!("valgrind: {e}"))?;
    if !child.status.success() {
        let stderr = String::from_utf8_lossy(&child.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        return Err(format!("callgrind child failed: {}", tail.join(" | ")));
    }
    let mut dumps = Vec::new();
    for part in 1.. {
        let path = dir.join(format!("callgrind.out.{part}"));
        if !path.exists() {
            break;
        }
        dumps.push(totals(&path)?);
    }
    Ok(dumps)
}

/// The `totals:` line of one callgrind dump (instructions, the only event collected).
fn totals(path: &Path) -> Result<u64, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .find_map(|line| line.strip_prefix("totals:"))
        .and_then(|n| n.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| format!("{}: no totals line", path.display()))
}
