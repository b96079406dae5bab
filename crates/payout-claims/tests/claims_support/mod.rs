//! Claims test helpers: a real anvil (killed on drop) with the contracts deployed by anvil's
//! first dev key, senders, hand-built two-leaf trees (keccak directly, as OpenZeppelin's
//! standard tree hashes), and the one `check` helper.
#![allow(dead_code, unreachable_pub)]

use std::path::Path;
use std::time::Duration;

use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{sol, SolCall, SolValue};
use evm_sender::anvil::{self, AnvilConfig};
use evm_sender::{EvmSender, SenderConfig, Signer, TxRequest};
use payout_claims::{revert_reason, ClaimsReader, OpenClaims};
use payout_evm::{Contracts, EvmPayout};
use rpc_resilience::{ResilienceConfig, ResilientClient, RpcError};

/// Anvil's second dev account's key (public test material): a claimant that is not the owner.
pub use evm_sender::anvil::SECOND_DEV_KEY as OTHER_KEY;

sol! {
    /// The push half the tests mix with claims, and the token's balance.
    interface IPush {
        function openEpoch(uint64 epoch, bytes32 planHash, uint256 mintedSupplyBefore, uint256 fromMint) external;
        function payout(uint64 epoch, uint32 chunk, address[] to, uint256[] amounts) external;
        function balanceOf(address account) external view returns (uint256);
    }
}

#[track_caller]
pub fn check<T: PartialEq + std::fmt::Debug>(got: T, want: T) {
    assert_eq!(got, want);
}

/// OpenZeppelin's standard leaf of `(account, amount)`.
pub fn leaf(account: Address, amount: u128) -> B256 {
    keccak256(keccak256((account, U256::from(amount)).abi_encode()))
}

/// Sorted-pair hashing.
pub fn pair(a: B256, b: B256) -> B256 {
    let (low, high) = if a <= b { (a, b) } else { (b, a) };
    keccak256([low.as_slice(), high.as_slice()].concat())
}

/// A two-leaf tree: its root and each leaf's proof (the other leaf).
pub fn two_leaves(a: (Address, u128), b: (Address, u128)) -> (B256, Vec<B256>, Vec<B256>) {
    let (la, lb) = (leaf(a.0, a.1), leaf(b.0, b.1));
    (pair(la, lb), vec![lb], vec![la])
}

/// A fresh account address from a number.
pub fn account(n: u8) -> Address {
    Address::from([n; 20])
}

/// A running anvil, the contracts, and the owner's sender.
pub struct Chain {
    _node: anvil::Anvil,
    pub client: ResilientClient,
    pub contracts: Contracts,
    pub owner: EvmSender,
    pub dir: tempfile::TempDir,
}

fn config() -> SenderConfig {
    let mut config = SenderConfig::new(anvil::CHAIN_ID);
    config.poll_interval = Duration::from_millis(20);
    config.confirm_timeout = Some(Duration::from_secs(30));
    config
}

impl Chain {
    /// Starts anvil and deploys both contracts with the dev key.
    pub async fn start() -> Chain {
        let node = anvil::Anvil::start(&AnvilConfig::default()).unwrap_or_else(|e| panic!("{e}"));
        let client = ResilientClient::builder()
            .endpoint(node.url())
            .config(ResilienceConfig {
                initial_backoff_ms: 10,
                max_backoff_ms: 50,
                ..ResilienceConfig::default()
            })
            .classifier(evm_sender::EvmClassifier)
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let owner = sender(&client, anvil::DEV_KEY, &dir.path().join("owner.sqlite")).await;
        let contracts = EvmPayout::deploy(&owner).await.unwrap();
        Chain {
            _node: node,
            client,
            contracts,
            owner,
            dir,
        }
    }

    /// A sender with another key (its own journal).
    pub async fn other(&self) -> EvmSender {
        sender(
            &self.client,
            OTHER_KEY,
            &self.dir.path().join("other.sqlite"),
        )
        .await
    }

    /// The claims views.
    pub fn reader(&self) -> ClaimsReader {
        ClaimsReader::new(self.owner.reader(), self.contracts.payout)
    }

    /// `balanceOf(who)` on the token.
    pub async fn balance(&self, who: Address) -> u128 {
        let data = IPush::balanceOfCall { account: who }.abi_encode();
        let answer = self.owner.call(self.contracts.token, data).await.unwrap();
        IPush::balanceOfCall::abi_decode_returns(&answer)
            .unwrap()
            .to::<u128>()
    }

