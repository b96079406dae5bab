//! [`Signer`]: the secp256k1 key that signs, parsed from one line of `0x` + 64 hex digits.
//!
//! The key never leaves this type: Debug shows only the address, errors name the rule or the
//! file, never the key, and a key file readable by group or others is refused.

use std::path::Path;

use alloy_primitives::{Address, Signature, B256};
use k256::ecdsa::SigningKey;

use crate::{Error, Result};

/// A local signing key and its address. `Debug` prints the address only.
#[derive(Clone)]
pub struct Signer {
    key: SigningKey,
    address: Address,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("address", &self.address)
            .field("key", &"<redacted>")
            .finish()
    }
}

impl Signer {
    /// Parses one line: `0x` + 64 hex digits (a single trailing newline is allowed).
    pub fn from_hex(text: &str) -> Result<Self> {
        let line = text
            .strip_suffix('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .unwrap_or(text);
        let digits = line.strip_prefix("0x").ok_or(Error::InvalidKey {
            reason: "must start with 0x",
        })?;
        if digits.len() != 64 {
            return Err(Error::InvalidKey {
                reason: "must be 0x followed by exactly 64 hex digits on one line",
            });
        }
        let mut bytes = [0u8; 32];
        for (byte, pair) in bytes.iter_mut().zip(digits.as_bytes().chunks_exact(2)) {
            let hex = |c: u8| (c as char).to_digit(16);
            match (hex(pair[0]), hex(pair[1])) {
                // proof: to_digit(16) < 16, so hi * 16 + lo < 256.
                (Some(hi), Some(lo)) => *byte = (hi * 16 + lo) as u8,
                _ => {
                    return Err(Error::InvalidKey {
                        reason: "must be hex digits only",
                    })
                }
            }
        }
        let key = SigningKey::from_slice(&bytes).map_err(|_| Error::InvalidKey {
            reason: "not a valid secp256k1 private key",
        });
        bytes.fill(0);
        let key = key?;
        let address = Address::from_private_key(&key);
        Ok(Self { key, address })
    }

    /// Reads the key from `path`, refusing a file accessible by group or others.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let io_error = |e: std::io::Error| Error::KeyFile {
            path: path.to_path_buf(),
            reason: e.to_string(),
        };
        let metadata = std::fs::metadata(path).map_err(io_error)?;
        check_mode(path, &metadata)?;
        let text = std::fs::read_to_string(path).map_err(|e| Error::KeyFile {
            path: path.to_path_buf(),
            reason: if e.kind() == std::io::ErrorKind::InvalidData {
                "not UTF-8 text".into()
            } else {
                e.to_string()
            },
        })?;
        Self::from_hex(&text)
    }

    /// The account this key controls.
    pub fn address(&self) -> Address {
        self.address
    }

    /// Signs a 32-byte prehash (a transaction's signature hash).
    pub(crate) fn sign_hash(&self, hash: &B256) -> Result<Signature> {
        self.key
            .sign_prehash_recoverable(hash.as_slice())
            .map(Signature::from)
            .map_err(|_| Error::InvalidKey {
                reason: "signing failed",
            })
    }
}

#[cfg(unix)]
fn check_mode(path: &Path, metadata: &std::fs::Metadata) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = metadata.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(Error::KeyFileMode {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_mode(_path: &Path, _metadata: &std::fs::Metadata) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anvil::DEV_KEY;

    #[track_caller]
    fn check<T: PartialEq + std::fmt::Debug>(got: T, want: T) {
        assert_eq!(got, want);
    }

    #[test]
    fn dev_key_gives_its_well_known_address() {
        let signer = Signer::from_hex(DEV_KEY).unwrap();
        check(
            signer.address().to_string(),
            "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266".to_string(),
        );
    }

    #[test]
    fn debug_shows_the_address_never_the_key() {
        let shown = format!("{:?}", Signer::from_hex(&format!("{DEV_KEY}\n")).unwrap());
        check(shown.contains("ac0974bec39a17e3"), false);
        check(shown.contains("<redacted>"), true);
    }

    #[test]
    fn malformed_keys_are_refused_without_echoing_them() {
        for bad in [
            &DEV_KEY[2..],
            &DEV_KEY[..60],
            "0xzz0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
            "0x0000000000000000000000000000000000000000000000000000000000000000",
            &format!("{DEV_KEY}\n{DEV_KEY}"),
        ] {
            let error = Signer::from_hex(bad).unwrap_err().to_string();
            check(error.contains("0974bec"), false);
            check(error.starts_with("invalid signing key"), true);
        }
    }
}
