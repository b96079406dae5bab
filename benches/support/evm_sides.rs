//! The two sides of the EVM benchmark on one anvil: the payout contract paying a plan in
//! chunks (`EvmPayout`), and one ERC-20 `transfer` transaction per recipient; both through
//! `evm-sender`, timed, with the gas of every receipt and the RPC calls made.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::{sol, SolCall};
use evm_sender::{EvmClassifier, EvmSender, SenderConfig, Signer, TxRequest};
use payout_evm::{chunk_count, EvmPayout};
use payout_executor::Opening;
use rpc_resilience::{ResilienceConfig, ResilientClient};
use serde_json::{json, Value};
use tokenomics_core::{Amount, EpochPlan, Transfer};

/// Anvil's chain id.
use evm_sender::anvil::CHAIN_ID;
/// Anvil's first dev key (well known, local only): deploys and pays the epoch.
use evm_sender::anvil::DEV_KEY as PAYER_KEY;
/// Anvil's second dev key: holds the baseline's tokens and sends its transfers.
use evm_sender::anvil::SECOND_DEV_KEY as HOLDER_KEY;
/// The MDT token's creation code, for the baseline's own token.
const TOKEN_ARTIFACT: &str = include_str!("../../contracts/artifacts/MDTToken.json");

sol! {
    function mintCategory(uint8 category, address to, uint256 amount) external;
    function transfer(address to, uint256 amount) external returns (bool);
}

/// Where and how both sides send.
pub(crate) struct Setup {
    pub(crate) url: String,
    /// The sender's `poll_interval`.
    pub(crate) poll: Duration,
    /// Transactions sent before the oldest is waited for.
    pub(crate) in_flight: usize,
}

/// What a side measured.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Side {
    pub(crate) recipients: usize,
    pub(crate) wall: Duration,
    pub(crate) txs: u64,
    pub(crate) gas: u64,
    pub(crate) rpc_calls: u64,
    /// HTTP requests (a JSON-RPC batch once), as a node's request limit counts them: the
    /// client's request budget's count.
    pub(crate) requests: u64,
}

impl Side {
    pub(crate) fn secs_per_recipient(&self) -> f64 {
        self.wall.as_secs_f64() / self.recipients as f64
    }

    pub(crate) fn gas_per_recipient(&self) -> f64 {
        self.gas as f64 / self.recipients as f64
    }
}

/// A timed run: the whole of it, and each payment transaction as its confirmation was seen.
pub(crate) struct Run {
    pub(crate) side: Side,
    started: Instant,
    /// When each payment transaction was seen confirmed, in order.
    pub(crate) marks: Vec<Instant>,
    /// Recipients and gas of each, in the same order.
    paid: Vec<(usize, u64)>,
    /// Gas of the one transaction before the payments (the payout's `openEpoch`), if any.
    opening_gas: Option<u64>,
}

impl Run {
    /// The run up to the first payment transactions covering `recipients` recipients.
    pub(crate) fn first(&self, recipients: usize) -> Side {
        let mut covered = 0;
        let Some(last) = self.paid.iter().position(|&(count, _)| {
            covered += count;
            covered >= recipients
        }) else {
            return self.side;
        };
        let paid = &self.paid[..=last];
        let opening = self.opening_gas.unwrap_or(0);
        Side {
            recipients: covered,
            wall: self.marks[last] - self.started,
            txs: u64::from(self.opening_gas.is_some()) + paid.len() as u64,
            gas: opening + paid.iter().map(|&(_, gas)| gas).sum::<u64>(),
            rpc_calls: 0,
            requests: 0,
        }
    }
}

fn client(url: &str) -> ResilientClient {
    let config = ResilienceConfig {
        initial_backoff_ms: 10,
        max_backoff_ms: 50,
        ..ResilienceConfig::default()
    };
    ResilientClient::builder()
        .endpoint(url)
        .config(config)
        .classifier(EvmClassifier)
        .build()
        .expect("client")
}

/// The sender's defaults, except the polling. (Its `gas_price_ttl` matters here: anvil's
/// `eth_gasPrice` is the base fee plus the recent tips, so reading it for every
/// transaction and paying 1.25x would compound, about 1.25^n after n transactions.)
fn sender_config(setup: &Setup) -> SenderConfig {
    let mut config = SenderConfig::new(CHAIN_ID);
    config.poll_interval = setup.poll;
    config
}

async fn open_sender(setup: &Setup, key: &str, journal: &Path) -> (EvmSender, ResilientClient) {
    let client = client(&setup.url);
    let signer = Signer::from_hex(key).expect("key");
    let sender = EvmSender::open(sender_config(setup), client.clone(), signer, journal)
        .await
        .expect("sender");
    (sender, client)
}

async fn nonce(client: &ResilientClient, who: Address) -> u64 {
    let params = json!([who.to_string(), "latest"]);
    let hex: String = client
        .call("eth_getTransactionCount", params)
        .await
        .expect("nonce");
    u64::from_str_radix(hex.trim_start_matches("0x"), 16).expect("hex nonce")
}

