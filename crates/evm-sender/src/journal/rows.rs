//! Reading journal rows back into types, and the integer conversions SQLite needs.

use std::str::FromStr;

use alloy_primitives::{Address, Bytes, B256, U256};
use rusqlite::Row;

use super::{OpRecord, OpState};
use crate::{Confirmation, Error, Result, TxRequest};

pub(super) const SELECT_OP: &str =
    "SELECT op_id, nonce, to_addr, data, value, fixed_gas_limit, state,
    tx_hash, block_number, block_hash, gas_used, contract_address FROM ops";

pub(super) fn read_op(r: &Row<'_>) -> rusqlite::Result<OpRecord> {
    let to: Option<String> = r.get(2)?;
    let fixed: Option<i64> = r.get(5)?;
    let state: String = r.get(6)?;
    let confirmation = || -> rusqlite::Result<Confirmation> {
        let hash = |i: usize| -> rusqlite::Result<B256> {
            B256::try_from(r.get::<_, Vec<u8>>(i)?.as_slice()).map_err(|e| conversion(i, e))
        };
        let contract: Option<String> = r.get(11)?;
        Ok(Confirmation {
            tx_hash: hash(7)?,
            block_number: parse_int(r, 8)?,
            block_hash: hash(9)?,
            gas_used: parse_int(r, 10)?,
            contract_address: contract
                .map(|a| Address::from_str(&a).map_err(|e| conversion(11, e)))
                .transpose()?,
        })
    };
    Ok(OpRecord {
        op_id: r.get(0)?,
        nonce: parse_int(r, 1)?,
        request: TxRequest {
            to: to
                .map(|a| Address::from_str(&a).map_err(|e| conversion(2, e)))
                .transpose()?,
            data: Bytes::from(r.get::<_, Vec<u8>>(3)?),
            value: parse_col::<U256>(r, 4)?,
            gas_limit: fixed
                .map(|g| u64::try_from(g).map_err(|e| conversion(5, e)))
                .transpose()?,
        },
        state: match state.as_str() {
            "confirmed" => OpState::Confirmed(confirmation()?),
            "reverted" => OpState::Reverted(confirmation()?),
            _ => OpState::Pending,
        },
        attempts: Vec::new(),
    })
}

pub(super) fn conversion<E: std::error::Error + Send + Sync + 'static>(
    i: usize,
    e: E,
) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Blob, Box::new(e))
}

pub(super) fn parse_col<T: FromStr>(r: &Row<'_>, i: usize) -> rusqlite::Result<T>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    r.get::<_, String>(i)?.parse().map_err(|e| conversion(i, e))
}

pub(super) fn parse_int(r: &Row<'_>, i: usize) -> rusqlite::Result<u64> {
    u64::try_from(r.get::<_, i64>(i)?).map_err(|e| conversion(i, e))
}

pub(super) fn to_u64(n: i64) -> Result<u64> {
    u64::try_from(n).map_err(|_| Error::Journal(rusqlite::Error::IntegralValueOutOfRange(0, n)))
}

pub(super) fn to_i64(n: u64) -> Result<i64> {
    i64::try_from(n).map_err(|_| Error::InvalidConfig {
        field: "nonce",
        reason: format!("{n} does not fit the journal"),
    })
}
