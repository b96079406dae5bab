//! What a paid epoch must look like: inputs as `run` reads them, the balances a plan
//! implies (from `tokenomics plan --json` with the minted supply its mint memo
//! records), the ledger compared with them, and the journal's confirmed transfers.
// Declared only by the test files that use it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use tokenomics_core::synthetic_inputs;
use tokenomics_core::Amount;

use crate::node::{Node, BIN, TREASURY};

/// common::INPUTS (epoch 1000) without `minted_supply`, with the epoch set.
pub(crate) fn inputs(epoch: u64) -> Value {
    let mut inputs = without_minted_supply(serde_json::from_str(crate::common::INPUTS).unwrap());
    inputs["epoch"] = epoch.into();
    inputs
}

/// Synthetic inputs without `minted_supply`, as `run --synthetic` pays them.
pub(crate) fn synthetic(epoch: u64, participants: usize) -> Value {
    without_minted_supply(serde_json::to_value(synthetic_inputs(epoch, participants)).unwrap())
}

pub(crate) fn write_json(dir: &Path, name: &str, value: &Value) {
    std::fs::write(dir.join(name), value.to_string()).unwrap();
}

/// The plan of each epoch with the minted supply its mint memo records on chain.
pub(crate) async fn plans_on_chain(node: &Node, epochs: &[Value]) -> Vec<Planned> {
    let mut plans = Vec::new();
    for inputs in epochs {
        let epoch = inputs["epoch"].as_u64().unwrap();
        let minted = node
            .minted_supply(epoch)
            .await
            .expect("the epoch was minted");
        plans.push(planned(inputs, minted));
    }
    plans
}

/// Inputs as JSON with `minted_supply` removed: `run` then takes it from the chain.
pub(crate) fn without_minted_supply(mut inputs: Value) -> Value {
    inputs.as_object_mut().unwrap().remove("minted_supply");
    inputs
}

/// What one epoch's plan pays, in base units: per recipient, and minted.
#[derive(Debug, Clone)]
pub(crate) struct Planned {
    pub(crate) paid: BTreeMap<String, u128>,
    pub(crate) from_mint: u128,
    pub(crate) transfers: usize,
}

fn base_units(value: &Value) -> u128 {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("not an amount: {value}"));
    text.parse::<Amount>().unwrap().base_units()
}

/// The plan of `inputs` with `minted_supply` (base units), from `tokenomics plan --json`.
pub(crate) fn planned(inputs: &Value, minted_supply: u128) -> Planned {
    let dir = tempfile::tempdir().unwrap();
    let mut inputs = inputs.clone();
    let minted = Amount::from_base_units(minted_supply).to_string();
    inputs["minted_supply"] = Value::String(minted);
    let path = dir.path().join("inputs.json");
    std::fs::write(&path, inputs.to_string()).unwrap();
    let out = std::process::Command::new(BIN)
        .args(["plan", "--json", "--inputs"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    let transfers = plan["transfers"].as_array().unwrap();
    let mut paid = BTreeMap::new();
    for transfer in transfers {
        let to = transfer["to"].as_str().unwrap().to_lowercase();
        *paid.entry(to).or_default() += base_units(&transfer["amount"]);
    }
    Planned {
        paid,
        from_mint: base_units(&plan["from_mint"]),
        transfers: transfers.len(),
    }
}

/// What the ledger holds for a set of plans: (address, planned, held) for every
/// recipient and the treasury (planned 0), the total supply, and the sum minted.
#[derive(Debug)]
pub(crate) struct Ledger {
    pub(crate) accounts: Vec<(String, u128, u128)>,
    pub(crate) supply: u128,
    pub(crate) minted: u128,
}

/// Reads what [`Ledger`] holds for `plans` (several epochs add up per recipient).
pub(crate) async fn ledger(node: &Node, plans: &[Planned]) -> Ledger {
    let mut planned: BTreeMap<String, u128> = BTreeMap::new();
    for plan in plans {
        for (address, amount) in &plan.paid {
            *planned.entry(address.clone()).or_default() += amount;
        }
    }
    planned.entry(TREASURY.to_string()).or_default();
    let addresses: Vec<String> = planned.keys().cloned().collect();
    let held = node.balances(&addresses).await;
    Ledger {
        accounts: planned
            .into_iter()
            .zip(held)
            .map(|((a, p), h)| (a, p, h))
            .collect(),
        supply: node.supply().await,
        minted: plans.iter().map(|plan| plan.from_mint).sum(),
    }
}

/// Every recipient holds exactly what was planned, the treasury is empty, and the
/// total supply is what the plans minted, once.
#[track_caller]
pub(crate) fn check_paid_once(ledger: &Ledger) {
    let wrong: Vec<_> = ledger
        .accounts
        .iter()
        .filter(|(_, planned, held)| planned != held)
        .take(5)
        .collect();
    assert!(wrong.is_empty(), "(address, planned, held): {wrong:?}");
    assert_eq!(ledger.supply, ledger.minted, "total supply vs minted once");
}

/// Transfers the journal at `path` marks confirmed (0 while it cannot be read yet).
pub(crate) fn confirmed_in_journal(path: &Path) -> u64 {
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    let Ok(journal) = rusqlite::Connection::open_with_flags(path, flags) else {
        return 0;
    };
    let sql = "SELECT COUNT(*) FROM confirmations";
    let count: i64 = journal.query_row(sql, [], |row| row.get(0)).unwrap_or(0);
    u64::try_from(count).unwrap()
}

/// Deletes the journal at `path` and the files SQLite and the lock keep next to it.
pub(crate) fn delete_journal(path: &Path) {
    for suffix in ["", "-wal", "-shm", ".lock"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        match std::fs::remove_file(&name) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => panic!("{e}"),
            _ => {}
        }
    }
    assert!(!path.exists());
}
