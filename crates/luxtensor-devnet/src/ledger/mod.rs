//! The SQLite ledger: balances, supply, block number and applied writes.
//!
//! A file ledger belongs to one node at a time (`lock.rs`). One connection behind a
//! mutex; every write is its own transaction, or runs inside the batch transaction
//! that [`BatchTx`] holds open, so a JSON-RPC batch commits once: its refused writes
//! leave nothing behind and the others commit; only a storage failure rolls the
//! whole batch back. Amounts are u128 stored as decimal TEXT (SQLite's INTEGER is
//! only i64). Block number and total supply are cached in memory and rebuilt from
//! the `txs` table whenever a transaction rolls back.

mod apply;
mod batch;
mod record;
mod schema;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, OptionalExtension};

pub use batch::BatchTx;
pub use record::{Receipt, WriteKind, WriteRecord, WriteRequest};

use crate::codec::parse_address;
use crate::config::LedgerPath;
use crate::error::DevnetError;

/// The ledger; cheap to clone (clones share one database).
#[derive(Debug, Clone)]
pub struct Ledger {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    /// Held by whoever owns the connection for a whole request or batch.
    gate: Arc<tokio::sync::Mutex<()>>,
    max_supply: u128,
    chain_id: u64,
    /// One node per ledger file: held while any clone of the ledger lives.
    _lock: Option<pid_lock::PidLock>,
}

#[derive(Debug)]
struct State {
    conn: Connection,
    in_batch: bool,
    /// Why the open batch must roll back, once a write failed half-way inside it.
    batch_poisoned: Option<String>,
    block_number: u64,
    total_supply: u128,
}