/// Deploys the contracts, then opens and pays `plan`'s epoch (built on a minted supply of 0);
/// times open + every chunk confirmed, then checks a sample of balances against the plan.
pub(crate) async fn payout(setup: &Setup, dir: &Path, plan: &EpochPlan) -> Run {
    let (sender, client) = open_sender(setup, PAYER_KEY, &dir.join("payout.sqlite")).await;
    let contracts = EvmPayout::deploy(&sender).await.expect("deploy");
    let mut backend = EvmPayout::with_sender(sender, contracts)
        .await
        .expect("backend");
    backend.set_chunks_in_flight(setup.in_flight);
    assert_eq!(backend.minted_supply().await.expect("supply"), Amount::ZERO);
    let memo = Opening {
        plan_hash: plan.plan_hash,
        minted_supply: Amount::ZERO,
    };
    let before = backend.balances(plan, 64).await.expect("balances");
    let payer = backend.sender().address();
    let nonce_before = nonce(&client, payer).await;
    let calls_before = client.metrics().requests;
    let requests_before = client.request_budget().requests();
    let chunks: Vec<u32> = (0..chunk_count(plan) as u32).collect();
    let mut seen = Vec::with_capacity(chunks.len());
    let started = Instant::now();
    let reopened = backend
        .open_epoch(plan, &memo, Amount::ZERO)
        .await
        .expect("open");
    let mut on_confirmed = |c: payout_evm::PaidChunk| {
        let gas = c.confirmation.expect("sent by this run").gas_used;
        seen.push((Instant::now(), (c.transfers, gas)));
        Ok(())
    };
    let stop = AtomicBool::new(false);
    backend
        .pay_chunks(plan, &chunks, &mut on_confirmed, &stop)
        .await
        .expect("pay");
    let wall = started.elapsed();
    let rpc_calls = client.metrics().requests - calls_before;
    let requests = client.request_budget().requests() - requests_before;
    assert!(!reopened, "a fresh payout contract has no open epoch");
    // `open` journals its transaction as `open:<epoch>`; its confirmation, read again.
    let opening = backend
        .sender()
        .wait_confirmed(&format!("open:{}", plan.epoch))
        .await
        .expect("open confirmed");
    let txs = nonce(&client, payer).await - nonce_before;
    assert_eq!(
        txs,
        1 + chunks.len() as u64,
        "one transaction per chunk + open"
    );
    backend
        .verify_balances(plan, &before)
        .await
        .expect("balances as planned");
    let (marks, paid): (Vec<_>, Vec<_>) = seen.into_iter().unzip();
    let gas = opening.gas_used + paid.iter().map(|&(_, gas)| gas).sum::<u64>();
    Run {
        side: Side {
            recipients: plan.transfers.len(),
            wall,
            txs,
            gas,
            rpc_calls,
            requests,
        },
        started,
        marks,
        paid,
        opening_gas: Some(opening.gas_used),
    }
}

/// Pays `transfers` with one `transfer(to, amount)` each from the holder of a fresh MDT
/// token of its own (deployed and minted before the clock starts).
pub(crate) async fn baseline(setup: &Setup, dir: &Path, transfers: &[Transfer]) -> Run {
    let (sender, client) = open_sender(setup, HOLDER_KEY, &dir.join("baseline.sqlite")).await;
    let holder = sender.address();
    let artifact: Value = serde_json::from_str(TOKEN_ARTIFACT).expect("artifact");
    let code = alloy_primitives::hex::decode(artifact["bytecode"].as_str().expect("bytecode"))
        .expect("hex bytecode");
    sender
        .submit("token", TxRequest::deploy(code))
        .await
        .expect("deploy");
    let done = sender.wait_confirmed("token").await.expect("deployed");
    let token = done.contract_address.expect("token address");
    let total = transfers
        .iter()
        .try_fold(0u128, |sum, t| sum.checked_add(t.amount.base_units()))
        .expect("total fits");
    let mint = mintCategoryCall {
        category: 0, // EmissionRewards
        to: holder,
        amount: U256::from(total),
    };
    let request = TxRequest::call(token, Bytes::from(mint.abi_encode()));
    sender.submit("mint", request).await.expect("mint");
    sender.wait_confirmed("mint").await.expect("minted");

    let nonce_before = nonce(&client, holder).await;
    let calls_before = client.metrics().requests;
    let requests_before = client.request_budget().requests();
    let mut in_flight = VecDeque::new();
    let (mut marks, mut paid) = (Vec::new(), Vec::new());
    let started = Instant::now();
    for (i, t) in transfers.iter().enumerate() {
        let call = transferCall {
            to: Address::from(*t.to.as_bytes()),
            amount: U256::from(t.amount.base_units()),
        };
        let op = format!("transfer:{i}");
        let request = TxRequest::call(token, Bytes::from(call.abi_encode()));
        sender.submit(&op, request).await.expect("transfer sent");
        in_flight.push_back(op);
        while in_flight.len() >= setup.in_flight
            || (i + 1 == transfers.len() && !in_flight.is_empty())
        {
            let oldest = in_flight.pop_front().expect("in flight");
            let done = sender.wait_confirmed(&oldest).await.expect("mined");
            marks.push(Instant::now());
            paid.push((1, done.gas_used));
        }
    }
    let wall = started.elapsed();
    let rpc_calls = client.metrics().requests - calls_before;
    let requests = client.request_budget().requests() - requests_before;
    let txs = nonce(&client, holder).await - nonce_before;
    assert_eq!(txs, transfers.len() as u64, "one transaction per transfer");
    let gas = paid.iter().map(|&(_, gas)| gas).sum();
    Run {
        side: Side {
            recipients: transfers.len(),
            wall,
            txs,
            gas,
            rpc_calls,
            requests,
        },
        started,
        marks,
        paid,
        opening_gas: None,
    }
}
