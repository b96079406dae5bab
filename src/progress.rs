//! Progress of `run`: indicatif bars on a terminal, plain lines on stderr otherwise.

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use tokenomics_integration::{EpochReport, Progress};

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
                Progress::Minted { amount, .. } => eprintln!("epoch {epoch}: minted {amount} MDT"),
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
                let style = ProgressStyle::with_template(
                    "epoch {prefix:>6} [{bar:40.cyan/blue}] {pos}/{len} transfers {msg} ({eta})",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar());
                bar.set_style(style.progress_chars("=> "));
                bar.set_prefix(epoch.to_string());
                bar.set_position(confirmed);
                bar.set_message("planned");
                *current = Some(bar);
            }
            Progress::Minted { .. } => {
                if let Some(bar) = current.as_ref() {
                    bar.set_message("minted");
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

    /// Marks `epoch` finished.
    pub(crate) fn finish(&self, epoch: u64, report: &EpochReport) {
        match self.current.lock().ok().and_then(|mut c| c.take()) {
            Some(bar) => bar.finish_with_message(format!("done, {} MDT paid", report.paid)),
            None if self.bars.is_none() => {
                eprintln!("epoch {epoch}: done, {} MDT paid", report.paid)
            }
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
