//! The two contracts' interfaces in Solidity (`sol!`, matching `contracts/artifacts/*.json`),
//! the checked-in creation code, and the conversions between the plan's types and the ABI's.

use alloy_primitives::{hex, Address, Bytes, B256, U256};
use alloy_sol_types::{sol, SolInterface};
use serde_json::Value;
use tokenomics_core::{Amount, Hash256};

use crate::error::EvmError;
use payout_executor::Result;

sol! {
    /// The MDT token's calls the backend makes (OpenZeppelin ERC20 + Ownable), and the
    /// errors a payout can revert with through it.
    #[sol(all_derives)]
    interface IMDTToken {
        error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
        error ERC20InvalidReceiver(address receiver);
        error OwnableUnauthorizedAccount(address account);

        event Transfer(address indexed from, address indexed to, uint256 value);

        function owner() external view returns (address);
        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function remainingAllocation(uint8 category) external view returns (uint256);
        function transferOwnership(address newOwner) external;
    }

    /// `contracts/EpochPayout.sol`: epochs opened once with a plan hash, chunks paid once.
    #[sol(all_derives)]
    interface IEpochPayout {
        error ZeroAddress();
        error ZeroPlanHash();
        error EpochPlanConflict(uint64 epoch, bytes32 recordedPlanHash, bytes32 planHash);
        error EpochFiguresConflict(uint64 epoch, uint256 recordedMintedSupplyBefore, uint256 recordedFromMint);
        error EpochNotOpened(uint64 epoch);
        error ChunkAlreadyPaid(uint64 epoch, uint32 chunk);
        error LengthMismatch(uint256 recipients, uint256 amounts);
        error EmptyChunk(uint64 epoch, uint32 chunk);
        error TransferFailed(address to, uint256 amount);
        error EpochIsClosed(uint64 epoch);
        error EpochFullyPaid(uint64 epoch, uint32 chunksPaid);
        error OwnableUnauthorizedAccount(address account);

        event ChunkPaid(uint64 indexed epoch, uint32 indexed chunk, uint256 recipients, uint256 total);

        function owner() external view returns (address);
        function token() external view returns (address);
        function openEpoch(uint64 epoch, bytes32 planHash, uint256 mintedSupplyBefore, uint256 fromMint) external;
        function payout(uint64 epoch, uint32 chunk, address[] to, uint256[] amounts) external;
        function epochRecord(uint64 epoch) external view returns (
            bool opened,
            bytes32 planHash,
            uint256 mintedSupplyBefore,
            uint256 fromMint,
            uint32 chunksPaid,
            uint256 paidTotal
        );
        function chunkPaid(uint64 epoch, uint32 chunk) external view returns (bool);
        function paidChunkWord(uint64 epoch, uint256 word) external view returns (uint256);
        function closeEpoch(uint64 epoch, uint32 chunks) external;
        function epochClosed(uint64 epoch) external view returns (bool);
        function claimsOutstanding() external view returns (uint256);
    }
}

/// `contracts/artifacts/MDTToken.json`, as compiled by the pinned solc.
pub(crate) const TOKEN_ARTIFACT: &str = include_str!("../../../contracts/artifacts/MDTToken.json");
/// `contracts/artifacts/EpochPayout.json`.
pub(crate) const PAYOUT_ARTIFACT: &str =
    include_str!("../../../contracts/artifacts/EpochPayout.json");

/// The creation code (`bytecode`) of a checked-in artifact.
pub(crate) fn creation_code(name: &'static str, artifact: &str) -> Result<Bytes> {
    let bad = |reason: &str| EvmError::Artifact {
        name,
        reason: reason.into(),
    };
    let json: Value = serde_json::from_str(artifact).map_err(|e| bad(&e.to_string()))?;
    let text = json
        .get("bytecode")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("no `bytecode` string"))?;
    let code = hex::decode(text).map_err(|_| bad("`bytecode` is not hex"))?;
    if code.is_empty() {
        return Err(bad("`bytecode` is empty").into());
    }
    Ok(code.into())
}

