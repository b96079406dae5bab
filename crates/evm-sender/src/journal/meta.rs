//! The journal's `meta` rows: the chain and sender it is bound to (block 0's hash too),
//! and a recorded use of a nonce by a transaction it does not know.

use alloy_primitives::{Address, B256};
use rusqlite::{params, OptionalExtension};

use super::Journal;
use crate::{Error, Result};

impl Journal {
    /// Binds the journal to one chain and sender, or checks that it already is.
    pub(crate) fn bind(&self, chain_id: u64, sender: Address) -> Result<()> {
        for (key, value) in [
            ("chain_id", chain_id.to_string()),
            ("sender", sender.to_string()),
        ] {
            self.conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES (?1, ?2)",
                params![key, value],
            )?;
            let stored: String =
                self.conn
                    .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))?;
            if stored != value {
                return Err(Error::JournalMismatch {
                    field: if key == "chain_id" {
                        "chain_id"
                    } else {
                        "sender"
                    },
                    journal: stored,
                    actual: value,
                });
            }
        }
        Ok(())
    }

    /// Binds the journal to the chain whose block 0 is `genesis`, or checks that it already
    /// is: `Some(recorded)` when the journal was written on another chain. A journal from
    /// before this check gets the node's identity on its first open.
    pub(crate) fn bind_genesis(&self, genesis: B256) -> Result<Option<String>> {
        let value = genesis.to_string();
        self.conn.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('genesis', ?1)",
            [&value],
        )?;
        let stored: String =
            self.conn
                .query_row("SELECT value FROM meta WHERE key = 'genesis'", [], |r| {
                    r.get(0)
                })?;
        Ok((stored != value).then_some(stored))
    }

    /// Records that `nonce` was taken by a transaction the journal does not know: every later
    /// open or submit looks at it again and refuses while it stands (see
    /// `EvmSender::check_nonces`).
    pub(crate) fn mark_foreign(&self, nonce: u64, chain_nonce: u64) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('foreign_nonce', ?1)",
            [format!("{nonce} {chain_nonce}")],
        )?;
        Ok(())
    }

    /// The foreign use recorded by [`Journal::mark_foreign`], if any.
    pub(crate) fn foreign(&self) -> Result<Option<(u64, u64)>> {
        let value: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'foreign_nonce'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(value.and_then(|v| {
            let (nonce, chain) = v.split_once(' ')?;
            Some((nonce.parse().ok()?, chain.parse().ok()?))
        }))
    }

    /// Removes the record of [`Journal::mark_foreign`].
    pub(crate) fn clear_foreign(&self) -> Result<()> {
        self.conn
            .execute("DELETE FROM meta WHERE key = 'foreign_nonce'", [])?;
        Ok(())
    }
}
