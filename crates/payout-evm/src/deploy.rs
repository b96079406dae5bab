//! Deploying the two contracts from the checked-in artifacts: `MDTToken`, then
//! `EpochPayout(token, signer)`, then the token's ownership handed to the payout contract,
//! each done when the chain shows it (`follow.rs`).

use alloy_primitives::{Address, Bytes};
use alloy_sol_types::{SolCall, SolValue};
use evm_sender::{EvmSender, TxRequest};

use crate::abi::{creation_code, IMDTToken, PAYOUT_ARTIFACT, TOKEN_ARTIFACT};
use crate::error::EvmError;
use crate::follow::{Ended, Follow, Proof, Tracked};
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
    /// the token's ownership to the payout contract, each step done before the next when
    /// the chain shows it `confirmations` deep (`follow.rs`: a contract answering `owner()`
    /// at the address of the account and the operation's nonce; the token owned by the
    /// payout contract), never by a receipt or a block hash, so a node answering zero block
    /// hashes deploys too. Idempotent per sender journal: run again, it returns the same
    /// contracts and sends only what the chain does not show.
    pub async fn deploy(sender: &EvmSender) -> Result<Contracts> {
        let follow = Follow::for_deploy(sender);
        let token_code = creation_code("MDTToken", TOKEN_ARTIFACT)?;
        let token = follow
            .deployed(DEPLOY_TOKEN, TxRequest::deploy(token_code), Proof::Created)
            .await?;
        let token = created_at(sender, DEPLOY_TOKEN, &token)?;

        let mut payout_code = creation_code("EpochPayout", PAYOUT_ARTIFACT)?.to_vec();
        payout_code.extend((token, sender.address()).abi_encode_params());
        let request = TxRequest::deploy(payout_code);
        let payout = follow
            .deployed(DEPLOY_PAYOUT, request, Proof::Created)
            .await?;
        let payout = created_at(sender, DEPLOY_PAYOUT, &payout)?;

        let handover = IMDTToken::transferOwnershipCall { newOwner: payout }.abi_encode();
        let request = TxRequest::call(token, Bytes::from(handover));
        let proof = Proof::OwnedBy(token, payout);
        follow.deployed(DEPLOY_OWNERSHIP, request, proof).await?;
        Ok(Contracts { token, payout })
    }
}

impl Follow<'_> {
    /// Sends `base`'s operation (or picks up an earlier run's) and follows it until the
    /// chain shows `proof`; the operation that did it.
    async fn deployed(
        &self,
        base: &'static str,
        request: TxRequest,
        proof: Proof<'_>,
    ) -> Result<Tracked> {
        let ended = match self.start(base, request, 0).await? {
            Ok(mut tracked) => match self.until_shown(&mut tracked, proof).await? {
                Ended::Shown(_) => return Ok(tracked),
                ended => ended,
            },
            Err(ended) => ended,
        };
        Err(match ended {
            Ended::Failed(error) => crate::error::sender(error),
            Ended::GaveUp(attempts) => EvmError::NotDeployed {
                what: base,
                attempts,
            }
            .into(),
            // Not reached: shown returned above.
            Ended::Shown(_) => EvmError::NotDeployed {
                what: base,
                attempts: 0,
            }
            .into(),
        })
    }
}

/// The address `tracked`'s contract creation has (the account and the operation's nonce).
fn created_at(sender: &EvmSender, op_id: &'static str, tracked: &Tracked) -> Result<Address> {
    tracked.created_address(sender.address()).ok_or_else(|| {
        EvmError::Malformed {
            call: "eth_sendRawTransaction",
            reason: format!("{op_id}: no nonce journaled"),
        }
        .into()
    })
}