/// A plan amount as a `uint256`.
pub(crate) fn to_u256(amount: Amount) -> U256 {
    U256::from(amount.base_units())
}

/// A `uint256` the chain answered `call` with, as an amount (refused above `u128`).
pub(crate) fn to_amount(call: &'static str, value: U256) -> Result<Amount> {
    u128::try_from(value)
        .map(Amount::from_base_units)
        .map_err(|_| {
            EvmError::Malformed {
                call,
                reason: format!("{value} does not fit an amount (u128 base units)"),
            }
            .into()
        })
}

/// A plan address as an EVM address (the same 20 bytes): the one conversion, for this
/// backend and for callers that take addresses from flags.
pub fn to_evm(address: tokenomics_core::Address) -> Address {
    Address::from(*address.as_bytes())
}

/// An EVM address as a plan address (the same 20 bytes).
pub fn to_core(address: Address) -> tokenomics_core::Address {
    tokenomics_core::Address::from_bytes(address.into_array())
}

/// A plan hash as a `bytes32`.
pub(crate) fn to_b256(hash: Hash256) -> B256 {
    B256::from(*hash.as_bytes())
}

/// A 32-byte word as a plan hash (every word is one).
pub(crate) fn to_hash(value: B256) -> Hash256 {
    Hash256::from_bytes(value.0)
}

