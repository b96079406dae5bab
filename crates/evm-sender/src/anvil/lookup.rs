//! Where the anvil binary is looked for: the one rule, in std only, because the build scripts
//! of the crates whose tests need anvil (through `crates/test-anvil`) and `cargo xtask bench`
//! compile this same file.
//!
//! In order, the first that holds a file wins:
//!
//! 1. `ANVIL_BIN`, when set and not empty. When set, it is the only place looked at: a wrong
//!    explicit path is an error, not a reason to start some other anvil.
//! 2. [`NPM_BIN`] under the working directory's repository: the first folder from the working
//!    directory up that holds [`REPO_MARKER`] (`contracts/package.json`). `npm ci --prefix
//!    contracts` puts anvil there. Only that first folder is looked at.
//! 3. `anvil` on `PATH`: the first executable file named `anvil` in its folders.
//!
//! Relative paths (in `ANVIL_BIN` or `PATH`) are taken from the working directory.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

/// The environment variable naming the anvil binary.
pub const BIN_ENV: &str = "ANVIL_BIN";

/// Where `npm ci --prefix contracts` puts anvil, relative to the repository folder.
pub const NPM_BIN: &str = "contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";

/// The file that marks a folder as the repository whose `contracts/node_modules` is used.
pub const REPO_MARKER: &str = "contracts/package.json";

/// The command that installs anvil, run in the repository.
pub const INSTALL: &str = "npm ci --prefix contracts";

/// What the lookup reads: the values of `ANVIL_BIN` and `PATH` and the working directory.
/// [`Lookup::from_env`] takes them from the process; tests give their own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// `ANVIL_BIN` (unset or empty: not used).
    pub bin_env: Option<OsString>,
    /// The folder the repository is looked for from (and relative paths are taken from).
    pub working_dir: PathBuf,
    /// `PATH` (unset: no folders).
    pub path_env: Option<OsString>,
}

/// No anvil in any of the places [`Lookup::find`] looks at; its message names them all and
/// says how to install anvil. Installing it (or fixing `ANVIL_BIN`) helps; retrying does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotFound {
    /// `ANVIL_BIN` when set: then the only place looked at.
    pub bin_env: Option<PathBuf>,
    /// The [`NPM_BIN`] path of the working directory's repository; `None` when no folder
    /// from the working directory up holds [`REPO_MARKER`] (or `ANVIL_BIN` is set).
    pub npm: Option<PathBuf>,
    /// The working directory the repository was looked for from.
    pub working_dir: PathBuf,
}

impl Lookup {
    /// The process's `ANVIL_BIN`, working directory and `PATH`. An unreadable working
    /// directory is taken as empty (no repository is found from it).
    pub fn from_env() -> Lookup {
        Lookup {
            bin_env: std::env::var_os(BIN_ENV),
            working_dir: std::env::current_dir().unwrap_or_default(),
            path_env: std::env::var_os("PATH"),
        }
    }

    /// The anvil binary, by the rule of the module.
    pub fn find(&self) -> Result<PathBuf, NotFound> {
        if let Some(bin) = self.bin_env.as_ref().filter(|bin| !bin.is_empty()) {
            let bin = self.working_dir.join(bin);
            if bin.is_file() {
                return Ok(bin);
            }
            return Err(NotFound {
                bin_env: Some(bin),
                npm: None,
                working_dir: self.working_dir.clone(),
            });
        }
        let npm = self.repository().map(|repo| repo.join(NPM_BIN));
        if let Some(bin) = npm.as_ref().filter(|bin| bin.is_file()) {
            return Ok(bin.clone());
        }
        let on_path = self.path_env.as_ref().and_then(|path| {
            std::env::split_paths(path)
                .filter(|dir| !dir.as_os_str().is_empty())
                .map(|dir| self.working_dir.join(dir).join("anvil"))
                .find(|bin| is_executable(bin))
        });
        on_path.ok_or_else(|| NotFound {
            bin_env: None,
            npm,
            working_dir: self.working_dir.clone(),
        })
    }

    /// The working directory's repository: the first folder from it up that holds
    /// [`REPO_MARKER`].
    pub fn repository(&self) -> Option<PathBuf> {
        self.working_dir
            .ancestors()
            .find(|dir| dir.join(REPO_MARKER).is_file())
            .map(Path::to_path_buf)
    }
}

/// A file with an execute bit (any file, where there are no such bits).
fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path)
            .map(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
            .unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

impl fmt::Display for NotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("anvil not found: ")?;
        match (&self.bin_env, &self.npm) {
            (Some(bin), _) => write!(
                f,
                "{BIN_ENV} is {}, which is not a file (when set, no other place is looked at)",
                bin.display()
            )?,
            (None, Some(npm)) => write!(f, "{BIN_ENV} is not set, no {}", npm.display())?,
            (None, None) => write!(
                f,
                "{BIN_ENV} is not set, no folder from {} up holds {REPO_MARKER}",
                self.working_dir.display()
            )?,
        }
        if self.bin_env.is_none() {
            f.write_str(", no anvil on PATH")?;
        }
        write!(
            f,
            "; install it with `{INSTALL}` in the repository, or set {BIN_ENV} to its path"
        )
    }
}

impl std::error::Error for NotFound {}
