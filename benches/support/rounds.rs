//! Interleaved rounds: two sides measured in short alternating slices (who goes first
//! alternates too), so load from elsewhere on a shared machine hits both alike; the
//! median round is reported.

use std::future::Future;
use std::time::Duration;

/// Rounds per comparison.
pub(crate) const ROUNDS: usize = 21;
/// Alternating slices per round.
pub(crate) const SLICES: usize = 10;

/// One slice: (operations, elapsed, latencies).
pub(crate) type Slice = (usize, Duration, Vec<Duration>);

/// What one side did in one round: operations, busy time, per-operation latencies.
#[derive(Debug, Default)]
struct Tally {
    ops: usize,
    busy: Duration,
    latencies: Vec<Duration>,
}

impl Tally {
    fn add(&mut self, ops: usize, busy: Duration, latencies: Vec<Duration>) {
        self.ops += ops;
        self.busy += busy;
        self.latencies.extend(latencies);
    }

    fn ops_per_sec(&self) -> f64 {
        self.ops as f64 / self.busy.as_secs_f64()
    }

    fn p99(&mut self) -> Duration {
        self.latencies.sort_unstable();
        let index = ((self.latencies.len() as f64) * 0.99).ceil() as usize;
        self.latencies[index.saturating_sub(1).min(self.latencies.len() - 1)]
    }
}

/// Runs `ROUNDS` rounds of `SLICES` alternating slices; returns per-round (raw, subject) ratios
/// of throughput and p99, plus the medians of each side's figures.
pub(crate) async fn compare<A, B, FA, FB>(raw: A, subject: B) -> [f64; 6]
where
    A: Fn() -> FA,
    B: Fn() -> FB,
    FA: Future<Output = Slice>,
    FB: Future<Output = Slice>,
{
    let (mut ops_ratios, mut p99_ratios) = (Vec::new(), Vec::new());
    let (mut raw_ops, mut sub_ops, mut raw_p99, mut sub_p99) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let (mut a, mut b) = (Tally::default(), Tally::default());
        for slice in 0..SLICES {
            if (round + slice) % 2 == 0 {
                let (n, t, l) = raw().await;
                a.add(n, t, l);
                let (n, t, l) = subject().await;
                b.add(n, t, l);
            } else {
                let (n, t, l) = subject().await;
                b.add(n, t, l);
                let (n, t, l) = raw().await;
                a.add(n, t, l);
            }
        }
        let (pa, pb) = (a.p99().as_secs_f64() * 1e6, b.p99().as_secs_f64() * 1e6);
        ops_ratios.push(b.ops_per_sec() / a.ops_per_sec());
        p99_ratios.push(pb / pa);
        raw_ops.push(a.ops_per_sec());
        sub_ops.push(b.ops_per_sec());
        raw_p99.push(pa);
        sub_p99.push(pb);
    }
    [
        median(raw_ops),
        median(raw_p99),
        median(sub_ops),
        median(sub_p99),
        median(ops_ratios),
        median(p99_ratios),
    ]
}

pub(crate) fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
