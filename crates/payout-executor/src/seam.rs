//! `PayoutChain`: the seam between the executor and the chain an epoch is paid on, and
//! `PayoutPreview`, its read-only half.
//!
//! The executor owns the plan, the journal, progress, the report and the order of the
//! steps; a backend owns how one step is done on its chain. [`PayoutPreview`] holds every
//! read (what a dry run needs: `EpochExecutor::dry_run` is generic over it, so the
//! compiler keeps it from writing); [`PayoutChain`] adds the writes. Two backends
//! implement both:
//! `payout-luxtensor`'s `LuxtensorPayout` (the Luxtensor protocol: `luxtensor_mint` and
//! keyed `luxtensor_transfer` batches) and `payout-evm`'s `EvmPayout` (an ERC-20 paid
//! through the `EpochPayout` contract with signed legacy transactions); the EVM read-only
//! `PayoutReader` (no key, no nonce journal) implements [`PayoutPreview`] only. This
//! crate names no backend: the compiler keeps the seam to these types.
//!
//! **Invariant:** every backend makes the chain, not the journal, decide what was paid:
//! an epoch opens once with one plan hash, and each transfer is paid under a record
//! that depends only on the epoch and the transfer's position, so [`PayoutChain::open`]
//! and [`PayoutChain::pay`] may be called again for the same plan, by any run with any
//! journal, and pay nobody twice.

use std::sync::atomic::AtomicBool;

use rpc_resilience::MetricsSnapshot;
use tokenomics_core::{Address, Amount, EpochPlan, Hash256, Refused};

use crate::error::Result;
pub use payout_journal::{PaidBy, TxHash};

/// How an epoch was opened on chain: the plan it is paid by and the minted supply that
/// plan was computed with. Every backend records it with the opening (Luxtensor: the
/// mint's memo; EVM: the payout contract's epoch record), and a run without its journal
/// reads it back to plan the epoch exactly as before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opening {
    /// The hash of the plan the epoch is paid by.
    pub plan_hash: Hash256,
    /// The minted supply that plan was computed with.
    pub minted_supply: Amount,
}

/// Readings taken before an epoch opens, journaled so that verification can compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Baseline {
    /// The paying account's balance.
    pub payer: Amount,
    /// Sampled recipients and their balances.
    pub samples: Vec<(Address, Amount)>,
    /// Set only when the epoch was not open yet after the readings (so they are a true
    /// start): the backend's own mark, opaque to the executor, that tells it later
    /// whether anything else moved these accounts meanwhile (Luxtensor: the block
    /// height). `None` where balances never take part in verification (EVM).
    pub mark: Option<u128>,
}

/// What verification looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    /// Transfers whose on-chain records were read back and matched.
    pub records: u64,
    /// Recipients whose balances were compared (0 when balances could not tell).
    pub balances: u64,
}

/// What a chain shows of an epoch, read where it counts as confirmed: the authority the
/// journal's stage and confirmations (caches) are re-checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainShows {
    /// The epoch is open on chain.
    pub opened: bool,
    /// The plan hash the epoch was opened with (`None` when it is not open, or when its
    /// opening carries no plan of this tool).
    pub plan_hash: Option<Hash256>,
    /// Per transfer of the plan, in plan order: paid on chain.
    pub paid: Vec<bool>,
}

/// How an epoch is paid, as its report says: `push` (transfers, the default) or a
/// backend's own way (`claims`: the root published and its cumulative total).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidWay {
    /// `push` or `claims`.
    pub payout: &'static str,
    /// The root a claims epoch published (`0x` + 64 hex digits).
    pub claims_root: Option<String>,
    /// The sum of every leaf of that root.
    pub cumulative_total: Option<Amount>,
}

impl PaidWay {
    /// Transfers: no root.
    pub fn push() -> PaidWay {
        PaidWay {
            payout: "push",
            claims_root: None,
            cumulative_total: None,
        }
    }
}

/// Confirmed transfers as `(index in the plan, what paid it)`, handed to the executor to
/// journal as they come; an error stops the payment.
pub type ConfirmedSink<'a> = dyn FnMut(&[(u32, PaidBy)]) -> Result<()> + 'a;

/// The reads of one chain an epoch can be paid on: everything a dry run asks. See the
/// module docs.
// The executor awaits these futures in place and is not `Send` itself (its progress
// callback is not), so the futures carry no `Send` bound.
#[allow(async_fn_in_trait)]
pub trait PayoutPreview: std::fmt::Debug {
    /// The account minted into and paying out (Luxtensor: the configured treasury;
    /// EVM: the payout contract).
    fn payer(&self) -> Address;

    /// Call counters of the client(s) this backend talks through.
    fn metrics(&self) -> MetricsSnapshot;

    /// Addresses this chain refuses as recipients besides the zero address (which
    /// [`tokenomics_core::check_recipients`] always refuses): on EVM the token and the
    /// payout contract. Checked before anything is planned into the journal.
    fn refused_recipients(&self) -> Vec<Refused> {
        Vec::new()
    }

