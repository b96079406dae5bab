//! Reaching into anvil's state to make what another run, a tampering node or a moved key
//! would leave: the payout contract's storage slots (its epoch records and chunk bits), the
//! owners of both contracts, and changes made while a transaction waits in the pool.

use std::future::Future;
use std::time::Duration;

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::SolValue;
use serde_json::json;
use tokenomics_core::{Amount, EpochPlan};

use super::{dev_address, Anvil};

/// `EpochPayout`'s layout: `Ownable._owner` in slot 0, `_epochs` in slot 1, `_paidChunks`
/// in slot 2.
const EPOCHS_SLOT: u64 = 1;
const PAID_CHUNKS_SLOT: u64 = 2;

/// A field of an `EpochRecord` (its slots in order).
#[derive(Debug, Clone, Copy)]
pub enum Field {
    PlanHash = 0,
    MintedSupplyBefore = 1,
    FromMint = 2,
    /// `paidTotal` (uint128, low bits), `chunksPaid` (uint32), `closed` (bool), packed.
    Totals = 3,
}

/// The slot of `field` of `epoch`'s record.
pub fn record_slot(epoch: u64, field: Field) -> B256 {
    let base =
        U256::from_be_bytes(keccak256((U256::from(epoch), U256::from(EPOCHS_SLOT)).abi_encode()).0);
    B256::from(base + U256::from(field as u64))
}

/// The slot of `epoch`'s chunk bits `256 * word ..`.
pub fn chunk_word_slot(epoch: u64, word: u64) -> B256 {
    let inner = keccak256((U256::from(epoch), U256::from(PAID_CHUNKS_SLOT)).abi_encode());
    keccak256((U256::from(word), inner).abi_encode())
}

/// The packed `Totals` word: `paid_total` paid in `chunks_paid` chunks, not closed.
pub fn totals_word(paid_total: Amount, chunks_paid: u32) -> B256 {
    let word = U256::from(paid_total.base_units()) | (U256::from(chunks_paid) << 128);
    B256::from(word)
}

/// A 32-byte word holding `value`.
pub fn word(value: u128) -> B256 {
    B256::from(U256::from(value))
}

/// A 32-byte word holding `address` (as Solidity stores one).
pub fn address_word(address: Address) -> B256 {
    address.into_word()
}

impl Anvil {
    /// `eth_getStorageAt(contract, slot)` at the latest block.
    pub async fn storage(&self, contract: Address, slot: B256) -> B256 {
        let params = json!([contract.to_string(), slot.to_string(), "latest"]);
        let text = self.rpc("eth_getStorageAt", params).await;
        text.as_str().unwrap().parse().unwrap()
    }

    /// `anvil_setStorageAt(contract, slot, value)`.
    pub async fn set_storage(&self, contract: Address, slot: B256, value: B256) {
        let params = json!([contract.to_string(), slot.to_string(), value.to_string()]);
        self.rpc("anvil_setStorageAt", params).await;
    }

    /// The slot (of the first 16) of `contract` holding `owner`, its `Ownable._owner`.
    pub async fn owner_slot(&self, contract: Address, owner: Address) -> B256 {
        for slot in 0..16u64 {
            let slot = B256::from(U256::from(slot));
            if self.storage(contract, slot).await == address_word(owner) {
                return slot;
            }
        }
        panic!("no slot of {contract} holds {owner}")
    }

    /// Makes `owner` the owner of `contract` (currently owned by `was`).
    pub async fn set_owner(&self, contract: Address, was: Address, owner: Address) {
        let slot = self.owner_slot(contract, was).await;
        self.set_storage(contract, slot, address_word(owner)).await;
    }

    /// Writes `plan`'s record of an epoch opened on `minted` with `from_mint`, nothing paid,
    /// into the payout contract, as if a run had opened it.
    pub async fn write_record(
        &self,
        payout: Address,
        plan: &EpochPlan,
        minted: Amount,
        from_mint: Amount,
    ) {
        let epoch = plan.epoch;
        let hash = B256::from(*plan.plan_hash.as_bytes());
        self.set_storage(payout, record_slot(epoch, Field::PlanHash), hash)
            .await;
        let minted = word(minted.base_units());
        self.set_storage(
            payout,
            record_slot(epoch, Field::MintedSupplyBefore),
            minted,
        )
        .await;
        let from_mint = word(from_mint.base_units());
        self.set_storage(payout, record_slot(epoch, Field::FromMint), from_mint)
            .await;
    }

    /// Runs `sending` with automine off; once a transaction of the dev account is in the
    /// pool, runs `meddle`, then mines a block every 20 ms until `sending` ends. Automine
    /// is on again afterwards.
    pub async fn while_pending<T>(
        &self,
        sending: impl Future<Output = T>,
        meddle: impl Future<Output = ()>,
    ) -> T {
        self.rpc("evm_setAutomine", json!([false])).await;
        let mine = async {
            let me = dev_address();
            while self.nonce_at(me, "pending").await == self.nonce(me).await {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            meddle.await;
            loop {
                self.rpc("evm_mine", json!([])).await;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        };
        let out = tokio::select! {
            out = sending => out,
            () = mine => unreachable!(),
        };
        self.rpc("evm_setAutomine", json!([true])).await;
        out
    }
}
