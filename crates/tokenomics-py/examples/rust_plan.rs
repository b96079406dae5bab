//! The Rust side of `cargo xtask bench python`: the plan of an inputs file through the
//! Rust API, timed as the bindings' `plan()` does its work (read the JSON text, plan,
//! serialize the `PlanJson`), on the system allocator the Python module also uses.
//!
//! `rust_plan INPUTS.json ROUNDS` prints one JSON line: `{"rust_ms": median,
//! "plan_hash": ..., "transfers": ...}`.

use std::path::Path;
use std::time::Instant;

use tokenomics_config::{parse_inputs, Config, PlanJson};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: rust_plan INPUTS.json ROUNDS")?;
    let rounds: usize = args.next().unwrap_or_else(|| "9".to_string()).parse()?;
    let text = std::fs::read_to_string(&path)?;
    let config = Config::default();
    let mut times = Vec::with_capacity(rounds);
    let mut last = None;
    for _ in 0..rounds.max(1) {
        let start = Instant::now();
        let loaded = parse_inputs(&text, Path::new(&path))?;
        let plan = config.plan(&loaded.inputs, Path::new(&path), None)?;
        let json = serde_json::to_string(&PlanJson::from(&plan))?;
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(&json);
        last = Some(plan);
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let plan = last.ok_or("no round ran")?;
    println!(
        "{}",
        serde_json::json!({
            "rust_ms": (median * 10.0).round() / 10.0,
            "plan_hash": plan.plan_hash.to_string(),
            "transfers": plan.transfers.len(),
        })
    );
    Ok(())
}