    /// Sends `data` to the payout contract from `from` as `op`: `Ok` when mined with
    /// status 1, else the decoded revert reason (read with `eth_call` first: nothing is
    /// sent for a call that reverts).
    pub async fn send(&self, from: &EvmSender, op: &str, data: Bytes) -> Result<(), String> {
        let to = self.contracts.payout;
        call_reason(from, to, data.clone()).await?;
        from.submit(op, TxRequest::call(to, data)).await.unwrap();
        from.wait_confirmed(op)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// `openClaims` from the owner.
    pub async fn open_claims(&self, open: OpenClaims) -> Result<(), String> {
        let op = format!("claims:{}:{}", open.epoch, open.root);
        self.send(&self.owner, &op, open.call_data()).await
    }

    /// `claim` from `from`.
    pub async fn claim(
        &self,
        from: &EvmSender,
        account: Address,
        amount: u128,
        proof: &[B256],
    ) -> Result<(), String> {
        let data = payout_claims::claim_call(account, U256::from(amount), proof);
        let op = format!("claim:{account}:{amount}:{}", keccak256(&data));
        self.send(from, &op, data).await
    }

    /// `openEpoch` (push) from the owner.
    pub async fn open_epoch(&self, epoch: u64, from_mint: u128) -> Result<(), String> {
        let data = IPush::openEpochCall {
            epoch,
            planHash: B256::repeat_byte(0x77),
            mintedSupplyBefore: U256::ZERO,
            fromMint: U256::from(from_mint),
        };
        self.send(
            &self.owner,
            &format!("open:{epoch}"),
            data.abi_encode().into(),
        )
        .await
    }

    /// `payout` of one chunk (push) from the owner.
    pub async fn payout(
        &self,
        epoch: u64,
        chunk: u32,
        to: Address,
        amount: u128,
    ) -> Result<(), String> {
        let data = IPush::payoutCall {
            epoch,
            chunk,
            to: vec![to],
            amounts: vec![U256::from(amount)],
        };
        self.send(
            &self.owner,
            &format!("payout:{epoch}:{chunk}"),
            data.abi_encode().into(),
        )
        .await
    }
}

/// `openClaims` of `epoch` with plan hash `0x11..`, `from_mint` minted, `root`, `total`.
pub fn opening(epoch: u64, from_mint: u128, root: B256, total: u128) -> OpenClaims {
    OpenClaims {
        epoch,
        plan_hash: B256::repeat_byte(0x11),
        minted_supply_before: U256::ZERO,
        from_mint: U256::from(from_mint),
        root,
        cumulative_total: U256::from(total),
    }
}

async fn sender(client: &ResilientClient, key: &str, journal: &Path) -> EvmSender {
    EvmSender::open(
        config(),
        client.clone(),
        Signer::from_hex(key).unwrap(),
        journal,
    )
    .await
    .unwrap()
}

/// The revert reason of `data` to `to` from `from` now (`eth_call`), `Ok` when it succeeds.
async fn call_reason(from: &EvmSender, to: Address, data: Bytes) -> Result<(), String> {
    match from.call(to, data).await {
        Ok(_) => Ok(()),
        Err(evm_sender::Error::Rpc(RpcError::Rpc { message, data, .. })) => Err(data
            .as_ref()
            .and_then(serde_json::Value::as_str)
            .and_then(|text| alloy_primitives::hex::decode(text).ok())
            .and_then(|bytes| revert_reason(&bytes))
            .unwrap_or(message)),
        Err(other) => Err(other.to_string()),
    }
}

/// The name of the error in a revert reason (`NothingToClaim { .. }` -> `NothingToClaim`).
pub fn named(reason: Result<(), String>) -> String {
    let reason = reason.expect_err("expected a revert");
    reason
        .split(|c: char| !c.is_alphanumeric())
        .find(|word| !word.is_empty())
        .unwrap_or_default()
        .to_string()
}

impl Chain {
    /// The claims backend over the contracts, with the dev key, the nonce journal
    /// `<name>.nonces.sqlite` and the claims ledger of the journal `<name>.sqlite` in `dir`.
    pub async fn backend(
        &self,
        dir: &Path,
        name: &str,
        history: payout_claims::ClaimsHistory,
    ) -> payout_claims::ClaimsPayout {
        let evm = EvmPayout::connect(
            config(),
            self.client.clone(),
            Signer::from_hex(anvil::DEV_KEY).unwrap(),
            self.contracts,
            &dir.join(format!("{name}.nonces.sqlite")),
        )
        .await
        .unwrap();
        let journal = dir.join(format!("{name}.sqlite"));
        drop(payout_executor::Journal::open(&journal).unwrap());
        let ledger = payout_journal::ClaimsLedger::open(&journal).unwrap();
        payout_claims::ClaimsPayout::new(evm, ledger, history)
    }

    /// An executor over [`Chain::backend`] with the journal `<name>.sqlite` in `dir`.
    pub async fn executor(
        &self,
        dir: &Path,
        name: &str,
        history: payout_claims::ClaimsHistory,
    ) -> payout_executor::EpochExecutor<payout_claims::ClaimsPayout> {
        let backend = self.backend(dir, name, history).await;
        let journal = payout_executor::Journal::open(&dir.join(format!("{name}.sqlite"))).unwrap();
        payout_executor::EpochExecutor::new(
            tokenomics_core::Params::default(),
            payout_executor::ExecutorConfig::default(),
            backend,
            journal,
        )
    }

    /// The owner's `latest` nonce.
    pub async fn owner_nonce(&self) -> u64 {
        let params = serde_json::json!([self.owner.address().to_string(), "latest"]);
        let hex: String = self
            .client
            .call("eth_getTransactionCount", params)
            .await
            .unwrap();
        u64::from_str_radix(hex.trim_start_matches("0x"), 16).unwrap()
    }
}

/// Runs `epoch` of a synthetic network of `participants` (minted supply from the chain).
pub async fn run(
    executor: &mut payout_executor::EpochExecutor<payout_claims::ClaimsPayout>,
    epoch: u64,
    participants: usize,
) -> Result<payout_executor::EpochReport, payout_executor::ExecutorError> {
    let inputs = tokenomics_core::synthetic_inputs(epoch, participants);
    executor
        .run_epoch(
            inputs,
            payout_executor::MintedSupply::FromChain,
            &mut |_| {},
        )
        .await
}

/// The claims history of synthetic epochs `epochs` of `participants`.
pub fn history(epochs: &[u64], participants: usize) -> payout_claims::ClaimsHistory {
    let mut history = payout_claims::ClaimsHistory::new(tokenomics_core::Params::default());
    for &epoch in epochs {
        history.add(
            tokenomics_core::synthetic_inputs(epoch, participants),
            false,
        );
    }
    history
}
