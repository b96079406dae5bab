//! [`TxRequest`] (what to send) and the signing of a legacy EIP-155 transaction into its raw
//! bytes and hash, through alloy's consensus types (no hand-rolled RLP).

use alloy_consensus::{SignableTransaction, TxLegacy};
use alloy_eips::eip2718::Encodable2718;
use alloy_primitives::{Address, Bytes, TxKind, B256, U256};

use crate::{Result, Signer};

/// What an operation sends: a call, a value transfer, or a contract creation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxRequest {
    /// The recipient; `None` creates a contract from `data`.
    pub to: Option<Address>,
    /// Call data (or init code).
    pub data: Bytes,
    /// Wei sent along.
    pub value: U256,
    /// A fixed gas limit instead of `eth_estimateGas` with its margin (still capped).
    pub gas_limit: Option<u64>,
}

impl TxRequest {
    /// A call of `to` with `data`, no value.
    pub fn call(to: Address, data: impl Into<Bytes>) -> Self {
        Self {
            to: Some(to),
            data: data.into(),
            value: U256::ZERO,
            gas_limit: None,
        }
    }

    /// A plain value transfer.
    pub fn transfer(to: Address, value: U256) -> Self {
        Self {
            to: Some(to),
            data: Bytes::new(),
            value,
            gas_limit: None,
        }
    }

    /// A contract creation from `init_code`.
    pub fn deploy(init_code: impl Into<Bytes>) -> Self {
        Self {
            to: None,
            data: init_code.into(),
            value: U256::ZERO,
            gas_limit: None,
        }
    }

    /// The same request with `value` wei attached.
    pub fn with_value(mut self, value: U256) -> Self {
        self.value = value;
        self
    }

    /// The same request with a fixed gas limit (no estimate).
    pub fn with_gas_limit(mut self, gas_limit: u64) -> Self {
        self.gas_limit = Some(gas_limit);
        self
    }

    pub(crate) fn kind(&self) -> TxKind {
        self.to.map_or(TxKind::Create, TxKind::Call)
    }
}

/// One signed transaction: the exact bytes sent, and their hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedTx {
    /// The transaction hash (keccak of `raw`).
    pub hash: B256,
    /// The raw signed bytes, as `eth_sendRawTransaction` takes them.
    pub raw: Bytes,
}

/// The fields fixed when an operation is journaled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TxParams {
    pub(crate) chain_id: u64,
    pub(crate) nonce: u64,
    pub(crate) gas_price: u128,
    pub(crate) gas_limit: u64,
}

/// Signs `request` as a legacy EIP-155 (type 0) transaction.
pub(crate) fn sign_legacy(
    signer: &Signer,
    request: &TxRequest,
    params: TxParams,
) -> Result<SignedTx> {
    let tx = TxLegacy {
        chain_id: Some(params.chain_id),
        nonce: params.nonce,
        gas_price: params.gas_price,
        gas_limit: params.gas_limit,
        to: request.kind(),
        value: request.value,
        input: request.data.clone(),
    };
    let signature = signer.sign_hash(&tx.signature_hash())?;
    let signed = tx.into_signed(signature);
    Ok(SignedTx {
        hash: *signed.hash(),
        raw: Bytes::from(signed.encoded_2718()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check<T: PartialEq + std::fmt::Debug>(got: T, want: T) {
        assert_eq!(got, want);
    }

    #[test]
    fn legacy_signing_matches_the_eip155_reference_vector() {
        // EIP-155's example: nonce 9, 20 gwei, 21000 gas, 1 ether to 0x3535.., chain 1;
        // the key is the spec's published test key, not a secret.
        let signer =
            Signer::from_hex("0x4646464646464646464646464646464646464646464646464646464646464646")
                .unwrap();
        let to: Address = "0x3535353535353535353535353535353535353535"
            .parse()
            .unwrap();
        let request = TxRequest::transfer(to, U256::from(10u128.pow(18)));
        let params = TxParams {
            chain_id: 1,
            nonce: 9,
            gas_price: 20_000_000_000,
            gas_limit: 21_000,
        };
        let signed = sign_legacy(&signer, &request, params).unwrap();
        check(
            alloy_primitives::hex::encode(&signed.raw),
            "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83".to_string(),
        );
    }
}
