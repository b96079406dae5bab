//! The gas side of the claims benchmark, on a local anvil: `openClaims` of a root over
//! the bench's accounts (one transaction per epoch, whatever the tree's size), one `claim`
//! with a proof of that tree's depth by a first-time holder, and push payouts of an epoch
//! of as many recipients measured on its first `PUSH_SAMPLE` transfers and scaled (as
//! `bench evm` does), for the operator's gas per epoch both ways.

use std::sync::atomic::AtomicBool;

use alloy_primitives::{Address, B256, U256};
use claims_tree::ClaimsTree;
use evm_sender::anvil::{self, Anvil, AnvilConfig};
use evm_sender::{EvmClassifier, EvmSender, SenderConfig, Signer, TxRequest};
use payout_claims::OpenClaims;
use payout_evm::{deploy_with_dev_key, nonce_journal, EvmPayout, CHUNK_SIZE};
use payout_executor::Opening;
use rpc_resilience::ResilientClient;
use tokenomics_core::{synthetic_inputs, Amount, EpochPlan, Params};

/// Push payouts are measured on this many transfers of the epoch, then scaled.
pub(crate) const PUSH_SAMPLE: usize = 10_000;
/// Anvil's second dev key: the claimant (pays the claim's gas).
use evm_sender::anvil::SECOND_DEV_KEY as CLAIMANT_KEY;

/// What was measured.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Gas {
    /// `openClaims` of the tree's root (with its mint).
    pub(crate) open_claims: u64,
    /// One `claim` with a proof of `proof_hashes` hashes, to a first-time holder.
    pub(crate) claim: u64,
    pub(crate) proof_hashes: usize,
    /// Push: `openEpoch` plus the chunks of the first `push_recipients` transfers.
    pub(crate) push_sample: u64,
    pub(crate) push_recipients: usize,
    /// Push of the whole epoch, scaled from the sample.
    pub(crate) push_scaled: u64,
}

/// Measures on a fresh anvil (see the module docs); `accounts`: the bench's accounts.
pub(crate) fn measure(accounts: &[Address]) -> Gas {
    let node = Anvil::start(&AnvilConfig::default()).expect("anvil (npm ci --prefix contracts)");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(measure_on(node.url(), accounts))
}

async fn measure_on(url: &str, accounts: &[Address]) -> Gas {
    let client = ResilientClient::builder()
        .endpoint(url)
        .classifier(EvmClassifier)
        .build()
        .expect("a client");
    let config = SenderConfig::new(anvil::CHAIN_ID);
    let dir = tempfile::tempdir().expect("a folder");
    let journal = dir.path().join("journal.sqlite");
    let (contracts, signer) = deploy_with_dev_key(config.clone(), client.clone(), &journal)
        .await
        .expect("deployed");
    let owner = EvmSender::open(
        config.clone(),
        client.clone(),
        signer.clone(),
        nonce_journal(&journal),
    )
    .await
    .expect("the owner's sender");

    // Amounts small enough for the token's cap: 1..=1000 base units.
    let leaves: Vec<(Address, U256)> = accounts
        .iter()
        .enumerate()
        .map(|(i, a)| (*a, U256::from(1 + i % 1000)))
        .collect();
    let total: U256 = leaves.iter().map(|(_, m)| *m).sum();
    let tree = ClaimsTree::build(leaves.iter().copied()).expect("a tree");
    let open = OpenClaims {
        epoch: 1,
        plan_hash: B256::repeat_byte(0x11),
        minted_supply_before: U256::ZERO,
        from_mint: total,
        root: tree.root(),
        cumulative_total: total,
    };
    let open_claims = sent(
        &owner,
        "claims:1",
        TxRequest::call(contracts.payout, open.call_data()),
    )
    .await;

    let claimant = EvmSender::open(
        config.clone(),
        client.clone(),
        Signer::from_hex(CLAIMANT_KEY).expect("a key"),
        dir.path().join("claimant.sqlite"),
    )
    .await
    .expect("the claimant's sender");
    let (account, amount) = leaves[0];
    let proof = tree.proof(account).expect("a leaf");
    let data = payout_claims::claim_call(account, amount, &proof.siblings);
    let claim = sent(&claimant, "claim", TxRequest::call(contracts.payout, data)).await;

    // Push: an epoch of as many recipients, its first PUSH_SAMPLE transfers paid.
    drop(owner);
    let payout = EvmPayout::connect(config, client, signer, contracts, &nonce_journal(&journal))
        .await
        .expect("the push backend");
    let supply = payout.minted_supply().await.expect("supply");
    let mut inputs = synthetic_inputs(2, accounts.len());
    inputs.minted_supply = supply;
    let plan = EpochPlan::build(&Params::default(), &inputs).expect("a plan");
    let memo = Opening {
        plan_hash: plan.plan_hash,
        minted_supply: supply,
    };
    payout
        .open_epoch(&plan, &memo, Amount::ZERO)
        .await
        .expect("opened");
    let opening = payout
        .sender()
        .journaled_confirmation("open:2")
        .expect("journal")
        .expect("confirmed")
        .gas_used;
    let chunks: Vec<u32> = (0..PUSH_SAMPLE.div_ceil(CHUNK_SIZE) as u32).collect();
    let mut push_sample = opening;
    let mut push_recipients = 0usize;
    let stop = AtomicBool::new(false);
    payout
        .pay_chunks(
            &plan,
            &chunks,
            &mut |paid| {
                push_sample += paid.confirmation.map_or(0, |c| c.gas_used);
                push_recipients += paid.transfers;
                Ok(())
            },
            &stop,
        )
        .await
        .expect("paid");
    let per_recipient = (push_sample - opening) as f64 / push_recipients as f64;
    let push_scaled = opening + (per_recipient * plan.transfers.len() as f64) as u64;
    Gas {
        open_claims,
        claim,
        proof_hashes: proof.siblings.len(),
        push_sample,
        push_recipients,
        push_scaled,
    }
}

/// Sends `request` as `op` and returns its gas once confirmed.
async fn sent(sender: &EvmSender, op: &str, request: TxRequest) -> u64 {
    sender.submit(op, request).await.expect("sent");
    sender.wait_confirmed(op).await.expect("confirmed").gas_used
}
