//! EVM payout benchmark: one epoch of 100,000 recipients paid on a local anvil through the
//! real payout path (`EvmPayout::open` + `pay`, chunks of 300 in `EpochPayout.payout`),
//! against one ERC-20 `transfer` transaction per recipient, both signed by `evm-sender`.
//!
//! Prints the epoch's wall time (open + every chunk confirmed; target: at most 60 s), the
//! transactions sent, the gas used (the receipts' `gasUsed`, from the sender's
//! confirmations) per recipient (target: at most 30,000 for first-time holders), and the
//! baseline side by side, then one JSON line of the figures. The baseline pays the plan's
//! first `EVM_BENCH_BASELINE` recipients (default 10,000) first, on the same anvil still
//! fresh, from a holder of its own MDT token (so they are first-time holders there too);
//! the ratios compare it with the payout's own first chunks covering them, measured in the
//! same run. Whole-epoch figures for the baseline are derived and printed as such: a lower
//! bound, since anvil's cost per block grows with the state (the whole trie is rebuilt for
//! each block), which weighs on one block per recipient far more than on one per 300.
//! `requests_per_epoch` counts the HTTP requests (a JSON-RPC batch once, as a node's request
//! limit counts them) of the epoch's open and pay, from the client's request budget.
//! `EVM_BENCH_POLL_MS` and `EVM_BENCH_IN_FLIGHT` override the sender's polling and the
//! transactions in flight.
//! Run: `cargo xtask bench evm` (or `cargo bench --bench evm`); anvil from `ANVIL_BIN`, else
//! the repository's `contracts/node_modules` (`npm ci --prefix contracts`), else `PATH`.

use std::time::{Duration, Instant};

use tokenomics_core::synthetic_inputs;
use tokenomics_core::{Amount, EpochPlan, Params};

#[path = "support/evm_sides.rs"]
mod sides;

use sides::Side;

/// Participants of the synthetic epoch.
const RECIPIENTS: usize = 100_000;
/// Default size of the baseline's subset.
const BASELINE_RECIPIENTS: usize = 10_000;
/// Anvil 1.7.1 clones the whole state for each block it keeps for calls at past blocks and
/// writes older ones to disk: without this flag it held 3.7 GB after the epoch, and blocks
/// waited on it. Only `latest` is read here. (It also rebuilds the whole state trie for every
/// block, so its cost per block grows with the holders: no flag turns that off.)
const ANVIL_ARGS: &[&str] = &["--prune-history"];

fn knob(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(text) => text
            .parse()
            .unwrap_or_else(|_| panic!("{name}: a whole number")),
        Err(_) => default,
    }
}

/// Mean of the intervals between consecutive instants of `marks`, in ms.
fn mean_gap_ms(marks: &[Instant]) -> f64 {
    match (marks.first(), marks.last()) {
        (Some(first), Some(last)) if marks.len() > 1 => {
            (*last - *first).as_secs_f64() * 1e3 / (marks.len() - 1) as f64
        }
        _ => 0.0,
    }
}

/// Mean of the first `n` intervals of `marks`, in ms.
fn head_gap_ms(marks: &[Instant], n: usize) -> f64 {
    mean_gap_ms(&marks[..marks.len().min(n + 1)])
}

/// Mean of the last `n` intervals of `marks` before the last `drained` (those seen while
/// draining the transactions in flight, with nothing sent any more), in ms.
fn tail_gap_ms(marks: &[Instant], n: usize, drained: usize) -> f64 {
    let end = marks.len().saturating_sub(drained);
    mean_gap_ms(&marks[end.saturating_sub(n + 1)..end])
}

fn row(label: &str, side: &Side) {
    println!(
        "  {label:<44} {:>7} recipients {:>8.2} s {:>6} txs {:>11} gas {:>6.0} gas/recipient {:>7.3} ms/recipient",
        side.recipients,
        side.wall.as_secs_f64(),
        side.txs,
        side.gas,
        side.gas_per_recipient(),
        side.secs_per_recipient() * 1e3,
    );
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "MISSED"
    }
}

/// The 1-minute load average (the machine is shared), when the system tells it.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into())
}

fn round(x: f64, digits: i32) -> f64 {
    (x * 10f64.powi(digits)).round() / 10f64.powi(digits)
}

