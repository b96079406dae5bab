//! How an executor's error reaches the operator: bad input (exit 2) or a failure while
//! running (exit 1), naming the journal or the epoch it is about.

use std::path::Path;

use payout_executor::{ExecutorError, JournalError};

use crate::echo::hide_keys;
use crate::error::CliError;

/// An error opening or reading the journal at `path`, naming it (unless the error names
/// it itself), keys hidden; exit 2 when it is bad input. `run`, `status` and
/// `close-epoch` share it.
pub(crate) fn journal_error(path: &Path, error: &JournalError) -> CliError {
    let message = hide_keys(&match error {
        // These name the journal themselves.
        JournalError::InUse { .. } | JournalError::Missing { .. } => error.to_string(),
        _ => format!("{}: {error}", path.display()),
    });
    if error.is_bad_input() {
        CliError::BadInput(message)
    } else {
        CliError::Failed(message)
    }
}

pub(crate) fn describe_failure(epoch: Option<u64>, error: &ExecutorError) -> CliError {
    // Errors about one epoch name it themselves; others get it as a prefix.
    let names_epoch = epoch.is_none_or(|epoch| error.epoch() == Some(epoch));
    let message = match epoch {
        Some(epoch) if !names_epoch => format!("epoch {epoch}: {error}"),
        _ => error.to_string(),
    };
    if error.is_bad_input() {
        CliError::BadInput(message)
    } else {
        CliError::Failed(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(epoch: Option<u64>, error: ExecutorError, expected: &str) {
        match describe_failure(epoch, &error) {
            CliError::Failed(message) => assert_eq!(message, expected),
            other => panic!("not a failure: {other:?}"),
        }
    }

    #[test]
    fn an_error_about_the_epoch_is_not_prefixed_with_it_again() {
        let incomplete = ExecutorError::Incomplete {
            epoch: 5,
            pending: 3,
            rounds: 2,
        };
        let expected = incomplete.to_string();
        check(Some(5), incomplete, &expected);
    }

    #[test]
    fn an_error_that_only_quotes_the_epoch_in_a_value_is_prefixed_with_it() {
        // The typed epoch decides, not the text: a node's answer mentioning "epoch 5" is not
        // an error about epoch 5.
        let malformed = ExecutorError::Journal(JournalError::Writer {
            reason: "stopped writing \"epoch 5\"".to_string(),
        });
        let expected = format!("epoch 5: {malformed}");
        check(Some(5), malformed, &expected);
    }
}
