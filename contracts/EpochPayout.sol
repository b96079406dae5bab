// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {MDTToken} from "./MDTToken.sol";

/// @title EpochPayout
/// @notice Pays each epoch's reward plan in MDT exactly once, with the chain as the
/// record of what was paid: an epoch is opened once with one plan hash (minting the
/// plan's `fromMint` into this contract), then paid in numbered chunks, each at most
/// once. A payer that lost its journal reads `epochRecord` and `chunkPaid` and sends
/// only the chunks still missing. An epoch that can never complete (a chunk the token
/// refuses) can be closed by the owner: it pays nothing more, and what it did not pay
/// stays in this contract, for later epochs.
/// @dev This contract owns the token (the deployer transfers the token's ownership to
/// it); only this contract's owner, the executor's key, writes.
contract EpochPayout is Ownable {
    /// @notice The token paid out and minted through `mintCategory(EmissionRewards, ..)`.
    MDTToken public immutable token;

    /// @dev One epoch's record; `planHash != 0` means opened.
    struct EpochRecord {
        bytes32 planHash;
        uint256 mintedSupplyBefore;
        uint256 fromMint;
        uint128 paidTotal;
        uint32 chunksPaid;
        bool closed;
    }

    mapping(uint64 epoch => EpochRecord) private _epochs;
    /// @dev Paid chunks, 256 per word: chunk `c` is bit `c % 256` of word `c / 256`.
    mapping(uint64 epoch => mapping(uint256 word => uint256 bits)) private _paidChunks;

    /// @notice Emitted when an epoch is opened (not by a repeated, no-op `openEpoch`).
    event EpochOpened(uint64 indexed epoch, bytes32 indexed planHash, uint256 mintedSupplyBefore, uint256 fromMint);
    /// @notice Emitted once per paid chunk.
    event ChunkPaid(uint64 indexed epoch, uint32 indexed chunk, uint256 recipients, uint256 total);

    /// @notice Emitted when the owner closes an epoch that can never complete.
    event EpochClosed(uint64 indexed epoch, uint32 chunks, uint32 chunksPaid, uint256 paidTotal);

    /// @notice A zero address where a contract or owner is needed.
    error ZeroAddress();
    /// @notice An all-zero plan hash (it would read as "not opened").
    error ZeroPlanHash();
    /// @notice The epoch is already open with another plan hash.
    error EpochPlanConflict(uint64 epoch, bytes32 recordedPlanHash, bytes32 planHash);
    /// @notice The epoch is already open with this plan hash but other figures.
    error EpochFiguresConflict(uint64 epoch, uint256 recordedMintedSupplyBefore, uint256 recordedFromMint);
    /// @notice `payout` for an epoch that was never opened.
    error EpochNotOpened(uint64 epoch);
    /// @notice `payout` for a chunk already paid.
    error ChunkAlreadyPaid(uint64 epoch, uint32 chunk);
    /// @notice `to` and `amounts` differ in length.
    error LengthMismatch(uint256 recipients, uint256 amounts);
    /// @notice A chunk with no recipient.
    error EmptyChunk(uint64 epoch, uint32 chunk);
    /// @notice `payout`, `openEpoch` or `closeEpoch` of a closed epoch.
    error EpochIsClosed(uint64 epoch);
    /// @notice `closeEpoch` of an epoch whose `chunks` chunks are all paid.
    error EpochFullyPaid(uint64 epoch, uint32 chunksPaid);
    /// @notice The token's `transfer` returned false.
    error TransferFailed(address to, uint256 amount);

    /// @param token_ The MDT token; it must be handed over to this contract
    /// (`token_.transferOwnership(address(this))`) before the first `openEpoch`.
    /// @param initialOwner The executor's account, the only one that writes.
    constructor(MDTToken token_, address initialOwner) Ownable(initialOwner) {
        if (address(token_) == address(0)) revert ZeroAddress();
        token = token_;
    }

    /// @notice Opens `epoch`: records its plan hash and the minted supply the plan was
    /// built on, and mints `fromMint` into this contract (nothing when zero).
    /// @dev Once per epoch. Called again with the same plan hash and figures it does
    /// nothing; with another plan hash or other figures it reverts.
    function openEpoch(uint64 epoch, bytes32 planHash, uint256 mintedSupplyBefore, uint256 fromMint)
        external
        onlyOwner
    {
        if (planHash == bytes32(0)) revert ZeroPlanHash();
        EpochRecord storage record = _epochs[epoch];
        if (record.closed) revert EpochIsClosed(epoch);
        bytes32 recorded = record.planHash;
        if (recorded != bytes32(0)) {
            if (recorded != planHash) revert EpochPlanConflict(epoch, recorded, planHash);
            if (record.mintedSupplyBefore != mintedSupplyBefore || record.fromMint != fromMint) {
                revert EpochFiguresConflict(epoch, record.mintedSupplyBefore, record.fromMint);
            }
            return;
        }
        record.planHash = planHash;
        record.mintedSupplyBefore = mintedSupplyBefore;
        record.fromMint = fromMint;
        if (fromMint != 0) token.mintCategory(MDTToken.Category.EmissionRewards, address(this), fromMint);
        emit EpochOpened(epoch, planHash, mintedSupplyBefore, fromMint);
    }

    /// @notice Pays chunk `chunk` of `epoch`: `amounts[i]` to `to[i]` from this
    /// contract's balance, then records the chunk as paid.
    /// @dev Reverts as a whole if any transfer fails (for instance the token's
    /// `ERC20InsufficientBalance` when this contract is short of funds).
    function payout(uint64 epoch, uint32 chunk, address[] calldata to, uint256[] calldata amounts)
        external
        onlyOwner
    {
        uint256 count = to.length;
        if (count != amounts.length) revert LengthMismatch(count, amounts.length);
        if (count == 0) revert EmptyChunk(epoch, chunk);
        EpochRecord storage record = _epochs[epoch];
        if (record.planHash == bytes32(0)) revert EpochNotOpened(epoch);
        if (record.closed) revert EpochIsClosed(epoch);
        mapping(uint256 => uint256) storage words = _paidChunks[epoch];
        uint256 word = chunk >> 8;
        uint256 bit = uint256(1) << (chunk & 0xff);
        uint256 bits = words[word];
        if (bits & bit != 0) revert ChunkAlreadyPaid(epoch, chunk);
        words[word] = bits | bit;

        MDTToken mdt = token;
        uint256 total;
        for (uint256 i; i < count; ++i) {
            uint256 amount = amounts[i];
            total += amount;
            if (!mdt.transfer(to[i], amount)) revert TransferFailed(to[i], amount);
        }
        record.paidTotal += SafeCast.toUint128(total);
        record.chunksPaid += 1;
        emit ChunkPaid(epoch, chunk, count, total);
    }

    /// @notice Closes `epoch`, opened and not complete, for good: afterwards `payout` and
    /// `openEpoch` of it revert `EpochIsClosed`. What it did not pay stays in this
    /// contract's balance, where later epochs' `fromPool` is paid from.
    /// @param chunks How many chunks the epoch's plan has (a pure function of the plan,
    /// as every chunk number is); an epoch with that many chunks paid is complete and
    /// is refused (`EpochFullyPaid`), as is one with no chunk.
    /// @dev Only the owner, who alone pays chunks, knows the plan; the contract keeps
    /// the rule that a complete epoch is never closed and a closed one never pays.
    function closeEpoch(uint64 epoch, uint32 chunks) external onlyOwner {
        EpochRecord storage record = _epochs[epoch];
        if (record.planHash == bytes32(0)) revert EpochNotOpened(epoch);
        if (record.closed) revert EpochIsClosed(epoch);
        uint32 paid = record.chunksPaid;
        if (paid >= chunks) revert EpochFullyPaid(epoch, paid);
        record.closed = true;
        emit EpochClosed(epoch, chunks, paid, record.paidTotal);
    }

    /// @notice Whether `epoch` was closed by `closeEpoch` (it pays nothing more).
    function epochClosed(uint64 epoch) external view returns (bool) {
        return _epochs[epoch].closed;
    }

    /// @notice Hands the token's ownership on (to a new payout contract, or back to
    /// an account), so the other allocation categories never become unmintable.
    function transferTokenOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        token.transferOwnership(newOwner);
    }

    /// @notice Where `epoch` stands: opened or not, its plan hash, the minted supply
    /// before it, what it minted, how many chunks are paid and their total.
    function epochRecord(uint64 epoch)
        external
        view
        returns (
            bool opened,
            bytes32 planHash,
            uint256 mintedSupplyBefore,
            uint256 fromMint,
            uint32 chunksPaid,
            uint256 paidTotal
        )
    {
        EpochRecord storage record = _epochs[epoch];
        return (
            record.planHash != bytes32(0),
            record.planHash,
            record.mintedSupplyBefore,
            record.fromMint,
            record.chunksPaid,
            record.paidTotal
        );
    }

    /// @notice Whether chunk `chunk` of `epoch` is paid.
    function chunkPaid(uint64 epoch, uint32 chunk) external view returns (bool) {
        return _paidChunks[epoch][chunk >> 8] & (uint256(1) << (chunk & 0xff)) != 0;
    }

    /// @notice Chunks `256 * word` to `256 * word + 255` of `epoch` as a bit set:
    /// bit `c % 256` is set when chunk `c` is paid. Reads 256 chunks in one call.
    function paidChunkWord(uint64 epoch, uint256 word) external view returns (uint256) {
        return _paidChunks[epoch][word];
    }
}