fn main() {
    let config = evm_sender::anvil::AnvilConfig {
        args: ANVIL_ARGS.iter().map(|arg| arg.to_string()).collect(),
        ..evm_sender::anvil::AnvilConfig::default()
    };
    let anvil = match evm_sender::anvil::Anvil::start(&config) {
        Ok(anvil) => anvil,
        Err(error) => {
            eprintln!("evm bench: {error}");
            std::process::exit(1);
        }
    };
    let setup = sides::Setup {
        url: anvil.url().to_string(),
        poll: Duration::from_millis(knob("EVM_BENCH_POLL_MS", 20)),
        in_flight: knob("EVM_BENCH_IN_FLIGHT", 4).max(1) as usize,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    // The payout's token is deployed fresh: its minted supply is 0 (checked before opening).
    let mut inputs = synthetic_inputs(0, RECIPIENTS);
    inputs.minted_supply = Amount::ZERO;
    let plan = EpochPlan::build(&Params::default(), &inputs).expect("plan");
    let subset = knob("EVM_BENCH_BASELINE", BASELINE_RECIPIENTS as u64).max(1) as usize;
    let subset = &plan.transfers[..subset.min(plan.transfers.len())];

    let load_before = load();
    let single = runtime.block_on(sides::baseline(&setup, dir.path(), subset));
    let epoch = runtime.block_on(sides::payout(&setup, dir.path(), &plan));
    drop(anvil);

    let (whole, first) = (&epoch.side, epoch.first(subset.len()));
    let (single, transfer_marks) = (&single.side, &single.marks);
    let speedup = single.secs_per_recipient() / first.secs_per_recipient();
    let gas_ratio = single.gas_per_recipient() / whole.gas_per_recipient();
    println!(
        "evm payout benchmark: anvil {} (automine: one block per transaction), legacy transactions from evm-sender, poll {:?}, {} in flight, load {} -> {}",
        ANVIL_ARGS.join(" "),
        setup.poll,
        setup.in_flight,
        load_before,
        load(),
    );
    row("payout contract (chunks of 300), whole epoch", whole);
    println!(
        "    target: <= 60 s ({}), <= 30,000 gas per first-time holder ({})",
        verdict(whole.wall.as_secs_f64() <= 60.0),
        verdict(whole.gas_per_recipient() <= 30_000.0),
    );
    println!(
        "    a chunk every {:.0} ms over the first 10 chunks, {:.0} ms over the last 10",
        head_gap_ms(&epoch.marks, 10),
        tail_gap_ms(&epoch.marks, 10, setup.in_flight - 1),
    );
    row("payout contract, chunks covering the subset", &first);
    row("one ERC-20 transfer per tx, the subset", single);
    println!(
        "    a transfer every {:.1} ms over the first 100, {:.1} ms over the last 100",
        head_gap_ms(transfer_marks, 100),
        tail_gap_ms(transfer_marks, 100, setup.in_flight - 1),
    );
    println!(
        "  derived, not measured: one transfer per tx for all {} recipients >= {:.0} s, {} txs, {:.0} gas",
        whole.recipients,
        single.secs_per_recipient() * whole.recipients as f64,
        whole.recipients,
        single.gas_per_recipient() * whole.recipients as f64,
    );
    println!("  speed-up on the subset (time per recipient, transfer / payout) {speedup:>7.1}x");
    println!(
        "  speed-up against the whole epoch's time per recipient          {:>7.1}x",
        single.secs_per_recipient() / whole.secs_per_recipient()
    );
    println!("  gas ratio (gas per recipient, transfer / payout)               {gas_ratio:>7.2}x");
    println!(
        "  RPC calls per transaction: payout {:.1}, transfers {:.1}",
        whole.rpc_calls as f64 / whole.txs as f64,
        single.rpc_calls as f64 / single.txs as f64,
    );
    println!(
        "  HTTP requests (a batch once): the epoch {}, the transfers {}",
        whole.requests, single.requests,
    );
    println!(
        "{}",
        serde_json::json!({
            "recipients": whole.recipients,
            "wall_s": round(whole.wall.as_secs_f64(), 3),
            "txs": whole.txs,
            "gas_per_recipient": round(whole.gas_per_recipient(), 0),
            "baseline_recipients": single.recipients,
            "baseline_wall_s": round(single.wall.as_secs_f64(), 3),
            "baseline_txs": single.txs,
            "baseline_gas_per_recipient": round(single.gas_per_recipient(), 0),
            "speedup": round(speedup, 2),
            "gas_ratio": round(gas_ratio, 3),
            "requests_per_epoch": whole.requests,
        })
    );
}
