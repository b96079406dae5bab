//! What the operator test files share: the binary run in a folder (also its HOME) with
//! anvil's dev key in the environment, and the check of a refusal with nothing on stdout.

use std::path::Path;
use std::process::Output;

use crate::anvil;
use crate::common;
use crate::common::text;

/// `tokenomics <args>` in `dir` (also its HOME), with anvil's dev key in the environment.
pub(crate) fn tokenomics(dir: &Path, args: &[&str]) -> Output {
    common::tokenomics_in(dir)
        .args(args)
        .env_remove("XDG_DATA_HOME")
        .env("TOKENOMICS_SIGNER_KEY", anvil::DEV_KEY)
        .output()
        .unwrap()
}

/// Exits with `code`; the error line contains `message`; stdout is empty.
#[track_caller]
pub(crate) fn check(out: &Output, code: i32, message: &str) {
    common::check_error(out, code, message);
    assert_eq!(text(&out.stdout), "", "nothing on stdout");
}
