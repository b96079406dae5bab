//! `status --check-chain` on EVM for journals of either payout: [`EitherShows`] answers
//! for a claims epoch (opened by `openClaims`: every transfer paid once a root at least as
//! late is current, `confirmations` deep) and hands a push epoch to [`PayoutReader`].

use payout_evm::PayoutReader;
use payout_executor::{ChainShows, JournaledEpoch, Result, ShowsChain};

use crate::reader::ClaimsReader;

/// What the payout contract shows of an epoch paid either way (see the module docs).
#[derive(Debug, Clone)]
pub struct EitherShows {
    push: PayoutReader,
    claims: ClaimsReader,
}

impl EitherShows {
    /// Over the push views `push` (its reader and payout contract serve the claims views).
    pub fn new(push: PayoutReader) -> EitherShows {
        let claims = ClaimsReader::new(push.reader().clone(), push.contracts().payout);
        EitherShows { push, claims }
    }
}

impl ShowsChain for EitherShows {
    async fn shows_journaled(&self, epoch: &JournaledEpoch) -> Result<ChainShows> {
        let block = Some(self.claims.confirmed_block().await?);
        if !self.claims.is_claims(epoch.epoch, block).await? {
            return self.push.shows_journaled(epoch).await;
        }
        let state = self.push.epoch_state(epoch.epoch, block).await?;
        let current = self.claims.current_root(block).await?;
        let paid = state.is_some() && current.is_some_and(|c| c.epoch >= epoch.epoch);
        Ok(ChainShows {
            opened: state.is_some(),
            plan_hash: state.map(|s| s.memo.plan_hash),
            paid: vec![paid; epoch.transfers.len()],
        })
    }
}
