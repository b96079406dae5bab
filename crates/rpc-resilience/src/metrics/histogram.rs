//! [`LatencyHistogram`]: lock-free fixed buckets (50 µs x 1.5^k up to about 2 min) and
//! interpolated percentiles.
//!
//! Fixed buckets keep recording to one atomic add and make the Prometheus histogram exact.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::LazyLock;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Number of finite bucket bounds.
pub const BUCKETS: usize = 38;
const FIRST_BOUND_NANOS: f64 = 50_000.0;
const GROWTH: f64 = 1.5;

/// The finite bucket bounds, computed once.
static BOUNDS: LazyLock<[Duration; BUCKETS]> = LazyLock::new(|| {
    std::array::from_fn(|i| {
        let exponent = i32::try_from(i).unwrap_or(i32::MAX);
        Duration::from_nanos((FIRST_BOUND_NANOS * GROWTH.powi(exponent)) as u64)
    })
});

/// The upper bound of finite bucket `i` (the last finite bound for any larger `i`).
pub fn bucket_bound(i: usize) -> Duration {
    BOUNDS[i.min(BUCKETS - 1)]
}

/// Latency percentiles of a histogram, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatencySummary {
    /// Samples recorded.
    pub count: u64,
    /// Mean latency.
    pub mean_ms: f64,
    /// Median.
    pub p50_ms: f64,
    /// 90th percentile.
    pub p90_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
}

/// A latency histogram with fixed, log-spaced buckets (the last one unbounded).
#[derive(Debug)]
pub struct LatencyHistogram {
    counts: [AtomicU64; BUCKETS + 1],
    sum_nanos: AtomicU64,
    count: AtomicU64,
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        Self {
            counts: std::array::from_fn(|_| AtomicU64::new(0)),
            sum_nanos: AtomicU64::new(0),
            count: AtomicU64::new(0),
        }
    }
}

impl LatencyHistogram {
    /// Records one sample.
    pub fn record(&self, latency: Duration) {
        // The first bucket whose bound is >= the latency (BUCKETS = the unbounded one).
        let index = BOUNDS.partition_point(|&bound| bound < latency);
        self.counts[index].fetch_add(1, Ordering::Relaxed);
        let nanos = u64::try_from(latency.as_nanos()).unwrap_or(u64::MAX);
        self.sum_nanos.fetch_add(nanos, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    /// Per-bucket counts (not cumulative); the last entry is the unbounded bucket.
    pub fn bucket_counts(&self) -> Vec<u64> {
        self.counts
            .iter()
            .map(|c| c.load(Ordering::Relaxed))
            .collect()
    }

    /// Sum of all samples.
    pub fn sum(&self) -> Duration {
        Duration::from_nanos(self.sum_nanos.load(Ordering::Relaxed))
    }

    /// Samples recorded.
    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// The latency below which `q` (0..=1) of the samples fall, interpolated inside its bucket.
    pub fn quantile(&self, q: f64) -> Duration {
        let counts = self.bucket_counts();
        let total: u64 = counts.iter().sum();
        if total == 0 {
            return Duration::ZERO;
        }
        let rank = (q.clamp(0.0, 1.0) * total as f64).max(1.0);
        let mut below = 0u64;
        for (i, &in_bucket) in counts.iter().enumerate() {
            if in_bucket > 0 && (below + in_bucket) as f64 >= rank {
                let low = if i == 0 {
                    0.0
                } else {
                    bucket_bound(i - 1).as_secs_f64()
                };
                let high = bucket_bound(i.min(BUCKETS - 1)).as_secs_f64();
                let fraction = (rank - below as f64) / in_bucket as f64;
                return Duration::from_secs_f64(low + (high - low).max(0.0) * fraction);
            }
            below += in_bucket;
        }
        bucket_bound(BUCKETS - 1)
    }

    /// Count, mean, p50, p90 and p99.
    pub fn summary(&self) -> LatencySummary {
        let count = self.count();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        LatencySummary {
            count,
            mean_ms: if count == 0 {
                0.0
            } else {
                ms(self.sum()) / count as f64
            },
            p50_ms: ms(self.quantile(0.50)),
            p90_ms: ms(self.quantile(0.90)),
            p99_ms: ms(self.quantile(0.99)),
        }
    }
}
