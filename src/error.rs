//! The binary's error: a message for people plus the exit code it maps to.

/// What went wrong, already phrased for people (file, field, reason).
#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    /// The input (a file, a flag, an environment variable) is wrong: exit code 2.
    #[error("{0}")]
    BadInput(String),
    /// Something failed while running (network, disk, chain): exit code 1.
    #[error("{0}")]
    Failed(String),
}

impl CliError {
    /// The process exit code for this error: 2 for bad input, 1 otherwise.
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            CliError::BadInput(_) => 2,
            CliError::Failed(_) => 1,
        }
    }
}
