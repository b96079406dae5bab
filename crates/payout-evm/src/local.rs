//! The rules of a payout run on EVM that are not flags: where the sender's nonce journal
//! lives, how a fresh local anvil is started, and how fresh contracts are deployed on it.

use std::path::{Path, PathBuf};

use evm_sender::anvil::{self, AnvilConfig};
use evm_sender::{EvmSender, SenderConfig, Signer};
use payout_executor::Result;
use rpc_resilience::ResilientClient;

use crate::deploy::Contracts;
use crate::error::sender;
use crate::EvmPayout;

/// The EVM sender's nonce journal of the tokenomics journal `journal`: beside it, its
/// extension replaced by `nonces.sqlite` (`journal.sqlite` -> `journal.nonces.sqlite`).
pub fn nonce_journal(journal: &Path) -> PathBuf {
    journal.with_extension("nonces.sqlite")
}

/// A fresh local anvil for a run with `confirmations`: anvil mines a block per
/// transaction, so a receipt more than one block deep needs blocks that come on their own
/// (`--block-time 1`).
pub fn local_anvil(chain_id: Option<u64>, confirmations: u64) -> AnvilConfig {
    let block_time = (confirmations > 1).then(|| vec!["--block-time".to_string(), "1".to_string()]);
    AnvilConfig {
        chain_id,
        args: block_time.unwrap_or_default(),
        ..AnvilConfig::default()
    }
}

/// Deploys fresh contracts with anvil's first dev key, journaling its transactions in the
/// nonce journal of `journal`; returns them and that key, which then owns the payout
/// contract.
pub async fn deploy_with_dev_key(
    config: SenderConfig,
    client: ResilientClient,
    journal: &Path,
) -> Result<(Contracts, Signer)> {
    let signer = Signer::from_hex(anvil::DEV_KEY).map_err(sender)?;
    let deployer = EvmSender::open(config, client, signer.clone(), &nonce_journal(journal))
        .await
        .map_err(sender)?;
    let contracts = EvmPayout::deploy(&deployer).await?;
    Ok((contracts, signer))
}
