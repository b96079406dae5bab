//! The method table of the wire protocol (docs/SPEC.md), served over a [`Ledger`].
//!
//! Methods are synchronous: SQLite calls take microseconds, and running inline
//! keeps every call of a batch inside the batch's transaction.

use jsonrpsee::types::{ErrorObjectOwned, Params};
use jsonrpsee::{Extensions, RpcModule};
use luxtensor_protocol::{
    Method, BLOCK_NUMBER, CHAIN_ID, GET_BALANCE, GET_TRANSFER, MINT, TOTAL_SUPPLY, TRANSFER,
};
use serde_json::Value;

use super::params::Args;
use crate::auth::Authorization;
use crate::codec::format_quantity;
use crate::error::DevnetError;
use crate::ledger::{Ledger, WriteKind, WriteRequest};

type MethodResult = Result<Value, ErrorObjectOwned>;

/// What serves one method: its params, the ledger, the call's extensions (authorization).
type Handler = fn(&Params<'_>, &Ledger, &Extensions) -> Result<Value, DevnetError>;

/// Each method of the protocol's table (`luxtensor_protocol::METHODS`) and what serves it.
const SERVED: [(Method, Handler); 7] = [
    (CHAIN_ID, chain_id),
    (BLOCK_NUMBER, block_number),
    (GET_BALANCE, get_balance),
    (TOTAL_SUPPLY, total_supply),
    (MINT, mint),
    (TRANSFER, transfer),
    (GET_TRANSFER, get_transfer),
];

/// Builds the RPC module serving every method over `ledger`.
pub fn rpc_module(ledger: Ledger) -> Result<RpcModule<Ledger>, DevnetError> {
    let mut module = RpcModule::new(ledger);
    for (method, handler) in SERVED {
        let name = method.name;
        module
            .register_method(name, move |params, ledger, ext| -> MethodResult {
                handler(&params, ledger, ext).map_err(|error| {
                    tracing::debug!(method = name, %error, "call failed");
                    error.to_rpc_error()
                })
            })
            .map_err(|error| DevnetError::InvalidConfig(error.to_string()))?;
    }
    Ok(module)
}

fn quantity(value: u128) -> Value {
    Value::String(format_quantity(value))
}

fn chain_id(params: &Params<'_>, ledger: &Ledger, _: &Extensions) -> Result<Value, DevnetError> {
    Args::parse(params, CHAIN_ID.params)?;
    Ok(quantity(u128::from(ledger.chain_id())))
}

fn block_number(
    params: &Params<'_>,
    ledger: &Ledger,
    _: &Extensions,
) -> Result<Value, DevnetError> {
    Args::parse(params, BLOCK_NUMBER.params)?;
    Ok(quantity(u128::from(ledger.block_number())))
}

fn get_balance(params: &Params<'_>, ledger: &Ledger, _: &Extensions) -> Result<Value, DevnetError> {
    let args = Args::parse(params, GET_BALANCE.params)?;
    let address = args.address(0, "address")?;
    // Every tag ("latest", "pending", a number) reads the latest state.
    args.optional_text(1, "blockTag")?;
    Ok(quantity(ledger.balance(&address)?))
}

fn total_supply(
    params: &Params<'_>,
    ledger: &Ledger,
    _: &Extensions,
) -> Result<Value, DevnetError> {
    Args::parse(params, TOTAL_SUPPLY.params)?;
    Ok(quantity(ledger.total_supply()))
}

fn require_token(ext: &Extensions) -> Result<(), DevnetError> {
    match ext.get::<Authorization>() {
        Some(Authorization::Granted) => Ok(()),
        _ => Err(DevnetError::Unauthorized),
    }
}

fn mint(params: &Params<'_>, ledger: &Ledger, ext: &Extensions) -> Result<Value, DevnetError> {
    require_token(ext)?;
    let args = Args::parse(params, MINT.params)?;
    let request = WriteRequest {
        kind: WriteKind::Mint,
        from: None,
        to: args.address(0, "to")?,
        amount: args.quantity(1, "amount")?,
        memo: args.memo(3)?,
    };
    let receipt = ledger.apply(request, args.key(2)?.as_deref())?;
    Ok(receipt.to_json())
}

fn transfer(params: &Params<'_>, ledger: &Ledger, ext: &Extensions) -> Result<Value, DevnetError> {
    require_token(ext)?;
    let args = Args::parse(params, TRANSFER.params)?;
    let request = WriteRequest {
        kind: WriteKind::Transfer,
        from: Some(args.address(0, "from")?),
        to: args.address(1, "to")?,
        amount: args.quantity(2, "amount")?,
        memo: None,
    };
    let receipt = ledger.apply(request, args.key(3)?.as_deref())?;
    Ok(receipt.to_json())
}

fn get_transfer(
    params: &Params<'_>,
    ledger: &Ledger,
    _: &Extensions,
) -> Result<Value, DevnetError> {
    let args = Args::parse(params, GET_TRANSFER.params)?;
    let key = args.required_key(0)?;
    Ok(ledger
        .get_write(&key)?
        .map_or(Value::Null, |record| record.to_json()))
}
