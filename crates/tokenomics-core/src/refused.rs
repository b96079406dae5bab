//! Recipients a chain would refuse: the one rule, checked before anything is sent.
//!
//! The zero address is refused everywhere (a token refuses to pay it, and coins sent
//! there are lost); a backend adds its own ([`Refused`]: on EVM the token and the payout
//! contract). Errors name the input field (`miners[3].address`, `dao_address`).

use crate::address::Address;
use crate::error::{CoreError, Result};
use crate::inputs::EpochInputs;

/// An address a chain refuses as a recipient, and what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    /// The refused address.
    pub address: Address,
    /// What it is, for the message ("the payout contract").
    pub what: &'static str,
}

/// The all-zero address.
pub const ZERO_ADDRESS: Address = Address::from_bytes([0; 20]);

/// Why `address` cannot receive a payment: the zero address always, else the first of
/// `extra` it is; `None` when it can.
pub fn refusal(address: Address, extra: &[Refused]) -> Option<&'static str> {
    if address == ZERO_ADDRESS {
        return Some("the zero address");
    }
    extra
        .iter()
        .find(|refused| refused.address == address)
        .map(|refused| refused.what)
}

/// Checks every recipient of `inputs` (each category's entries, `community_address`,
/// `dao_address`) against [`refusal`]; the error names the first refused field
/// ([`CoreError::RefusedRecipient`]), whatever its weight.
pub fn check_recipients(inputs: &EpochInputs, extra: &[Refused]) -> Result<()> {
    let check = |name: &str, addresses: &mut dyn Iterator<Item = Address>| match addresses
        .enumerate()
        .find_map(|(index, address)| refusal(address, extra).map(|what| (index, address, what)))
    {
        Some((index, address, what)) => {
            Err(refused(format!("{name}[{index}].address"), address, what))
        }
        None => Ok(()),
    };
    check("miners", &mut inputs.miners.iter().map(|m| m.address))?;
    check(
        "validators",
        &mut inputs.validators.iter().map(|v| v.address),
    )?;
    check(
        "delegators",
        &mut inputs.delegators.iter().map(|d| d.address),
    )?;
    check(
        "subnet_owners",
        &mut inputs.subnet_owners.iter().map(|w| w.address),
    )?;
    check(
        "infrastructure",
        &mut inputs.infrastructure.iter().map(|w| w.address),
    )?;
    for (field, address) in [
        ("community_address", inputs.community_address),
        ("dao_address", inputs.dao_address),
    ] {
        if let Some(what) = refusal(address, extra) {
            return Err(refused(field.to_string(), address, what));
        }
    }
    Ok(())
}

fn refused(field: String, address: Address, what: &'static str) -> CoreError {
    CoreError::RefusedRecipient {
        field,
        address: address.to_string(),
        what,
    }
}
