//! The EVM push payout backend: MDT (an ERC-20) paid through the `EpochPayout` contract with
//! exactly-once transactions from `evm-sender`.
//!
//! [`EvmPayout`] is one type with one small method per step of an epoch:
//!
//! | method | what it does |
//! |---|---|
//! | [`EvmPayout::deploy`] | deploys `MDTToken` and `EpochPayout` from the checked-in artifacts and hands the token to the payout contract (`deploy:token`, `deploy:payout`, `deploy:ownership`) |
//! | [`EvmPayout::connect`] | checks `eth_chainId`, that the signer owns the payout contract and that it owns the token; sends nothing |
//! | [`EvmPayout::minted_supply`] | the token's `totalSupply()` |
//! | [`EvmPayout::epoch_record`] | the epoch's record on chain: plan hash, minted supply before, `fromMint` |
//! | [`EvmPayout::open_epoch`] | `openEpoch` (`open:<epoch>`), after checking the contract will hold the epoch's total plus what unfinished epochs owe |
//! | [`chunk_count`], [`chunk`] | the chunk layout, a pure function of the plan ([`CHUNK_SIZE`] transfers each) |
//! | [`EvmPayout::paid_chunks`] | which chunks the contract says are paid |
//! | [`EvmPayout::pay_chunks`] | `payout(epoch, chunk, to[], amounts[])` per unpaid chunk (`payout:<epoch>:<chunk>`) |
//! | [`EvmPayout::epoch_state`] | the epoch's full record and paid chunks at a block |
//! | [`PayoutReader`] | the same views without a key or a journal (sends nothing), and a [`PayoutPreview`](payout_executor::PayoutPreview) (`preview.rs`: what `run --dry-run --chain evm` reads); [`PayoutReader::shows`] is what the contract shows `confirmations` deep: what the executor re-checks its journal against, and what `tokenomics status --check-chain` compares a journal with |
//! | [`EvmPayout::verify_paid`] | verification: the record, every chunk's bit, and the token `Transfer` logs of the transactions that paid a sample of chunks |
//! | [`EvmPayout::epoch_progress`], [`EvmPayout::unpayable_chunk`], [`EvmPayout::close_epoch`] | an epoch that can never complete: where it stands, the proof (an unpaid chunk the token refuses), `closeEpoch` (`close:<epoch>`) |
//! | [`EvmPayout::balances`], [`EvmPayout::verify_balances`] | readings of balances and their change against the plan: a tool for tests and benches, exact only when nobody else moves those accounts; never part of verification |
//!
//! The executor drives it through [`PayoutChain`](payout_executor::PayoutChain) (`backend.rs`):
//! `EpochExecutor<EvmPayout>` plans, journals, opens, pays, verifies and reports as it
//! does on the Luxtensor protocol; the payer is the payout contract.
//!
//! # Why it is exactly once
//!
//! The contract decides: an epoch opens once with one plan hash, and a chunk is paid at
//! most once (`ChunkAlreadyPaid`). The chunk layout depends on the plan only, so a run
//! that lost its sender journal reads `paidChunkWord` and sends exactly the chunks still
//! missing, under the same numbers. The sender's journal makes each operation one
//! transaction per nonce (same bytes resent after a crash).
//!
//! The contract also says when an operation is done (`follow.rs`): the epoch record or
//! the chunk's bit read `confirmations` deep, never a receipt or a block hash (a node may
//! make up receipts or answer zero hashes). A nonce used by a transaction that did not do
//! it is followed by the same operation under its next id (`<id>:retry<n>`, a new nonce),
//! which the contract refuses if it was done after all.

mod abi;
mod backend;
mod balances;
mod close;
mod deploy;
mod error;
mod follow;
mod local;
mod open;
mod pay;
mod preview;
mod state;
mod verify;

use std::path::Path;

use alloy_primitives::{Address, Bytes};
use alloy_sol_types::SolCall;
use evm_sender::{EvmSender, SenderConfig, Signer};
use rpc_resilience::{ResilientClient, RpcError};

use abi::{IEpochPayout, IMDTToken};
use payout_executor::Result;

pub use abi::{to_core, to_evm};
pub use balances::EvmBalances;
pub use close::EpochProgress;
pub use deploy::Contracts;
pub use error::EvmError;
pub use local::{deploy_with_dev_key, local_anvil, nonce_journal};
pub use pay::{chunk, chunk_count, PaidChunk, CHUNKS_IN_FLIGHT, CHUNK_SIZE};
pub use state::{EpochState, PayoutReader};

/// Most operation ids one transaction gets when earlier ones reverted in earlier runs.
const MAX_RETRY_IDS: u32 = 16;

