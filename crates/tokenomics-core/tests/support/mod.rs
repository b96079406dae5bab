//! Builders shared by the tokenomics-core tests: addresses, amounts and small networks.
#![allow(dead_code, unreachable_pub)]

use tokenomics_core::{Address, Amount, EpochInputs, Fees, Fraction, Miner, Validator};

/// The address whose last 8 bytes are `n` (distinct for distinct `n`).
pub fn addr(n: u64) -> Address {
    let mut bytes = [0u8; 20];
    bytes[12..].copy_from_slice(&n.to_be_bytes());
    Address::from_bytes(bytes)
}

/// `text` MDT.
pub fn mdt(text: &str) -> Amount {
    text.parse().unwrap()
}

/// The fraction written `text`.
pub fn frac(text: &str) -> Fraction {
    text.parse().unwrap()
}

/// Inputs for `epoch` with utility `u`, quality 0.5, one miner and one validator.
pub fn inputs(epoch: u64, u: &str) -> EpochInputs {
    EpochInputs {
        epoch,
        minted_supply: Amount::ZERO,
        recycling_pool: Amount::ZERO,
        utility_score: Some(frac(u)),
        network: None,
        quality_score: Fraction::HALF,
        fees: Fees::default(),
        miners: vec![Miner {
            address: addr(1),
            score: Fraction::ONE,
        }],
        validators: vec![Validator {
            address: addr(2),
            stake: mdt("100"),
        }],
        delegators: vec![],
        subnet_owners: vec![],
        infrastructure: vec![],
        community_address: addr(0xc0),
        dao_address: addr(0xd0),
    }
}
