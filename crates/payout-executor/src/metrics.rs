//! The executor's metrics through the `metrics` facade: names, [`describe`], one function per event.
//!
//! Without an installed recorder every function here is a no-op. Amounts stay integers in
//! the executor: a gauge in MDT is made at the edge from the amount's exact decimal text
//! (the nearest `f64`, for display only). Base-unit counters are not offered: the facade's
//! counters are `u64`, and 10^18 base units make one MDT, so they would wrap at 18 MDT.
//! Series carry no secrets: the only label is the stage name.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ::metrics::{
    counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram, Unit,
};
use tokenomics_core::Amount;

use crate::error::ExecutorError;
use crate::report::{EpochReport, Progress};
use payout_journal::Stage;

/// Gauge: the epoch being run (or last run).
pub const EPOCH: &str = "tokenomics_epoch";
/// Gauge with a `stage` label (`planned`, `minted`, `paid`, `done`): 1 for the stage
/// [`EPOCH`] has reached, 0 for the others.
pub const EPOCH_STAGE: &str = "tokenomics_epoch_stage";
/// Gauge: transfers of [`EPOCH`] confirmed (journaled), from this run or an earlier one.
pub const EPOCH_TRANSFERS_CONFIRMED: &str = "tokenomics_epoch_transfers_confirmed";
/// Gauge: transfers of [`EPOCH`] still to confirm.
pub const EPOCH_TRANSFERS_PENDING: &str = "tokenomics_epoch_transfers_pending";
/// Counter: transfers this process confirmed, over all epochs.
pub const TRANSFERS_CONFIRMED_TOTAL: &str = "tokenomics_transfers_confirmed_total";
/// Gauge: MDT minted by [`EPOCH`]'s plan (set once the mint is confirmed).
pub const EPOCH_MINTED_MDT: &str = "tokenomics_epoch_minted_mdt";
/// Gauge: MDT paid by the last epoch done.
pub const EPOCH_PAID_MDT: &str = "tokenomics_epoch_paid_mdt";
/// Counter: epochs this process finished (verified), already-done ones not counted.
pub const EPOCHS_DONE_TOTAL: &str = "tokenomics_epochs_done_total";
/// Histogram: seconds from the start of an epoch's run to its verification.
pub const EPOCH_DURATION_SECONDS: &str = "tokenomics_epoch_duration_seconds";
/// Gauge: when the last epoch was done, in seconds since the Unix epoch.
pub const LAST_EPOCH_DONE_TIMESTAMP_SECONDS: &str = "tokenomics_last_epoch_done_timestamp_seconds";
/// Counter: verifications that found the chain disagreeing with the plan.
pub const VERIFICATION_FAILURES_TOTAL: &str = "tokenomics_verification_failures_total";

/// Bucket bounds for [`EPOCH_DURATION_SECONDS`], for an exporter that takes buckets.
pub const EPOCH_DURATION_BUCKETS: [f64; 14] = [
    0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0,
];

const STAGES: [(Stage, &str); 4] = [
    (Stage::Planned, "planned"),
    (Stage::Minted, "minted"),
    (Stage::Paid, "paid"),
    (Stage::Done, "done"),
];

/// Describes every series to the installed recorder and registers the counters at zero,
/// so a scrape lists them before anything happened. Call once after installing it.
pub fn describe() {
    let counters = [
        (
            TRANSFERS_CONFIRMED_TOTAL,
            "Transfers this process confirmed.",
        ),
        (EPOCHS_DONE_TOTAL, "Epochs this process finished."),
        (
            VERIFICATION_FAILURES_TOTAL,
            "Verifications that found the chain disagreeing with the plan.",
        ),
    ];
    for (name, help) in counters {
        describe_counter!(name, Unit::Count, help);
        counter!(name).increment(0);
    }
    let gauges = [
        (EPOCH, "The epoch being run, or last run."),
        (EPOCH_STAGE, "1 for the stage the epoch has reached."),
        (
            EPOCH_TRANSFERS_CONFIRMED,
            "Transfers of the epoch confirmed.",
        ),
        (
            EPOCH_TRANSFERS_PENDING,
            "Transfers of the epoch still to confirm.",
        ),
        (EPOCH_MINTED_MDT, "MDT minted by the epoch's plan."),
        (EPOCH_PAID_MDT, "MDT paid by the last epoch done."),
    ];
    for (name, help) in gauges {
        describe_gauge!(name, help);
    }
    describe_gauge!(
        LAST_EPOCH_DONE_TIMESTAMP_SECONDS,
        Unit::Seconds,
        "When the last epoch was done (Unix time)."
    );
    describe_histogram!(
        EPOCH_DURATION_SECONDS,
        Unit::Seconds,
        "Seconds from the start of an epoch's run to its verification."
    );
}

/// A run of `epoch` starts.
pub(crate) fn epoch_started(epoch: u64) {
    gauge!(EPOCH).set(epoch as f64);
}

/// The epoch has reached `stage`.
pub(crate) fn stage(stage: Stage) {
    for (each, label) in STAGES {
        let value = if each == stage { 1.0 } else { 0.0 };
        gauge!(EPOCH_STAGE, "stage" => label).set(value);
    }
}

/// Mirrors a progress step: confirmed and pending transfers, the mint.
pub(crate) fn progress(step: &Progress) {
    match *step {
        Progress::Planned {
            transfers,
            confirmed,
            ..
        }
        | Progress::Confirmed {
            transfers,
            confirmed,
            ..
        } => {
            gauge!(EPOCH_TRANSFERS_CONFIRMED).set(confirmed as f64);
            gauge!(EPOCH_TRANSFERS_PENDING).set(transfers.saturating_sub(confirmed) as f64);
        }
        Progress::Minted { amount, .. } => gauge!(EPOCH_MINTED_MDT).set(mdt(amount)),
        Progress::Verified { .. } => {}
    }
}

/// `count` transfers were confirmed by this process.
pub(crate) fn transfers_confirmed(count: u64) {
    counter!(TRANSFERS_CONFIRMED_TOTAL).increment(count);
}

/// Counts `error` if it says the chain disagrees with the plan.
pub(crate) fn verification_failed(error: &ExecutorError) {
    if matches!(error, ExecutorError::Unverified { .. }) {
        counter!(VERIFICATION_FAILURES_TOTAL).increment(1);
    }
}

/// The epoch of `report` was verified after `elapsed`.
pub(crate) fn epoch_done(report: &EpochReport, elapsed: Duration) {
    counter!(EPOCHS_DONE_TOTAL).increment(1);
    gauge!(EPOCH_MINTED_MDT).set(mdt(report.minted));
    gauge!(EPOCH_PAID_MDT).set(mdt(report.paid));
    histogram!(EPOCH_DURATION_SECONDS).record(elapsed.as_secs_f64());
    if let Ok(now) = SystemTime::now().duration_since(UNIX_EPOCH) {
        gauge!(LAST_EPOCH_DONE_TIMESTAMP_SECONDS).set(now.as_secs_f64());
    }
}

/// `amount` in MDT, the `f64` nearest its exact decimal text: for display only.
fn mdt(amount: Amount) -> f64 {
    // proof: `Amount`'s text is digits with at most one '.', which always parses.
    amount.to_string().parse().unwrap_or(f64::NAN)
}