impl Ledger {
    /// Opens (or creates) the ledger at `path` with the given cap and chain id.
    ///
    /// A file ledger is locked first (`<file>.lock`, see [`DevnetError::LedgerInUse`])
    /// so no second node opens it while this one lives; a ledger whose supply is
    /// already above `max_supply` is refused ([`DevnetError::SupplyAboveCap`]).
    pub fn open(path: &LedgerPath, max_supply: u128, chain_id: u64) -> Result<Ledger, DevnetError> {
        let lock = match path {
            LedgerPath::Memory => None,
            LedgerPath::File(file) => {
                Some(pid_lock::PidLock::acquire(file).map_err(DevnetError::from)?)
            }
        };
        let conn = schema::open(path)?;
        let (block_number, total_supply) = schema::load_totals(&conn)?;
        if total_supply > max_supply {
            return Err(DevnetError::SupplyAboveCap {
                total_supply,
                max_supply,
            });
        }
        Ok(Ledger {
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    conn,
                    in_batch: false,
                    batch_poisoned: None,
                    block_number,
                    total_supply,
                }),
                gate: Arc::new(tokio::sync::Mutex::new(())),
                max_supply,
                chain_id,
                _lock: lock,
            }),
        })
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves SQLite consistent (the open
        // transaction is rolled back by the next BEGIN failing or by the batch guard).
        self.shared
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The chain id this ledger answers `eth_chainId` with.
    pub fn chain_id(&self) -> u64 {
        self.shared.chain_id
    }

    /// The cap on total supply, in base units.
    pub fn max_supply(&self) -> u128 {
        self.shared.max_supply
    }

    /// Sum of all mints, in base units.
    pub fn total_supply(&self) -> u128 {
        self.state().total_supply
    }

    /// Number of writes applied so far (each advances it by one).
    pub fn block_number(&self) -> u64 {
        self.state().block_number
    }

    /// Balance of `address` (any case), in base units.
    pub fn balance(&self, address: &str) -> Result<u128, DevnetError> {
        let address = parse_address("address", address)?;
        let state = self.state();
        apply::read_balance(&state.conn, &address)
    }

    /// Sum of every stored balance (equals [`Ledger::total_supply`] at all times).
    pub fn sum_of_balances(&self) -> Result<u128, DevnetError> {
        let state = self.state();
        let mut stmt = state
            .conn
            .prepare_cached("SELECT amount FROM balances")
            .map_err(DevnetError::storage("reading balances"))?;
        let amounts = stmt
            .query_map([], |row| row.get::<_, String>(0))
            .map_err(DevnetError::storage("reading balances"))?;
        let mut sum: u128 = 0;
        for amount in amounts {
            let amount =
                schema::decode_amount(&amount.map_err(DevnetError::storage("reading balances"))?)?;
            sum = sum
                .checked_add(amount)
                .ok_or_else(|| DevnetError::CorruptLedger("balances overflow u128".into()))?;
        }
        Ok(sum)
    }

    /// Mints `amount` to `to`; replaying `key` with the same params answers the first receipt.
    pub fn mint(&self, to: &str, amount: u128, key: Option<&str>) -> Result<Receipt, DevnetError> {
        let request = WriteRequest {
            kind: WriteKind::Mint,
            from: None,
            to: parse_address("to", to)?,
            amount,
            memo: None,
        };
        self.apply(request, key)
    }

    /// Moves `amount` from `from` to `to`; same replay rule as [`Ledger::mint`].
    pub fn transfer(
        &self,
        from: &str,
        to: &str,
        amount: u128,
        key: Option<&str>,
    ) -> Result<Receipt, DevnetError> {
        let request = WriteRequest {
            kind: WriteKind::Transfer,
            from: Some(parse_address("from", from)?),
            to: parse_address("to", to)?,
            amount,
            memo: None,
        };
        self.apply(request, key)
    }

    /// The write applied under `key`, if any.
    pub fn get_write(&self, key: &str) -> Result<Option<WriteRecord>, DevnetError> {
        let state = self.state();
        apply::find_by_key(&state.conn, key)
    }

    /// Applies one write in its own transaction, or inside the open batch transaction.
    ///
    /// Direct calls are for setup and checks; made while the server is inside a
    /// JSON-RPC batch, the write joins that batch's transaction.
    pub fn apply(&self, request: WriteRequest, key: Option<&str>) -> Result<Receipt, DevnetError> {
        let mut state = self.state();
        let state = &mut *state;
        let totals = (state.block_number, state.total_supply);
        let (chain_id, max_supply) = (self.shared.chain_id, self.shared.max_supply);
        if state.in_batch {
            // Every refusal (balance, supply, conflict) is decided before the first
            // statement that writes, so a refused write leaves nothing behind and
            // needs no savepoint. Any other error may strike half-way: it poisons
            // the batch, which then rolls back whole.
            let outcome = apply::apply(&state.conn, chain_id, max_supply, totals, &request, key);
            return match outcome {
                Ok((receipt, totals)) => {
                    (state.block_number, state.total_supply) = totals;
                    Ok(receipt)
                }
                Err(error) => {
                    if matches!(
                        error,
                        DevnetError::Storage { .. } | DevnetError::CorruptLedger(_)
                    ) {
                        state
                            .batch_poisoned
                            .get_or_insert_with(|| error.to_string());
                    }
                    Err(error)
                }
            };
        }
        run_cached(&state.conn, "BEGIN IMMEDIATE")
            .map_err(DevnetError::storage("starting a write"))?;
        let outcome = apply::apply(&state.conn, chain_id, max_supply, totals, &request, key)
            .and_then(|applied| {
                run_cached(&state.conn, "COMMIT")
                    .map_err(DevnetError::storage("committing a write"))?;
                Ok(applied)
            });
        match outcome {
            Ok((receipt, totals)) => {
                (state.block_number, state.total_supply) = totals;
                Ok(receipt)
            }
            Err(error) => {
                // The write left nothing behind; if even the rollback fails, the
                // cached totals are rebuilt from what SQLite holds.
                if state.conn.execute_batch("ROLLBACK").is_err() {
                    reload(state)?;
                }
                Err(error)
            }
        }
    }

    /// Waits for sole use of the ledger for one request.
    pub(crate) async fn exclusive(&self) -> tokio::sync::OwnedMutexGuard<()> {
        self.shared.gate.clone().lock_owned().await
    }

    /// Waits for sole use of the ledger and opens a transaction for a whole batch.
    pub async fn begin_batch(&self) -> Result<BatchTx, DevnetError> {
        let gate = self.exclusive().await;
        BatchTx::begin(self.clone(), gate)
    }
}

/// Runs one statement through the prepared-statement cache (BEGIN/COMMIT run per write).
fn run_cached(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([])?;
    Ok(())
}

/// Rebuilds the cached totals from the `txs` table.
fn reload(state: &mut State) -> Result<(), DevnetError> {
    (state.block_number, state.total_supply) = schema::load_totals(&state.conn)?;
    Ok(())
}

/// Reads one optional TEXT column by a key (shared by the read helpers).
fn query_text(conn: &Connection, sql: &str, key: &str) -> Result<Option<String>, DevnetError> {
    conn.prepare_cached(sql)
        .and_then(|mut stmt| {
            stmt.query_row([key], |row| row.get::<_, String>(0))
                .optional()
        })
        .map_err(DevnetError::storage("reading the ledger"))
}
