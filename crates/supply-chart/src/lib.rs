//! The supply chart: minted supply over epochs as SVG, with the cap, each halving and the
//! epoch the cap is reached; axes in readable units ("21M", "8.76M"). f64 is used here for
//! drawing only, never for an amount that is paid.
//!
//! [`ChartData::new`] computes what is shown from `tokenomics_core::schedule`'s eras;
//! [`draw`] writes the SVG (`tokenomics schedule --svg`, and the README's picture).
//!
//! ```no_run
//! use supply_chart::{draw, ChartData};
//! use tokenomics_core::{schedule, Params};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let params = Params::default();
//! let eras = schedule(&params.emission, None)?;
//! let data = ChartData::new(&eras, params.emission.max_supply, "max supply", params.emission.halving_interval);
//! draw("supply.svg".as_ref(), &data)?;
//! # Ok(())
//! # }
//! ```

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use tokenomics_core::{Amount, Era, SCALE};

/// Room past the epoch where the supply stops changing, so the flat part shows.
const ZOOM_MARGIN: f64 = 1.1;
/// Halvings labelled one by one; past this many in view they are drawn unlabelled.
const LABELLED_HALVINGS: usize = 12;

const SUPPLY: RGBColor = RGBColor(31, 119, 180);
const CAP: RGBColor = RGBColor(214, 39, 40);
const HALVING: RGBColor = RGBColor(150, 150, 150);

/// Why the chart could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChartError {
    /// Drawing or writing the SVG file failed (a retry helps only once the file's folder
    /// is writable).
    #[error("{}: cannot draw: {reason}", path.display())]
    Draw {
        /// The SVG file.
        path: std::path::PathBuf,
        /// What failed.
        reason: String,
    },
}

/// What the chart shows, computed from the eras before anything is drawn.
#[derive(Debug)]
pub struct ChartData {
    /// Corners of the supply curve (linear inside an era, flat after the cap).
    points: Vec<(f64, f64)>,
    /// The last epoch shown on the x axis.
    max_x: f64,
    /// Max supply in whole MDT.
    cap: f64,
    /// What the cap is called ("max supply", or "mint cap" for `--mint-cap`).
    cap_name: &'static str,
    /// The epoch in which the cap is reached, if it is.
    capped_at: Option<u64>,
    /// Epochs at which a halving starts, within the view.
    halvings: Vec<u64>,
    /// The first halving, when it lies beyond the view.
    next_halving: Option<u64>,
}

/// Whole MDT as `f64`, for drawing only.
fn mdt(amount: Amount) -> f64 {
    (amount.base_units() / SCALE) as f64
}

impl ChartData {
    /// The view: up to where the supply stops changing (the cap, with a margin), else
    /// the whole horizon.
    pub fn new(
        eras: &[Era],
        max_supply: Amount,
        cap_name: &'static str,
        halving_interval: u64,
    ) -> ChartData {
        let capped_at = eras.iter().find_map(|era| era.capped_at_epoch);
        let horizon = eras.last().map_or(1, |era| era.end_epoch).max(1);
        let max_x = match capped_at {
            Some(epoch) => ((epoch + 1) as f64 * ZOOM_MARGIN).min(horizon as f64),
            None => horizon as f64,
        };
        let mut points = vec![(0.0, 0.0)];
        for era in eras {
            if let Some(capped) = era.capped_at_epoch {
                points.push(((capped + 1) as f64, mdt(era.supply_at_end)));
            }
            // After the cap the curve is flat, so cutting it at the view's edge is exact.
            points.push(((era.end_epoch as f64).min(max_x), mdt(era.supply_at_end)));
        }
        let halvings: Vec<u64> = (1..)
            .map_while(|k: u64| halving_interval.checked_mul(k))
            .take_while(|&epoch| (epoch as f64) <= max_x)
            .collect();
        let next_halving = halvings.is_empty().then_some(halving_interval);
        ChartData {
            points,
            max_x,
            cap: mdt(max_supply),
            cap_name,
            capped_at,
            halvings,
            next_halving,
        }
    }
}

/// "21M", "8.76M", "500k", "0": three significant figures at most.
pub fn short(value: f64) -> String {
    let (scaled, suffix) = match value.abs() {
        v if v >= 1e9 => (value / 1e9, "B"),
        v if v >= 1e6 => (value / 1e6, "M"),
        v if v >= 1e3 => (value / 1e3, "k"),
        _ => (value, ""),
    };
    let text = format!("{scaled:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}{suffix}")
}

