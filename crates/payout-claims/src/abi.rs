//! The claims half of `contracts/EpochPayout.sol` in Solidity (`sol!`, checked against the
//! checked-in artifact's ABI), the call data this backend sends, and revert decoding.

use alloy_primitives::{Address, Bytes, B256, U256};
use alloy_sol_types::{sol, SolCall, SolInterface};

sol! {
    /// `EpochPayout`'s claims: `openClaims` (owner only), `claim` (anyone), the views.
    #[sol(all_derives)]
    interface IClaims {
        error ZeroPlanHash();
        error EpochPlanConflict(uint64 epoch, bytes32 recordedPlanHash, bytes32 planHash);
        error EpochFiguresConflict(uint64 epoch, uint256 recordedMintedSupplyBefore, uint256 recordedFromMint);
        error EpochIsClosed(uint64 epoch);
        error EpochKindConflict(uint64 epoch, bool claims);
        error ClaimsEpochNotLater(uint64 epoch, uint64 currentEpoch);
        error ClaimsRootConflict(uint64 epoch, bytes32 recordedRoot, uint256 recordedCumulativeTotal);
        error ZeroRoot();
        error CumulativeTotalFell(uint256 recorded, uint256 given);
        error ClaimsUnderfunded(uint256 balance, uint256 outstanding);
        error InvalidProof(address account, uint256 cumulativeAmount);
        error NothingToClaim(address account, uint256 cumulativeAmount, uint256 alreadyClaimed);
        error ClaimsExhausted(uint256 cumulativeTotal, uint256 claimedTotal, uint256 amount);
        error TransferFailed(address to, uint256 amount);
        error OwnableUnauthorizedAccount(address account);
        error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
        error ERC20InvalidReceiver(address receiver);

        event ClaimsOpened(uint64 indexed epoch, bytes32 indexed root, uint256 cumulativeTotal);
        event Claimed(address indexed account, uint256 amount, uint256 cumulativeAmount);

        function openClaims(uint64 epoch, bytes32 planHash, uint256 mintedSupplyBefore, uint256 fromMint, bytes32 root, uint256 cumulativeTotal) external;
        function claim(address account, uint256 cumulativeAmount, bytes32[] proof) external;
        function claimed(address account) external view returns (uint256);
        function currentRoot() external view returns (uint64 epoch, bytes32 root, uint256 cumulativeTotal);
        function claimsOutstanding() external view returns (uint256);
        function claimedTotal() external view returns (uint256);
        function epochIsClaims(uint64 epoch) external view returns (bool);
    }
}

/// `contracts/artifacts/EpochPayout.json`, as compiled by the pinned solc.
#[cfg(test)]
const PAYOUT_ARTIFACT: &str = include_str!("../../../contracts/artifacts/EpochPayout.json");

/// What `openClaims` records: the epoch, its plan and figures, the root and total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenClaims {
    /// The epoch.
    pub epoch: u64,
    /// The plan's hash.
    pub plan_hash: B256,
    /// The minted supply the plan was built on, base units.
    pub minted_supply_before: U256,
    /// What the opening mints into the contract, base units.
    pub from_mint: U256,
    /// The cumulative tree's root.
    pub root: B256,
    /// The sum of every leaf, base units.
    pub cumulative_total: U256,
}

impl OpenClaims {
    /// The `openClaims` call data.
    pub fn call_data(&self) -> Bytes {
        IClaims::openClaimsCall {
            epoch: self.epoch,
            planHash: self.plan_hash,
            mintedSupplyBefore: self.minted_supply_before,
            fromMint: self.from_mint,
            root: self.root,
            cumulativeTotal: self.cumulative_total,
        }
        .abi_encode()
        .into()
    }
}

/// The `claim(account, cumulativeAmount, proof)` call data.
pub fn claim_call(account: Address, cumulative_amount: U256, proof: &[B256]) -> Bytes {
    IClaims::claimCall {
        account,
        cumulativeAmount: cumulative_amount,
        proof: proof.to_vec(),
    }
    .abi_encode()
    .into()
}

/// The readable reason of revert data from the payout contract or its token (named, with
/// its fields), else Solidity's `Error(string)` / `Panic`, else `None`.
pub fn revert_reason(data: &[u8]) -> Option<String> {
    if let Ok(error) = IClaims::IClaimsErrors::abi_decode(data) {
        return Some(format!("{error:?}"));
    }
    alloy_sol_types::decode_revert_reason(data).filter(|reason| !reason.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::keccak256;

    #[test]
    fn every_claims_function_is_in_the_checked_in_abi() {
        let json: serde_json::Value = serde_json::from_str(PAYOUT_ARTIFACT).unwrap();
        let selectors: Vec<[u8; 4]> = json["abi"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|item| item["type"] == "function")
            .map(|item| {
                let inputs: Vec<&str> = item["inputs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["type"].as_str().unwrap())
                    .collect();
                let signature = format!("{}({})", item["name"].as_str().unwrap(), inputs.join(","));
                keccak256(signature.as_bytes())[..4].try_into().unwrap()
            })
            .collect();
        let used = [
            IClaims::openClaimsCall::SELECTOR,
            IClaims::claimCall::SELECTOR,
            IClaims::claimedCall::SELECTOR,
            IClaims::currentRootCall::SELECTOR,
            IClaims::claimsOutstandingCall::SELECTOR,
            IClaims::claimedTotalCall::SELECTOR,
            IClaims::epochIsClaimsCall::SELECTOR,
        ];
        let missing: Vec<_> = used.iter().filter(|s| !selectors.contains(s)).collect();
        assert_eq!(missing, Vec::<&[u8; 4]>::new());
    }

    #[test]
    fn a_nothing_to_claim_revert_is_decoded_by_name() {
        let error = IClaims::NothingToClaim {
            account: Address::ZERO,
            cumulativeAmount: U256::from(5),
            alreadyClaimed: U256::from(5),
        };
        let data = IClaims::IClaimsErrors::NothingToClaim(error).abi_encode();
        assert!(revert_reason(&data).unwrap().contains("NothingToClaim"));
    }
}
