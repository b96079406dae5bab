//! The rules of one write: idempotent replay, max supply, no overdraft.
//!
//! Runs inside a transaction opened by the caller; it decides every refusal before
//! its first write, and returns the new totals for the caller to cache after commit.

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use super::query_text;
use super::record::{Receipt, WriteKind, WriteRecord, WriteRequest};
use super::schema::decode_amount;
use crate::error::DevnetError;

/// Applies `request` (or replays `key`); returns its receipt and the new (block, supply).
pub(super) fn apply(
    conn: &Connection,
    chain_id: u64,
    max_supply: u128,
    (block_number, total_supply): (u64, u128),
    request: &WriteRequest,
    key: Option<&str>,
) -> Result<(Receipt, (u64, u128)), DevnetError> {
    if let Some(key) = key {
        if let Some(found) = find_by_key(conn, key)? {
            return if found.request == *request {
                Ok((found.receipt, (block_number, total_supply)))
            } else {
                Err(DevnetError::IdempotencyConflict {
                    key: key.to_owned(),
                })
            };
        }
    }
    let mut supply = total_supply;
    match (&request.kind, &request.from) {
        (WriteKind::Mint, _) => {
            supply = total_supply
                .checked_add(request.amount)
                .filter(|after| *after <= max_supply)
                .ok_or(DevnetError::MaxSupplyExceeded {
                    total_supply,
                    amount: request.amount,
                    max_supply,
                })?;
        }
        (WriteKind::Transfer, Some(from)) => {
            let balance = read_balance(conn, from)?;
            let left = balance.checked_sub(request.amount).ok_or_else(|| {
                DevnetError::InsufficientBalance {
                    address: from.clone(),
                    balance,
                    amount: request.amount,
                }
            })?;
            write_balance(conn, from, left)?;
        }
        (WriteKind::Transfer, None) => return Err(DevnetError::invalid("from", "missing")),
    }
    let to_balance = read_balance(conn, &request.to)?;
    // Every balance is part of the total supply, itself a u128; a sum past it means
    // the ledger is corrupt rather than that the request is wrong.
    let credited = to_balance
        .checked_add(request.amount)
        .ok_or_else(|| DevnetError::CorruptLedger("balance overflows u128".into()))?;
    write_balance(conn, &request.to, credited)?;

    let block = block_number + 1;
    let receipt = Receipt {
        tx_hash: tx_hash(chain_id, block, request, key),
        block_number: block,
    };
    conn.prepare_cached(
        "INSERT INTO txs (block_number, idempotency_key, kind, from_addr, to_addr, amount, tx_hash, memo)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            i64::try_from(block).unwrap_or(i64::MAX),
            key,
            request.kind.as_str(),
            request.from,
            request.to,
            request.amount.to_string(),
            receipt.tx_hash,
            request.memo,
        ])
    })
    .map_err(DevnetError::storage("recording a write"))?;
    Ok((receipt, (block, supply)))
}

/// Balance of a lowercase address (0 when never credited).
pub(super) fn read_balance(conn: &Connection, address: &str) -> Result<u128, DevnetError> {
    match query_text(
        conn,
        "SELECT amount FROM balances WHERE address = ?1",
        address,
    )? {
        Some(text) => decode_amount(&text),
        None => Ok(0),
    }
}

fn write_balance(conn: &Connection, address: &str, amount: u128) -> Result<(), DevnetError> {
    conn.prepare_cached(
        "INSERT INTO balances (address, amount) VALUES (?1, ?2)
         ON CONFLICT(address) DO UPDATE SET amount = excluded.amount",
    )
    .and_then(|mut stmt| stmt.execute(params![address, amount.to_string()]))
    .map_err(DevnetError::storage("writing a balance"))?;
    Ok(())
}

/// The write recorded under an idempotency key.
pub(super) fn find_by_key(
    conn: &Connection,
    key: &str,
) -> Result<Option<WriteRecord>, DevnetError> {
    let row = conn
        .prepare_cached(
            "SELECT kind, from_addr, to_addr, amount, tx_hash, block_number, memo
             FROM txs WHERE idempotency_key = ?1",
        )
        .and_then(|mut stmt| {
            stmt.query_row([key], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, Option<String>>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, i64>(5)?,
                    row.get::<_, Option<String>>(6)?,
                ))
            })
            .optional()
        })
        .map_err(DevnetError::storage("looking up an idempotency key"))?;
    let Some((kind, from, to, amount, tx_hash, block, memo)) = row else {
        return Ok(None);
    };
    let kind = match kind.as_str() {
        "mint" => WriteKind::Mint,
        "transfer" => WriteKind::Transfer,
        other => {
            return Err(DevnetError::CorruptLedger(format!(
                "unknown write kind {other:?}"
            )))
        }
    };
    Ok(Some(WriteRecord {
        request: WriteRequest {
            kind,
            from,
            to,
            amount: decode_amount(&amount)?,
            memo,
        },
        receipt: Receipt {
            tx_hash,
            block_number: u64::try_from(block).map_err(|_| {
                DevnetError::CorruptLedger(format!("negative block number {block}"))
            })?,
        },
    }))
}

/// "0x" + SHA-256 over the chain, block, request and key: unique per applied write.
fn tx_hash(chain_id: u64, block: u64, request: &WriteRequest, key: Option<&str>) -> String {
    let mut hasher = Sha256::new();
    hasher.update(format!(
        "{chain_id}|{block}|{}|{}|{}|{}|{}|{}",
        request.kind.as_str(),
        request.from.as_deref().unwrap_or(""),
        request.to,
        request.amount,
        key.unwrap_or(""),
        request.memo.as_deref().unwrap_or(""),
    ));
    format!("0x{}", hex::encode(hasher.finalize()))
}
