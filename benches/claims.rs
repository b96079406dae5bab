//! Claims benchmark: the Merkle tree of 1,000,000 `(address, uint256)` leaves
//! (`claims-tree`, OpenZeppelin's `StandardMerkleTree` layout) and its proof files.
//!
//! Prints, from one run: the time to build the tree against the time to hash its leaves
//! alone (the same leaves, the same run; target: the tree within 3x), the median of
//! `ROUNDS` rounds each; then the time and bytes of writing the proof files (`tree.json`
//! and the `accounts/<xx>.json` shards) into a temporary directory, once. The built tree
//! must prove a sample of its leaves: a faster tree that does not prove is no tree.
//! The peak heap of a build (the kept tree and its temporaries) is printed beside it.
//! Ends with one JSON line of the figures. `CLAIMS_BENCH_LEAVES` overrides the size.
//! Run: `cargo xtask bench claims` (or `cargo bench --bench claims`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use alloy_primitives::{Address, B256, U256};
use claims_tree::{leaf_hash, ClaimsTree};

#[path = "support/peak_alloc.rs"]
mod peak_alloc;

#[global_allocator]
static ALLOCATOR: peak_alloc::PeakAlloc = peak_alloc::PeakAlloc;

/// Rounds of the leaf-hash and tree measures (the median is printed).
const ROUNDS: usize = 3;

/// `count` distinct accounts with varied amounts (xorshift64, fixed seed).
fn leaves(count: usize) -> Vec<(Address, U256)> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count)
        .map(|i| {
            let mut bytes = [0u8; 20];
            bytes[..8].copy_from_slice(&next().to_be_bytes());
            bytes[8..16].copy_from_slice(&next().to_be_bytes());
            // The index in the last bytes keeps every account distinct.
            bytes[16..].copy_from_slice(&(i as u32).to_be_bytes());
            (
                Address::from(bytes),
                U256::from(next()) * U256::from(1_000_000_000u64),
            )
        })
        .collect()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn r2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let count: usize = std::env::var("CLAIMS_BENCH_LEAVES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let values = leaves(count);

    let mut hash_ms = Vec::new();
    let mut tree_ms = Vec::new();
    let mut tree = None;
    let mut heap = 0;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let hashes: Vec<B256> = values.iter().map(|(a, m)| leaf_hash(*a, *m)).collect();
        black_box(&hashes);
        hash_ms.push(ms(start.elapsed()));
        drop(hashes);

        drop(tree.take());
        let before = peak_alloc::reset_peak();
        let start = Instant::now();
        let built = ClaimsTree::build(values.iter().copied()).expect("distinct accounts");
        tree_ms.push(ms(start.elapsed()));
        heap = peak_alloc::peak().saturating_sub(before);
        tree = Some(black_box(built));
    }
    let tree = tree.expect("at least one round");
    for (account, amount) in values.iter().step_by((count / 1000).max(1)) {
        let proof = tree.proof(*account).expect("every account has a leaf");
        assert!(ClaimsTree::verify(
            tree.root(),
            *account,
            *amount,
            &proof.siblings
        ));
    }
    let (leaf_hash_ms, tree_ms) = (median(hash_ms), median(tree_ms));
    let ratio = tree_ms / leaf_hash_ms;

    let dir = tempfile::tempdir().expect("a temporary directory");
    let start = Instant::now();
    let files = tree.write_proofs(dir.path()).expect("proof files written");
    let files_ms = ms(start.elapsed());
    drop(dir);

    let depth = tree.proof(values[0].0).map_or(0, |p| p.siblings.len());
    let heap_mib = heap as f64 / (1024.0 * 1024.0);
    println!(
        "claims benchmark (median of {ROUNDS} rounds, release build, {}): wall time",
        peak_alloc::NAME
    );
    println!(
        "  {count} leaves, proofs of {depth} hashes, root {}",
        tree.root()
    );
    println!("  hash the leaves alone (baseline)      {leaf_hash_ms:>10.1} ms");
    println!("  build the tree (leaves included)      {tree_ms:>10.1} ms");
    println!("  tree / leaves alone: {ratio:.2}x   (target <= 3x)");
    println!("  peak heap while building: {heap_mib:.1} MiB (the tree kept, temporaries)");
    println!(
        "  proof files: {} shards + tree.json, {:.1} MB in {files_ms:.1} ms ({:.0} bytes per account)",
        files.shards,
        files.bytes as f64 / 1e6,
        files.bytes as f64 / count as f64
    );

    let json = serde_json::json!({
        "bench": "claims",
        "leaves": count,
        "proof_hashes": depth,
        "leaf_hash_ms": r2(leaf_hash_ms),
        "tree_ms": r2(tree_ms),
        "tree_vs_leaves": r2(ratio),
        "tree_peak_heap_mib": r2(heap_mib),
        "proof_files_ms": r2(files_ms),
        "proof_files_bytes": files.bytes,
        "proof_shards": files.shards,
        "allocator": peak_alloc::NAME,
    });
    // Gas figures go here, measured on anvil by the claims contract side and added to this
    // same JSON line: `open_claims_gas` (one per epoch, whatever the tree's size),
    // `claim_gas` (a claim with a proof of `proof_hashes` hashes) and the operator's gas per
    // epoch against push payouts of the same epoch.
    println!("{json}");
}
