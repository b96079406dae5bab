//! Values as messages show them: a client's value through [`excerpt`], base units as MDT
//! decimals. It sits below the crate's error, whose messages use both; the parsers of
//! `mod.rs` sit above it.

/// Base units in one MDT (10^18).
pub const BASE_UNITS_PER_MDT: u128 = 1_000_000_000_000_000_000;

/// A client value as error messages show it: cut by the workspace's one rule
/// (`value_echo::shorten`: whole up to 64 characters, else the first 32, "…" and the length
/// in characters), then quoted and escaped.
///
/// ```
/// use luxtensor_devnet::codec::excerpt;
/// assert_eq!(excerpt("0x12"), "\"0x12\"");
/// assert_eq!(excerpt(&"a".repeat(70)), format!("\"{}… (70 characters)\"", "a".repeat(32)));
/// ```
pub fn excerpt(value: &str) -> String {
    format!("{:?}", value_echo::shorten(value))
}

/// Formats base units as a decimal MDT amount ("1000", "0.5") for messages. (Reading MDT
/// decimals is tokenomics-core's `Amount` parser, the only one.)
///
/// ```
/// use luxtensor_devnet::codec::format_mdt;
/// assert_eq!(format_mdt(1_500_000_000_000_000_000), "1.5");
/// assert_eq!(format_mdt(21_000_000 * 10u128.pow(18)), "21000000");
/// ```
pub fn format_mdt(base_units: u128) -> String {
    let whole = base_units / BASE_UNITS_PER_MDT;
    let frac = base_units % BASE_UNITS_PER_MDT;
    if frac == 0 {
        return whole.to_string();
    }
    let frac = format!("{frac:018}");
    format!("{whole}.{}", frac.trim_end_matches('0'))
}
