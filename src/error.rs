//! The binary's error: a message for people plus the exit code it maps to.

use std::path::Path;

/// What went wrong, already phrased for people (file, field, reason).
#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    /// The input (a file, a flag, an environment variable) is wrong: exit code 2.
    #[error("{0}")]
    BadInput(String),
    /// Something failed while running (network, disk, chain): exit code 1.
    #[error("{0}")]
    Failed(String),
    /// Standard output was closed by its reader (`tokenomics schedule | head`): the
    /// program ends quietly with exit code 0, as Unix tools do.
    #[error("standard output was closed")]
    StdoutClosed,
}

/// Files, flags and values refused by `tokenomics-config` are bad input: the one place
/// its errors become an exit code (2).
impl From<tokenomics_config::Error> for CliError {
    fn from(error: tokenomics_config::Error) -> Self {
        CliError::BadInput(error.to_string())
    }
}

/// `FILE: field: reason` as bad input, worded like every file error.
pub(crate) fn refused_field(file: &Path, field: &str, reason: String) -> CliError {
    CliError::from(tokenomics_config::Error::Field {
        file: file.to_path_buf(),
        field: field.to_string(),
        reason,
    })
}

impl CliError {
    /// The process exit code for this error: 2 for bad input, 0 for a closed stdout,
    /// 1 otherwise.
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            CliError::BadInput(_) => 2,
            CliError::Failed(_) => 1,
            CliError::StdoutClosed => 0,
        }
    }

    /// The same error with `advice` (what resolves it) after its message, when there is one.
    pub(crate) fn with_advice(mut self, advice: Option<String>) -> CliError {
        if let (Some(advice), CliError::BadInput(message) | CliError::Failed(message)) =
            (advice, &mut self)
        {
            message.push_str("; ");
            message.push_str(&advice);
        }
        self
    }

    /// A failed write to standard output: a closed pipe ends the program quietly,
    /// anything else (a full disk) is a failure.
    pub(crate) fn stdout(error: std::io::Error) -> CliError {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            CliError::StdoutClosed
        } else {
            CliError::Failed(format!("cannot write to stdout: {error}"))
        }
    }
}
