//! Checking the account's nonces against the journal: unknown pending transactions,
//! nonces used by others, recorded foreign uses looked at again, and reorged operations reopened.

use crate::confirm::Look;
use crate::journal::OpState;
use crate::rpc;
use crate::{Error, Result};

use super::EvmSender;

impl EvmSender {
    /// Checks the account's nonces against the journal; returns the nonce the next new
    /// operation takes at least (the chain's `latest`).
    ///
    /// - Transactions in the node's pool past the journal's nonces (the pending nonce above
    ///   both the latest and the journal's next) are unknown to this journal: nothing is
    ///   sent until they are mined ([`Error::UnknownPending`]); new nonces would collide.
    /// - Nonces past the journal's mined by transactions it does not know, with nothing
    ///   unknown left in the pool: skipped (logged); the next operation takes the chain's
    ///   nonce. Operations of the journal still pending are settled by confirmation.
    /// - A recorded foreign use ([`Error::ForeignNonce`]) is looked at again: it stands
    ///   while its operation is pending with no receipt of ours; else it is cleared.
    ///
    /// The `pending` nonce is read only `at_open`: new nonces come from the journal and the
    /// `latest` nonce alone, and a node that ignores the tag (answering the latest count)
    /// only makes the unknown-pending check see nothing.
    pub(super) async fn check_nonces(&self, at_open: bool) -> Result<u64> {
        let address = self.address();
        let latest = rpc::nonce(&self.client, address, "latest").await?;
        self.reopen_gap(latest).await?;
        let pending = if at_open {
            rpc::nonce(&self.client, address, "pending").await?
        } else {
            latest
        };
        let (range, foreign) = {
            let journal = self.journal()?;
            (journal.nonce_range()?, journal.foreign()?)
        };
        if let Some((nonce, _)) = foreign {
            self.recheck_foreign(nonce).await?;
        }
        let next = match range {
            Some((first, _)) if latest < first => {
                return Err(Error::JournalMismatch {
                    field: "nonce",
                    journal: first.to_string(),
                    actual: latest.to_string(),
                })
            }
            Some((_, next)) => next,
            None => latest,
        };
        let known = next.max(latest);
        if pending > known {
            return Err(Error::UnknownPending {
                account: address,
                from: known,
                to: pending,
            });
        }
        if latest > next {
            tracing::warn!(
                from = next,
                to = latest,
                "nonces used by transactions this nonce journal does not know, none pending: \
                 carrying on from the account's nonce"
            );
        }
        Ok(latest)
    }

    /// The recorded foreign use of `nonce`, looked at again: [`Error::ForeignNonce`] while
    /// the operation holding that nonce is pending with no canonical receipt of ours (it can
    /// never be mined); else the record is cleared (logged).
    async fn recheck_foreign(&self, nonce: u64) -> Result<()> {
        let op = self.journal()?.pending_at(nonce)?;
        if let Some(op) = op {
            let view = self.view().await?;
            if let Look::NonceTaken = self.look(&op, view).await? {
                return Err(Error::ForeignNonce {
                    op_id: op.op_id,
                    nonce,
                    chain_nonce: view.nonce,
                });
            }
        }
        tracing::warn!(
            nonce,
            "the recorded foreign use of this nonce no longer stands: cleared"
        );
        self.journal()?.clear_foreign()
    }

    /// Operations the journal holds as mined at the account's `latest` nonce or above are no
    /// longer on the chain (a reorg took their blocks; a nonce below them is unused): back
    /// to pending, and their newest journaled bytes sent again in nonce order (when the node
    /// does not know them), so later nonces do not wait behind the gap. Same nonce, same
    /// bytes: still one per nonce.
    pub(crate) async fn reopen_gap(&self, latest: u64) -> Result<()> {
        let ops = self.journal()?.mined_from(latest)?;
        for op in &ops {
            tracing::warn!(
                op_id = op.op_id,
                nonce = op.nonce,
                chain_nonce = latest,
                "journaled as mined but the account's nonce is below it: pending again, its bytes sent again"
            );
            self.journal()?.set_state(&op.op_id, &OpState::Pending)?;
        }
        for op in &ops {
            self.resend_if_lost(op).await?;
        }
        Ok(())
    }
}
