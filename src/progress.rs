//! Progress of `run`: indicatif bars on a terminal, plain lines on stderr otherwise.

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use payout_executor::{EpochReport, Progress};

/// An epoch's bar while it runs: what is left, with the time still to go.
const RUNNING: &str = "epoch {prefix:>6} [{bar:40.cyan/blue}] {pos}/{len} transfers {msg} ({eta})";
/// A finished epoch's bar: the message says how long it took.
const FINISHED: &str = "epoch {prefix:>6} [{bar:40.cyan/blue}] {pos}/{len} transfers {msg}";

/// A duration for people: "350 ms", "4.2 s", "3 min 05 s".
pub(crate) fn took(ms: u64) -> String {
    match ms {
        0..=999 => format!("{ms} ms"),
        1_000..=59_999 => format!("{}.{} s", ms / 1000, ms % 1000 / 100),
        _ => format!("{} min {:02} s", ms / 60_000, ms % 60_000 / 1000),
    }
}

/// How progress is shown for the whole run.
#[derive(Debug)]
pub(crate) struct ProgressView {
    bars: Option<MultiProgress>,
    current: std::sync::Mutex<Option<ProgressBar>>,
}

impl ProgressView {
    /// Bars when `terminal`, plain lines otherwise.
    pub(crate) fn new(terminal: bool) -> ProgressView {
        ProgressView {
            bars: terminal.then(MultiProgress::new),
            current: std::sync::Mutex::new(None),
        }
    }

    /// The callback the executor reports `epoch`'s steps to.
    pub(crate) fn for_epoch(&self, epoch: u64) -> impl FnMut(Progress) + '_ {
        let mut last_tenth = None;
        move |step| match &self.bars {
            Some(bars) => self.draw(bars, epoch, step),
            None => match step {
                Progress::Planned {
                    transfers,
                    confirmed,
                    ..
                } => {
                    eprintln!("epoch {epoch}: planned, {confirmed}/{transfers} transfers already confirmed");
                }
                Progress::Minted {
                    amount,
                    earlier: false,
                    capped_by_chain,
                    ..
                } => eprintln!(
                    "epoch {epoch}: minted {amount} MDT{}",
                    capped_note(capped_by_chain)
                ),
                Progress::Minted { amount, .. } => eprintln!(
                    "epoch {epoch}: already open on chain ({amount} MDT minted by an earlier run)"
                ),
                Progress::Confirmed {
                    confirmed,
                    transfers,
                    ..
                } => {
                    let tenth = (confirmed * 10).checked_div(transfers).unwrap_or(10);
                    if last_tenth != Some(tenth) {
                        last_tenth = Some(tenth);
                        eprintln!("epoch {epoch}: {confirmed}/{transfers} transfers confirmed");
                    }
                }
                Progress::Verified { .. } => eprintln!("epoch {epoch}: verified on chain"),
                _ => {}
            },
        }
    }

    fn draw(&self, bars: &MultiProgress, epoch: u64, step: Progress) {
        let Ok(mut current) = self.current.lock() else {
            return;
        };
        match step {
            Progress::Planned {
                transfers,
                confirmed,
                ..
            } => {
                let bar = bars.add(ProgressBar::new(transfers));
                let style = ProgressStyle::with_template(RUNNING)
                    .unwrap_or_else(|_| ProgressStyle::default_bar());
                bar.set_style(style.progress_chars("=> "));
                bar.set_prefix(epoch.to_string());
                bar.set_position(confirmed);
                bar.set_message("planned");
                *current = Some(bar);
            }
            Progress::Minted {
                earlier,
                capped_by_chain,
                ..
            } => {
                if let Some(bar) = current.as_ref() {
                    bar.set_message(match (earlier, capped_by_chain) {
                        (true, _) => "opened earlier",
                        (false, true) => "minted (capped by the chain)",
                        (false, false) => "minted",
                    });
                }
            }
            Progress::Confirmed { confirmed, .. } => {
                if let Some(bar) = current.as_ref() {
                    bar.set_position(confirmed);
                    bar.set_message("sending");
                }
            }
            Progress::Verified { .. } => {
                if let Some(bar) = current.as_ref() {
                    bar.set_message("verified");
                }
            }
            _ => {}
        }
    }

    /// Marks `epoch` finished, with how long it took (the bar's ETA would read "0s").
    pub(crate) fn finish(&self, epoch: u64, report: &EpochReport) {
        let message = format!(
            "done in {}, {} MDT paid",
            took(report.elapsed_ms),
            report.paid
        );
        match self.current.lock().ok().and_then(|mut c| c.take()) {
            Some(bar) => {
                let style = ProgressStyle::with_template(FINISHED)
                    .unwrap_or_else(|_| ProgressStyle::default_bar());
                bar.set_style(style.progress_chars("=> "));
                bar.finish_with_message(message);
            }
            None if self.bars.is_none() => eprintln!("epoch {epoch}: {message}"),
            None => {}
        }
    }

    /// Marks `epoch` stopped by an error.
    pub(crate) fn abandon(&self, epoch: u64) {
        if let Some(bar) = self.current.lock().ok().and_then(|mut c| c.take()) {
            bar.abandon_with_message(format!("epoch {epoch} stopped"));
        }
    }
}

/// What a mint lowered by the chain's own cap says after its amount.
fn capped_note(capped_by_chain: bool) -> &'static str {
    if capped_by_chain {
        " (capped by the chain: all the token's emission category could still mint)"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::took;

    #[track_caller]
    fn check(ms: u64, shown: &str) {
        assert_eq!(took(ms), shown);
    }

    #[test]
    fn durations_read_in_the_unit_that_fits() {
        check(0, "0 ms");
        check(350, "350 ms");
        check(4_250, "4.2 s");
        check(59_999, "59.9 s");
        check(185_000, "3 min 05 s");
    }
}