    /// The supply minted so far.
    async fn minted_supply(&self) -> Result<Amount>;

    /// The most `epoch` may mint by the chain's own cap, besides max supply: `None` (the
    /// default) where max supply is the only cap (the Luxtensor protocol); on EVM what
    /// the token's emission category can still mint. An epoch already open answers what
    /// it minted, so a run without its journal plans it again exactly
    /// ([`EpochPlan::build_within`](tokenomics_core::EpochPlan::build_within)).
    async fn mint_room(&self, epoch: u64) -> Result<Option<Amount>> {
        let _ = epoch;
        Ok(None)
    }

    /// How the epoch was opened on chain (its plan hash and the minted supply it was
    /// planned with), or `None` when it was not.
    async fn opening(&self, epoch: u64) -> Result<Option<Opening>>;

    /// Whether the epoch was opened on chain (by anyone, with any plan).
    async fn is_open(&self, epoch: u64) -> Result<bool> {
        Ok(self.opening(epoch).await?.is_some())
    }

    /// What the chain shows of `plan`'s epoch when this backend can read it cheaply (a
    /// few calls, not one per transfer): the executor then corrects its journal where it
    /// claims more (a reorg deeper than the confirmations took it back). `None`: the
    /// journal is trusted (the default; the Luxtensor protocol, whose per-transfer records
    /// are too many to read on every run and whose devnet has no reorgs).
    async fn shows(&self, plan: &EpochPlan) -> Result<Option<ChainShows>> {
        let _ = plan;
        Ok(None)
    }

    /// Whether the epoch was closed for good on chain (it pays nothing more); chains
    /// that cannot close an epoch answer `false`.
    async fn closed(&self, _epoch: u64) -> Result<bool> {
        Ok(false)
    }

    /// How `epoch` is paid, for its report: transfers ([`PaidWay::push`], the default).
    async fn paid_way(&self, epoch: u64) -> Result<PaidWay> {
        let _ = epoch;
        Ok(PaidWay::push())
    }

    /// The payer's and `sample` recipients' balances, read before the epoch opens.
    async fn baseline(&self, plan: &EpochPlan, sample: usize) -> Result<Baseline>;

    /// Whether the epoch is open on chain with exactly this plan (`memo`, and what it
    /// minted into `payer`), as [`PayoutChain::open`] decides it before opening; an
    /// opening with another plan or figures is a
    /// [`ExecutorError::ChainConflict`](crate::ExecutorError::ChainConflict). No default:
    /// what "the same opening" means is the backend's (Luxtensor: the mint's memo,
    /// recipient and amount; EVM: the epoch record's memo and `fromMint`).
    async fn opened_with(&self, plan: &EpochPlan, opening: &Opening) -> Result<bool>;

    /// The pool check [`PayoutChain::open`] makes before a fresh opening, read only: what
    /// `payer` must hold before the mint (the epoch's total less its mint, plus `owed`,
    /// what unfinished epochs still pay from it), refused as `open` refuses it when it
    /// holds less.
    async fn funds_needed(&self, plan: &EpochPlan, owed: Amount) -> Result<Amount>;

    /// How many of the `pending` transfers a run would still send: those the chain has
    /// not applied (each applied one checked against the plan, as
    /// [`PayoutChain::applied`] does); reads only.
    async fn unpaid(&self, plan: &EpochPlan, pending: &[u32]) -> Result<usize>;
}

/// One chain an epoch can be paid on: [`PayoutPreview`]'s reads and the writes. See the
/// module docs.
#[allow(async_fn_in_trait)]
pub trait PayoutChain: PayoutPreview {
    /// Opens the epoch (mints `from_mint` to the payer) unless it is open with this
    /// plan; returns whether it was open before. Refuses another plan, and a payer that
    /// would not hold the epoch's total plus `owed` (what unfinished epochs still pay).
    async fn open(&self, plan: &EpochPlan, opening: &Opening, owed: Amount) -> Result<bool>;

    /// Which of the `pending` transfers the chain already applied, with what paid
    /// each, each checked against the plan; reads only.
    async fn applied(&self, plan: &EpochPlan, pending: &[u32]) -> Result<Vec<(u32, PaidBy)>>;

    /// Pays the `pending` transfers (the epoch is open), handing each group to
    /// `confirmed` once the chain confirms it. Once `stop` is set no new write starts;
    /// those in flight finish, then [`ExecutorError::Interrupted`](crate::ExecutorError::Interrupted).
    async fn pay(
        &self,
        plan: &EpochPlan,
        pending: &[u32],
        stop: &AtomicBool,
        confirmed: &mut ConfirmedSink<'_>,
    ) -> Result<()>;

    /// Checks the paid epoch on chain: its records always; on the Luxtensor protocol also
    /// balances against the journaled [`Baseline`] (`None` when none was journaled)
    /// where they can tell (never on EVM).
    async fn verify(
        &self,
        plan: &EpochPlan,
        opening: &Opening,
        baseline: Option<&Baseline>,
        sample: usize,
    ) -> Result<Verified>;
}
