//! The crate's one error: what was refused (file, field or key path, reason), each
//! variant printed as the one line a person reads, every echoed value cut short.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::echo::{hide_keys, shorten_echoes};

/// An input file, configuration file or value refused.
///
/// Every variant is bad input: the file, flag or value must change, so trying again
/// unchanged cannot help (a command-line tool exits 2). Its text is one line, `FILE:
/// reason` (the file's path with anything that looks like a private key hidden), or
/// `NAME: reason` for a value given outside a file; a long value echoed in the reason
/// is cut short ([`crate::echo`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or folder cannot be read (missing, a folder, not UTF-8, no permission).
    #[error("{}", line(file, &format!("cannot read: {source}")))]
    Unreadable {
        /// The file or folder (`<stdin>` for standard input).
        file: PathBuf,
        /// Why reading failed.
        source: std::io::Error,
    },
    /// A folder given for epoch inputs holds no `.json` file.
    #[error("{}", line(dir, "no .json epoch inputs files in this folder"))]
    NoInputsFiles {
        /// The folder.
        dir: PathBuf,
    },
    /// The text is not JSON or TOML at all.
    #[error("{}", line(file, &syntax(*format, position.as_ref(), field.as_deref(), message)))]
    Syntax {
        /// The file.
        file: PathBuf,
        /// JSON or TOML.
        format: Format,
        /// Where the parser stopped, when it says so.
        position: Option<Position>,
        /// The JSON field being read there (`miners[1].score`), when there is one.
        field: Option<String>,
        /// The parser's message, without its position.
        message: String,
    },
    /// A field or key is refused (wrong type, unknown, out of range, not exact).
    #[error("{}", line(file, &format!("{field}: {reason}")))]
    Field {
        /// The file.
        file: PathBuf,
        /// The field's path as written: `miners[3].score` in JSON, `[rpc] timeout_ms`
        /// in TOML (`[rpc]` for an unknown key of the section).
        field: String,
        /// Why it is refused.
        reason: String,
    },
    /// The file is refused as a whole, not one field of it (a required field missing,
    /// an unknown top-level key, a rule across fields).
    #[error("{}", line(file, reason))]
    Invalid {
        /// The file.
        file: PathBuf,
        /// Why it is refused.
        reason: String,
    },
    /// A value given outside a file (a command-line flag, a configuration section built
    /// in code) is refused.
    #[error("{name}: {}", shorten_echoes(reason))]
    Setting {
        /// The flag (`--mint-cap`) or key path (`[evm] gas_price_multiplier`).
        name: String,
        /// Why it is refused.
        reason: String,
    },
}

/// The two formats this crate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Epoch inputs.
    Json,
    /// The configuration.
    Toml,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Json => "JSON",
            Format::Toml => "TOML",
        })
    }
}

/// A 1-based line and column (characters in TOML, bytes in JSON, as each parser counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1.
    pub column: usize,
}

impl Error {
    /// This error as found in `file`: a [`Error::Setting`] becomes the [`Error::Field`]
    /// of that name; other errors already name their file.
    pub(crate) fn in_file(self, file: &Path) -> Error {
        match self {
            Error::Setting { name, reason } => Error::Field {
                file: file.to_path_buf(),
                field: name,
                reason,
            },
            other => other,
        }
    }
}

/// `FILE: reason` on one line: keys in the path hidden, values in the reason cut short.
fn line(file: &Path, reason: &str) -> String {
    format!(
        "{}: {}",
        hide_keys(&file.display().to_string()),
        shorten_echoes(reason)
    )
}

/// `[field: ]F syntax error[ at line L, column C]: message`.
fn syntax(
    format: Format,
    position: Option<&Position>,
    field: Option<&str>,
    message: &str,
) -> String {
    let at = position.map_or(String::new(), |p| {
        format!(" at line {}, column {}", p.line, p.column)
    });
    match field {
        Some(field) => format!("{field}: {format} syntax error{at}: {message}"),
        None => format!("{format} syntax error{at}: {message}"),
    }
}