/// `20999` as "20,999".
pub fn grouped(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Draws `data` as an SVG file at `path`.
pub fn draw(path: &Path, data: &ChartData) -> Result<(), ChartError> {
    let fail = |error: &dyn std::fmt::Display| ChartError::Draw {
        path: path.to_path_buf(),
        reason: error.to_string(),
    };
    let max_y = data.cap.max(1.0) * 1.12;
    let root = SVGBackend::new(path, (960, 540)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| fail(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Minted supply over epochs (U = 1, Q = 1)",
            ("sans-serif", 26),
        )
        .margin(20)
        .margin_right(40)
        .x_label_area_size(50)
        .y_label_area_size(80)
        .build_cartesian_2d(0.0..data.max_x, 0.0..max_y)
        .map_err(|e| fail(&e))?;
    chart
        .configure_mesh()
        .x_desc("epoch")
        .y_desc("minted supply (MDT)")
        .x_label_formatter(&|x| short(*x))
        .y_label_formatter(&|y| short(*y))
        .x_labels(8)
        .y_labels(8)
        .label_style(("sans-serif", 16))
        .axis_desc_style(("sans-serif", 17))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(|e| fail(&e))?;
    for (k, &epoch) in data.halvings.iter().enumerate() {
        let x = epoch as f64;
        let series = chart
            .draw_series(LineSeries::new(
                [(x, 0.0), (x, max_y)],
                HALVING.stroke_width(1),
            ))
            .map_err(|e| fail(&e))?;
        if k == 0 {
            series
                .label("halving")
                .legend(|(x, y)| PathElement::new([(x + 9, y - 8), (x + 9, y + 8)], HALVING));
        }
        if data.halvings.len() <= LABELLED_HALVINGS {
            // Past three quarters of the view the label goes left of its line, so it
            // stays inside the picture.
            let (anchor, text) = if x > data.max_x * 0.75 {
                (HPos::Right, format!("halving {} ({}) ", k + 1, short(x)))
            } else {
                (HPos::Left, format!(" halving {} ({})", k + 1, short(x)))
            };
            let style = ("sans-serif", 15)
                .into_font()
                .color(&HALVING)
                .pos(Pos::new(anchor, VPos::Top));
            chart
                .draw_series([Text::new(text, (x, max_y * 0.98), style)])
                .map_err(|e| fail(&e))?;
        }
    }
    chart
        .draw_series(LineSeries::new(
            [(0.0, data.cap), (data.max_x, data.cap)],
            CAP.stroke_width(2),
        ))
        .map_err(|e| fail(&e))?
        .label(format!("{} ({} MDT)", data.cap_name, short(data.cap)))
        .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], CAP.stroke_width(2)));
    chart
        .draw_series(LineSeries::new(
            data.points.iter().copied(),
            SUPPLY.stroke_width(2),
        ))
        .map_err(|e| fail(&e))?
        .label("minted supply")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], SUPPLY.stroke_width(2)));
    if let Some(epoch) = data.capped_at {
        let at = (epoch as f64, data.cap);
        let style = ("sans-serif", 17)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Right, VPos::Bottom));
        let text = format!("{} reached at epoch {}", data.cap_name, grouped(epoch));
        chart
            .draw_series([Circle::new(at, 5, CAP.filled())])
            .map_err(|e| fail(&e))?;
        chart
            .draw_series([Text::new(text, (at.0, data.cap * 1.015), style)])
            .map_err(|e| fail(&e))?;
    }
    if let Some(epoch) = data.next_halving {
        let style = ("sans-serif", 15)
            .into_font()
            .color(&HALVING)
            .pos(Pos::new(HPos::Right, VPos::Bottom));
        let text = format!(
            "first halving at epoch {} (beyond this view)",
            short(epoch as f64)
        );
        chart
            .draw_series([Text::new(text, (data.max_x, max_y * 0.02), style)])
            .map_err(|e| fail(&e))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::MiddleRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.4))
        .label_font(("sans-serif", 16))
        .draw()
        .map_err(|e| fail(&e))?;
    root.present().map_err(|e| fail(&e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{grouped, short};

    #[track_caller]
    fn check(shown: String, expected: &str) {
        assert_eq!(shown, expected);
    }

    #[test]
    fn axis_labels_use_short_units() {
        check(short(21_000_000.0), "21M");
        check(short(8_760_000.0), "8.76M");
        check(short(500_000.0), "500k");
        check(short(2_500.0), "2.5k");
        check(short(0.0), "0");
    }

    #[test]
    fn epochs_in_text_are_grouped_by_thousands() {
        check(grouped(20_999), "20,999");
        check(grouped(999), "999");
        check(grouped(8_760_000), "8,760,000");
    }
}