/// The readable reason of revert data: one of the two contracts' errors, `Error(string)` /
/// `Panic(uint)`, else `None`. Data that reads as nothing (a bare `revert()`, an empty
/// message) is `None` too, so the caller keeps what the node said instead of an empty reason.
pub(crate) fn revert_reason(data: &[u8]) -> Option<String> {
    if let Ok(error) = IEpochPayout::IEpochPayoutErrors::abi_decode(data) {
        return Some(format!("{error:?}"));
    }
    if let Ok(error) = IMDTToken::IMDTTokenErrors::abi_decode(data) {
        return Some(format!("{error:?}"));
    }
    alloy_sol_types::decode_revert_reason(data).filter(|reason| !reason.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::keccak256;
    use alloy_sol_types::SolCall;

    #[track_caller]
    fn check<T: PartialEq + std::fmt::Debug>(got: T, want: T) {
        assert_eq!(got, want);
    }

    /// The selectors of every function in an artifact's ABI.
    fn abi_selectors(artifact: &str) -> Vec<[u8; 4]> {
        let json: Value = serde_json::from_str(artifact).unwrap();
        json["abi"]
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
            .collect()
    }

    #[test]
    fn every_sol_function_is_in_the_checked_in_abi() {
        let token = abi_selectors(TOKEN_ARTIFACT);
        let payout = abi_selectors(PAYOUT_ARTIFACT);
        let used_token = [
            IMDTToken::ownerCall::SELECTOR,
            IMDTToken::totalSupplyCall::SELECTOR,
            IMDTToken::balanceOfCall::SELECTOR,
            IMDTToken::transferOwnershipCall::SELECTOR,
        ];
        let used_payout = [
            IEpochPayout::ownerCall::SELECTOR,
            IEpochPayout::tokenCall::SELECTOR,
            IEpochPayout::openEpochCall::SELECTOR,
            IEpochPayout::payoutCall::SELECTOR,
            IEpochPayout::epochRecordCall::SELECTOR,
            IEpochPayout::chunkPaidCall::SELECTOR,
            IEpochPayout::paidChunkWordCall::SELECTOR,
        ];
        let missing: Vec<_> = used_token
            .iter()
            .filter(|s| !token.contains(s))
            .chain(used_payout.iter().filter(|s| !payout.contains(s)))
            .collect();
        check(missing, Vec::<&[u8; 4]>::new());
    }

    #[test]
    fn both_artifacts_have_creation_code() {
        check(
            creation_code("MDTToken", TOKEN_ARTIFACT).unwrap().len() > 1000,
            true,
        );
        check(
            creation_code("EpochPayout", PAYOUT_ARTIFACT).unwrap().len() > 1000,
            true,
        );
    }

    #[test]
    fn a_uint256_above_u128_is_refused_as_an_amount() {
        check(to_amount("x", U256::from(u128::MAX)).unwrap(), Amount::MAX);
        check(
            to_amount("x", U256::from(u128::MAX) + U256::from(1)).is_err(),
            true,
        );
    }

    #[test]
    fn a_plan_hash_reads_back_from_bytes32() {
        let hash: Hash256 = "ab".repeat(32).parse().unwrap();
        check(to_hash(to_b256(hash)), hash);
    }

    #[test]
    fn an_insufficient_balance_revert_is_decoded() {
        let data = IMDTToken::ERC20InsufficientBalance {
            sender: Address::ZERO,
            balance: U256::from(5),
            needed: U256::from(9),
        };
        let encoded = IMDTToken::IMDTTokenErrors::ERC20InsufficientBalance(data).abi_encode();
        let reason = revert_reason(&encoded).unwrap();
        check(reason.contains("ERC20InsufficientBalance"), true);
    }

    /// The reason `creation_code` gives for `artifact`.
    #[track_caller]
    fn artifact_refusal(artifact: &str) -> String {
        match creation_code("X", artifact)
            .unwrap_err()
            .backend::<EvmError>()
        {
            Some(EvmError::Artifact { name: "X", reason }) => reason.clone(),
            other => panic!("expected an artifact error, got {other:?}"),
        }
    }

    #[test]
    fn an_artifact_without_usable_creation_code_is_refused_saying_why() {
        check(artifact_refusal("{").starts_with("EOF while parsing"), true);
        check(
            artifact_refusal(r#"{"abi": []}"#),
            "no `bytecode` string".into(),
        );
        check(
            artifact_refusal(r#"{"bytecode": "0xzz"}"#),
            "`bytecode` is not hex".into(),
        );
        check(
            artifact_refusal(r#"{"bytecode": "0x"}"#),
            "`bytecode` is empty".into(),
        );
    }

    #[test]
    fn a_require_message_and_a_panic_are_decoded_and_other_bytes_are_not() {
        let message = alloy_sol_types::Revert::from("MDTToken: exceeds category allocation");
        let data = alloy_sol_types::SolError::abi_encode(&message);
        check(
            revert_reason(&data)
                .unwrap()
                .contains("MDTToken: exceeds category allocation"),
            true,
        );
        let panic = alloy_sol_types::Panic::from(0x11);
        let data = alloy_sol_types::SolError::abi_encode(&panic);
        check(revert_reason(&data).unwrap().contains("overflow"), true);
        check(revert_reason(&[0xde, 0xad, 0xbe, 0xef]), None);
    }

    #[test]
    fn empty_revert_data_gives_no_reason_so_the_nodes_message_is_kept() {
        check(revert_reason(&[]), None);
    }

    #[test]
    fn a_payout_contract_error_is_decoded_by_name() {
        let error = IEpochPayout::ChunkAlreadyPaid { epoch: 7, chunk: 3 };
        let data = IEpochPayout::IEpochPayoutErrors::ChunkAlreadyPaid(error).abi_encode();
        let reason = revert_reason(&data).unwrap();
        check(
            reason.contains("ChunkAlreadyPaid")
                && reason.contains("epoch: 7")
                && reason.contains("chunk: 3"),
            true,
        );
    }

    #[test]
    fn addresses_convert_both_ways_unchanged() {
        let evm: Address = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"
            .parse()
            .unwrap();
        check(to_evm(to_core(evm)), evm);
        check(to_core(evm).as_bytes(), &evm.into_array());
    }
}
