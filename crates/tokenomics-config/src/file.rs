//! Reading a whole file as text; a missing or unreadable file is refused naming it.

use std::path::Path;

use crate::error::Error;

/// The text of the file at `path`.
pub(crate) fn read_file(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::Unreadable {
        file: path.to_path_buf(),
        source,
    })
}
