//! EVM test helpers: a real anvil on 127.0.0.1 (killed on drop), the contracts deployed
//! with anvil's first dev key, a backend over them, plans, and the one `check` helper.
#![allow(dead_code, unreachable_pub)]

pub mod storage;
pub mod zero_hashes;

use std::path::Path;
use std::time::Duration;

use evm_sender::anvil::{self, AnvilConfig};
use evm_sender::{Address, EvmSender, SenderConfig, Signer};
use payout_evm::{Contracts, EvmPayout};
use payout_executor::{ExecutorError, Opening};
use rpc_resilience::{ResilienceConfig, ResilientClient};
use serde_json::json;
use tokenomics_core::{Amount, EpochInputs, EpochPlan, Params};

/// Anvil's first dev key (public test material).
pub const DEV_KEY: &str = anvil::DEV_KEY;
/// Anvil's chain id.
pub const CHAIN_ID: u64 = anvil::CHAIN_ID;

#[track_caller]
pub fn check<T: PartialEq + std::fmt::Debug>(got: T, want: T) {
    assert_eq!(got, want);
}

/// A running anvil (killed on drop) and a client to it.
pub struct Anvil {
    _node: anvil::Anvil,
    pub client: ResilientClient,
}

impl Anvil {
    /// Starts anvil; panics naming where it looked when it is missing (a test that needs
    /// anvil carries `#[cfg_attr(anvil_missing, ignore = ...)]`: see the `test-anvil` crate).
    pub fn start() -> Anvil {
        let node = anvil::Anvil::start(&AnvilConfig::default()).unwrap_or_else(|e| panic!("{e}"));
        let config = ResilienceConfig {
            initial_backoff_ms: 10,
            max_backoff_ms: 50,
            ..ResilienceConfig::default()
        };
        let client = ResilientClient::builder()
            .endpoint(node.url())
            .config(config)
            .classifier(evm_sender::EvmClassifier)
            .build()
            .unwrap();
        Anvil {
            _node: node,
            client,
        }
    }

    /// Calls `method` and returns the raw result.
    pub async fn rpc(&self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.client.call(method, params).await.expect(method)
    }

    /// The account's `latest` nonce.
    pub async fn nonce(&self, who: Address) -> u64 {
        self.nonce_at(who, "latest").await
    }

    /// The account's nonce at `tag` (`latest`, `pending`).
    pub async fn nonce_at(&self, who: Address, tag: &str) -> u64 {
        let params = json!([who.to_string(), tag]);
        let hex: String = self
            .client
            .call("eth_getTransactionCount", params)
            .await
            .unwrap();
        u64::from_str_radix(hex.trim_start_matches("0x"), 16).unwrap()
    }

    /// The sender config of the tests: anvil's chain id, polls every 20 ms, 30 s at most.
    pub fn config(&self) -> SenderConfig {
        let mut config = SenderConfig::new(CHAIN_ID);
        config.poll_interval = Duration::from_millis(20);
        config.confirm_timeout = Some(Duration::from_secs(30));
        config
    }

    /// Deploys both contracts with the dev key (journal `deploy.sqlite` in `dir`).
    pub async fn deploy(&self, dir: &Path) -> Contracts {
        let sender = EvmSender::open(
            self.config(),
            self.client.clone(),
            signer(),
            dir.join("deploy.sqlite"),
        )
        .await
        .unwrap();
        EvmPayout::deploy(&sender).await.unwrap()
    }

    /// A backend over `contracts` with the sender journal `journal`.
    pub async fn backend(&self, contracts: Contracts, journal: &Path) -> EvmPayout {
        self.backend_with(self.config(), contracts, journal).await
    }

    pub async fn backend_with(
        &self,
        config: SenderConfig,
        contracts: Contracts,
        journal: &Path,
    ) -> EvmPayout {
        EvmPayout::connect(config, self.client.clone(), signer(), contracts, journal)
            .await
            .unwrap()
    }
}

pub fn signer() -> Signer {
    Signer::from_hex(DEV_KEY).unwrap()
}

pub fn dev_address() -> Address {
    signer().address()
}

/// The plan of `inputs` on a chain whose minted supply is `minted`.
pub fn plan_for(inputs: &EpochInputs, minted: Amount) -> EpochPlan {
    let mut inputs = inputs.clone();
    inputs.minted_supply = minted;
    EpochPlan::build(&Params::default(), &inputs).unwrap()
}

/// Every chunk of `plan`, in order.
pub fn all_chunks(plan: &EpochPlan) -> Vec<u32> {
    (0..payout_evm::chunk_count(plan) as u32).collect()
}

/// Every recipient's balance equals what `plan` pays it (fresh addresses before).
pub async fn check_every_balance(backend: &EvmPayout, plan: &EpochPlan) {
    let mut owed: std::collections::BTreeMap<_, u128> = Default::default();
    for transfer in &plan.transfers {
        *owed.entry(transfer.to).or_default() += transfer.amount.base_units();
    }
    let mut wrong = Vec::new();
    for (who, amount) in owed {
        let address = Address::from(*who.as_bytes());
        let balance = backend.balance_of(address).await.unwrap().base_units();
        if balance != amount {
            wrong.push((who, amount, balance));
        }
    }
    check(wrong, Vec::new());
}

/// How `plan` is opened when it was planned on a minted supply of `minted`.
pub fn opening(plan: &EpochPlan, minted: Amount) -> Opening {
    Opening {
        plan_hash: plan.plan_hash,
        minted_supply: minted,
    }
}

/// Opens `plan` (planned on a supply of zero) and pays its `chunks`: what paying gave.
pub async fn open_and_pay(
    backend: &EvmPayout,
    plan: &EpochPlan,
    chunks: &[u32],
) -> Result<(), ExecutorError> {
    backend
        .open_epoch(plan, &opening(plan, Amount::ZERO), Amount::ZERO)
        .await
        .unwrap();
    let stop = std::sync::atomic::AtomicBool::new(false);
    backend
        .pay_chunks(plan, chunks, &mut |_| Ok(()), &stop)
        .await
}
