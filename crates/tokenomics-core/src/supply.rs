//! `SupplyLedger`: minted, burned and circulating supply; minting never passes max supply.
//!
//! Withheld emission (`unmet_burned`) was never minted, so only fees and penalties that
//! are destroyed count as burned here.

use serde::{Deserialize, Serialize};

use crate::amount::Amount;
use crate::error::{CoreError, Result};
use crate::plan::EpochPlan;

/// Running totals of the token supply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplyLedger {
    max_supply: Amount,
    minted: Amount,
    burned: Amount,
}

impl SupplyLedger {
    /// A ledger with nothing minted yet.
    pub fn new(max_supply: Amount) -> SupplyLedger {
        SupplyLedger {
            max_supply,
            minted: Amount::ZERO,
            burned: Amount::ZERO,
        }
    }

    /// The cap on `minted`.
    pub fn max_supply(&self) -> Amount {
        self.max_supply
    }

    /// Everything ever minted.
    pub fn minted(&self) -> Amount {
        self.minted
    }

    /// Everything destroyed (burned fees and penalties).
    pub fn burned(&self) -> Amount {
        self.burned
    }

    /// `minted - burned`.
    pub fn circulating(&self) -> Amount {
        // proof: burn() refuses to burn more than is circulating, so burned <= minted.
        self.minted.saturating_sub(self.burned)
    }

    /// What can still be minted.
    pub fn mintable(&self) -> Amount {
        self.max_supply.saturating_sub(self.minted)
    }

    /// Mints `amount`, refusing to pass max supply (nothing changes on error).
    pub fn mint(&mut self, amount: Amount) -> Result<()> {
        if amount > self.mintable() {
            return Err(CoreError::MaxSupplyExceeded {
                requested: amount,
                mintable: self.mintable(),
            });
        }
        self.minted = self.minted.checked_add(amount, "minted supply")?;
        Ok(())
    }

    /// Burns `amount` of circulating supply (nothing changes on error).
    pub fn burn(&mut self, amount: Amount) -> Result<()> {
        if amount > self.circulating() {
            return Err(CoreError::InvalidInput {
                field: "burn",
                reason: format!(
                    "cannot burn {amount} MDT of {} circulating",
                    self.circulating()
                ),
            });
        }
        self.burned = self.burned.checked_add(amount, "burned supply")?;
        Ok(())
    }

    /// Applies a plan: mints `from_mint`, burns `fees_burned`.
    pub fn apply(&mut self, plan: &EpochPlan) -> Result<()> {
        let before = *self;
        self.mint(plan.from_mint)?;
        if let Err(error) = self.burn(plan.fees_burned) {
            *self = before;
            return Err(error);
        }
        Ok(())
    }
}