/// The `n`th operation id of `base`: `base` itself, then `<base>:retry<n>`.
fn op_id(base: &str, n: u32) -> String {
    if n == 0 {
        base.to_string()
    } else {
        format!("{base}:retry{n}")
    }
}

/// The EVM payout backend over one token and its payout contract. See the module docs.
#[derive(Debug)]
pub struct EvmPayout {
    sender: EvmSender,
    contracts: Contracts,
    /// The views, through the sender's client and from its address.
    reader: PayoutReader,
    in_flight: usize,
}

impl EvmPayout {
    /// Opens the sender's journal at `journal` (after `eth_chainId` is checked against
    /// `config.chain_id`) and checks the contracts' ownership ([`EvmPayout::with_sender`]).
    /// Sends nothing.
    pub async fn connect(
        config: SenderConfig,
        client: ResilientClient,
        signer: Signer,
        contracts: Contracts,
        journal: &Path,
    ) -> Result<EvmPayout> {
        let sender = EvmSender::open(config, client, signer, journal)
            .await
            .map_err(crate::error::sender)?;
        EvmPayout::with_sender(sender, contracts).await
    }

    /// Checks that the sender's account owns the payout contract and that the payout
    /// contract owns the token ([`EvmError::NotOwner`], [`EvmError::NoContract`]).
    pub async fn with_sender(sender: EvmSender, contracts: Contracts) -> Result<EvmPayout> {
        let backend = EvmPayout {
            reader: PayoutReader::new(sender.reader(), contracts),
            sender,
            contracts,
            in_flight: CHUNKS_IN_FLIGHT,
        };
        let Contracts { token, payout } = contracts;
        let payout_owner = backend
            .view("payout", payout, IEpochPayout::ownerCall {})
            .await?;
        backend.owned("payout", payout, payout_owner, backend.sender.address())?;
        let token_owner = backend
            .view("token", token, IMDTToken::ownerCall {})
            .await?;
        backend.owned("token", token, token_owner, payout)?;
        let payout_token = backend
            .view("payout", payout, IEpochPayout::tokenCall {})
            .await?;
        if payout_token != token {
            return Err(EvmError::NoContract {
                what: "payout (for this token)",
                address: payout,
            }
            .into());
        }
        Ok(backend)
    }

    /// The two contracts.
    pub fn contracts(&self) -> Contracts {
        self.contracts
    }

    /// Chunks sent before the oldest is waited for (default [`CHUNKS_IN_FLIGHT`]).
    pub fn chunks_in_flight(&self) -> usize {
        self.in_flight
    }

    /// Sets [`EvmPayout::chunks_in_flight`] (at least 1).
    pub fn set_chunks_in_flight(&mut self, chunks: usize) {
        self.in_flight = chunks.max(1);
    }

    /// The sender (its account, configuration and journal).
    pub fn sender(&self) -> &EvmSender {
        &self.sender
    }

    fn owned(
        &self,
        what: &'static str,
        address: Address,
        owner: Address,
        expected: Address,
    ) -> Result<()> {
        if owner == expected {
            Ok(())
        } else {
            Err(EvmError::NotOwner {
                what,
                address,
                owner,
                expected,
            }
            .into())
        }
    }

    /// `eth_call` of a view at the latest block; an empty answer means no contract at `to`.
    async fn view<C: SolCall>(
        &self,
        what: &'static str,
        to: Address,
        call: C,
    ) -> Result<C::Return> {
        self.view_at(what, to, call, None).await
    }

    /// [`EvmPayout::view`] at `block` (`None`: the latest).
    async fn view_at<C: SolCall>(
        &self,
        what: &'static str,
        to: Address,
        call: C,
        block: Option<u64>,
    ) -> Result<C::Return> {
        self.reader.view_at(what, to, call, block).await
    }

    /// The read-only views of the two contracts, from the sender's address.
    pub fn reader(&self) -> &PayoutReader {
        &self.reader
    }

    /// The revert reason of `data` sent to `to` now (`eth_call`), if it reverts.
    async fn reason_now(&self, to: Address, data: Bytes) -> Option<String> {
        match self.sender.call(to, data).await {
            Err(evm_sender::Error::Rpc(RpcError::Rpc { message, data, .. })) => Some(
                data.as_ref()
                    .and_then(serde_json::Value::as_str)
                    .and_then(|text| alloy_primitives::hex::decode(text).ok())
                    .and_then(|bytes| abi::revert_reason(&bytes))
                    .unwrap_or(message),
            ),
            _ => None,
        }
    }
}
