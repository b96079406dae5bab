//! Deploying the two contracts from the checked-in artifacts: `MDTToken`, then
//! `EpochPayout(token, signer)`, then the token's ownership handed to the payout contract.

use alloy_primitives::{Address, Bytes};
use alloy_sol_types::{SolCall, SolValue};
use evm_sender::{EvmSender, TxRequest};

use crate::abi::{creation_code, IMDTToken, PAYOUT_ARTIFACT, TOKEN_ARTIFACT};
use crate::error::EvmError;
use crate::EvmPayout;
use payout_executor::Result;

/// The addresses of the token and of its payout contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contracts {
    /// `MDTToken`.
    pub token: Address,
    /// `EpochPayout`, the token's owner.
    pub payout: Address,
}

/// Operation ids of the deployment, each sent once per sender journal.
const DEPLOY_TOKEN: &str = "deploy:token";
const DEPLOY_PAYOUT: &str = "deploy:payout";
const DEPLOY_OWNERSHIP: &str = "deploy:ownership";

impl EvmPayout {
    /// Deploys `MDTToken` and `EpochPayout` (owned by the sender's account) and transfers
    /// the token's ownership to the payout contract, each step confirmed before the next.
    /// Idempotent per sender journal: run again, it returns the same contracts and sends
    /// only what was not confirmed.
    pub async fn deploy(sender: &EvmSender) -> Result<Contracts> {
        let token_code = creation_code("MDTToken", TOKEN_ARTIFACT)?;
        let token = created(sender, DEPLOY_TOKEN, TxRequest::deploy(token_code)).await?;

        let mut payout_code = creation_code("EpochPayout", PAYOUT_ARTIFACT)?.to_vec();
        payout_code.extend((token, sender.address()).abi_encode_params());
        let payout = created(sender, DEPLOY_PAYOUT, TxRequest::deploy(payout_code)).await?;

        let handover = IMDTToken::transferOwnershipCall { newOwner: payout }.abi_encode();
        sender
            .submit(
                DEPLOY_OWNERSHIP,
                TxRequest::call(token, Bytes::from(handover)),
            )
            .await
            .map_err(crate::error::sender)?;
        sender
            .wait_confirmed(DEPLOY_OWNERSHIP)
            .await
            .map_err(crate::error::sender)?;
        Ok(Contracts { token, payout })
    }
}

/// Sends a contract creation and returns the created address once confirmed.
async fn created(sender: &EvmSender, op_id: &'static str, request: TxRequest) -> Result<Address> {
    sender
        .submit(op_id, request)
        .await
        .map_err(crate::error::sender)?;
    let done = sender
        .wait_confirmed(op_id)
        .await
        .map_err(crate::error::sender)?;
    Ok(done.contract_address.ok_or_else(|| EvmError::Malformed {
        call: "eth_getTransactionReceipt",
        reason: format!(
            "{op_id}: the receipt of {} has no contractAddress",
            done.tx_hash
        ),
    })?)
}
