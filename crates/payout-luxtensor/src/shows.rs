//! `status --check-chain` on the Luxtensor protocol: the epoch's mint record and every
//! transfer's record, read by their keys in JSON-RPC batches (reads only).
//!
//! A transfer counts as paid when its key's record is the journal's transfer (treasury,
//! recipient, amount); a record of another transfer under the key is not it.

use crate::protocol::{mint_key, parse_memo, transfer_key, LuxtensorPayout};
use payout_executor::ChainShows;
use payout_executor::Result;
use payout_executor::{JournaledEpoch, ShowsChain};

use crate::verify::differs;

/// Keys read per call of [`LuxtensorPayout::records`] (the client splits them into batches).
const KEYS_PER_READ: usize = 4096;

impl ShowsChain for LuxtensorPayout {
    async fn shows_journaled(&self, epoch: &JournaledEpoch) -> Result<ChainShows> {
        let opening = self.record(&mint_key(epoch.epoch)).await?;
        let plan_hash = opening
            .as_ref()
            .and_then(|found| found.memo.as_deref())
            .and_then(parse_memo)
            .map(|memo| memo.plan_hash);
        let mut paid = Vec::with_capacity(epoch.transfers.len());
        for (chunk, transfers) in epoch.transfers.chunks(KEYS_PER_READ).enumerate() {
            let first = chunk * KEYS_PER_READ;
            let keys: Vec<String> = (first..first + transfers.len())
                .map(|index| transfer_key(epoch.epoch, index as u32))
                .collect();
            let records = self.records(&keys).await?;
            for ((to, amount, _), record) in transfers.iter().zip(records) {
                let matches = record.is_some_and(|found| {
                    differs(&found, Some(epoch.treasury), *to, *amount).is_none()
                });
                paid.push(matches);
            }
        }
        Ok(ChainShows {
            opened: opening.is_some(),
            plan_hash,
            paid,
        })
    }
}
