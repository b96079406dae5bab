// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
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
/// An epoch can instead be paid by claims (`openClaims`): one cumulative Merkle root of
/// `(account, cumulative amount)` leaves per claims epoch, each account claiming what the
/// current root gives it beyond what it already claimed. What the roots promise and was
/// not claimed yet (`claimsOutstanding`) stays in this contract: no opening, payout or
/// claim leaves the balance below it.
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
        bool claims;
    }

    /// @dev The claims state beside the current root, in one slot: what all roots promise,
    /// what was claimed (both at most the token's 21M-MDT cap, below 2^96) and the current
    /// root's epoch.
    struct ClaimsTotals {
        uint96 cumulativeTotal;
        uint96 claimedTotal;
        uint64 rootEpoch;
    }

    mapping(uint64 epoch => EpochRecord) private _epochs;
    /// @dev Paid chunks, 256 per word: chunk `c` is bit `c % 256` of word `c / 256`.
    mapping(uint64 epoch => mapping(uint256 word => uint256 bits)) private _paidChunks;
    // Claims state after the push state, so the push layout (slots 1 and 2) stays put.
    bytes32 private _root;
    ClaimsTotals private _claimsTotals;
    /// @notice What `account` has claimed so far, in base units (cumulative).
    mapping(address account => uint256 amount) public claimed;

    /// @notice Emitted when an epoch is opened (not by a repeated, no-op `openEpoch`).
    event EpochOpened(uint64 indexed epoch, bytes32 indexed planHash, uint256 mintedSupplyBefore, uint256 fromMint);
    /// @notice Emitted once per paid chunk.
    event ChunkPaid(uint64 indexed epoch, uint32 indexed chunk, uint256 recipients, uint256 total);

    /// @notice Emitted when the owner closes an epoch that can never complete.
    event EpochClosed(uint64 indexed epoch, uint32 chunks, uint32 chunksPaid, uint256 paidTotal);

    /// @notice Emitted when a claims epoch is opened and its root becomes the current one.
    event ClaimsOpened(uint64 indexed epoch, bytes32 indexed root, uint256 cumulativeTotal);
    /// @notice Emitted for each claim: `amount` paid to `account`, whose claims now total
    /// `cumulativeAmount`.
    event Claimed(address indexed account, uint256 amount, uint256 cumulativeAmount);

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
    /// @notice `openEpoch`, `payout` or `closeEpoch` of an epoch opened by `openClaims`, or
    /// `openClaims` of an epoch opened by `openEpoch`.
    error EpochKindConflict(uint64 epoch, bool claims);
    /// @notice `openClaims` for an epoch not later than the current root's.
    error ClaimsEpochNotLater(uint64 epoch, uint64 currentEpoch);
    /// @notice `openClaims` again for the current root's epoch with another root or total.
    error ClaimsRootConflict(uint64 epoch, bytes32 recordedRoot, uint256 recordedCumulativeTotal);
    /// @notice An all-zero root.
    error ZeroRoot();
    /// @notice A cumulative total below the current one (it never falls).
    error CumulativeTotalFell(uint256 recorded, uint256 given);
    /// @notice This contract would hold less than the claims outstanding.
    error ClaimsUnderfunded(uint256 balance, uint256 outstanding);
    /// @notice The proof does not lead from `(account, cumulativeAmount)` to the current root.
    error InvalidProof(address account, uint256 cumulativeAmount);
    /// @notice `account` already claimed `cumulativeAmount` or more.
    error NothingToClaim(address account, uint256 cumulativeAmount, uint256 alreadyClaimed);
    /// @notice A claim would pay more than the current root's total promises.
    error ClaimsExhausted(uint256 cumulativeTotal, uint256 claimedTotal, uint256 amount);
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
        if (_open(epoch, planHash, mintedSupplyBefore, fromMint, false)) {
            emit EpochOpened(epoch, planHash, mintedSupplyBefore, fromMint);
        }
    }

    /// @notice Opens claims epoch `epoch`: records it as `openEpoch` does (same conflict
    /// rules), mints `fromMint` into this contract and makes `root` the current root, whose
    /// leaves (`keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount))))`,
    /// sorted-pair hashing: OpenZeppelin's standard tree) sum to `cumulativeTotal`.
    /// @dev Roots advance in epoch order and `cumulativeTotal` never falls; afterwards this
    /// contract must hold at least `claimsOutstanding()`. Called again for the current
    /// root's epoch with the same figures it does nothing; anything else reverts.
    function openClaims(
        uint64 epoch,
        bytes32 planHash,
        uint256 mintedSupplyBefore,
        uint256 fromMint,
        bytes32 root,
        uint256 cumulativeTotal
    ) external onlyOwner {
        if (root == bytes32(0)) revert ZeroRoot();
        bytes32 current = _root;
        ClaimsTotals memory totals = _claimsTotals;
        uint64 currentEpoch = totals.rootEpoch;
        bool opened = _open(epoch, planHash, mintedSupplyBefore, fromMint, true);
        if (!opened) {
            if (current == bytes32(0) || epoch != currentEpoch) revert ClaimsEpochNotLater(epoch, currentEpoch);
            if (current != root || totals.cumulativeTotal != cumulativeTotal) {
                revert ClaimsRootConflict(epoch, current, totals.cumulativeTotal);
            }
            return;
        }
        if (current != bytes32(0) && epoch <= currentEpoch) revert ClaimsEpochNotLater(epoch, currentEpoch);
        if (cumulativeTotal < totals.cumulativeTotal) revert CumulativeTotalFell(totals.cumulativeTotal, cumulativeTotal);
        _root = root;
        _claimsTotals = ClaimsTotals({
            cumulativeTotal: SafeCast.toUint96(cumulativeTotal),
            claimedTotal: totals.claimedTotal,
            rootEpoch: epoch
        });
        _checkClaimsCovered(cumulativeTotal - totals.claimedTotal);
        emit EpochOpened(epoch, planHash, mintedSupplyBefore, fromMint);
        emit ClaimsOpened(epoch, root, cumulativeTotal);
    }

    /// @dev Records and mints an epoch; false when it was already open with these figures.
    function _open(uint64 epoch, bytes32 planHash, uint256 mintedSupplyBefore, uint256 fromMint, bool claims)
        private
        returns (bool)
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
            if (record.claims != claims) revert EpochKindConflict(epoch, record.claims);
            return false;
        }
        record.planHash = planHash;
        record.mintedSupplyBefore = mintedSupplyBefore;
        record.fromMint = fromMint;
        record.claims = claims;
        if (fromMint != 0) token.mintCategory(MDTToken.Category.EmissionRewards, address(this), fromMint);
        return true;
    }

    /// @notice Pays `account` what the current root gives it beyond what it already
    /// claimed; anyone may send it for any account (the tokens go to `account`).
    /// @param cumulativeAmount The account's leaf: everything it was ever given by claims.
    /// @param proof The sibling hashes from the leaf up to the current root.
    function claim(address account, uint256 cumulativeAmount, bytes32[] calldata proof) external {
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount))));
        bytes32 root = _root;
        if (root == bytes32(0) || !MerkleProof.verifyCalldata(proof, root, leaf)) {
            revert InvalidProof(account, cumulativeAmount);
        }
        uint256 already = claimed[account];
        if (cumulativeAmount <= already) revert NothingToClaim(account, cumulativeAmount, already);
        uint256 amount = cumulativeAmount - already;
        ClaimsTotals memory totals = _claimsTotals;
        if (totals.claimedTotal + amount > totals.cumulativeTotal) {
            revert ClaimsExhausted(totals.cumulativeTotal, totals.claimedTotal, amount);
        }
        claimed[account] = cumulativeAmount;
        _claimsTotals.claimedTotal = SafeCast.toUint96(totals.claimedTotal + amount);
        if (!token.transfer(account, amount)) revert TransferFailed(account, amount);
        emit Claimed(account, amount, cumulativeAmount);
    }

    /// @notice The current root: its claims epoch, the root (zero before any claims
    /// epoch) and the sum of its leaves.
    function currentRoot() external view returns (uint64 epoch, bytes32 root, uint256 cumulativeTotal) {
        ClaimsTotals memory totals = _claimsTotals;
        return (totals.rootEpoch, _root, totals.cumulativeTotal);
    }

    /// @notice What the roots promise and was not claimed yet: the part of this
    /// contract's balance that belongs to claimants.
    function claimsOutstanding() public view returns (uint256) {
        ClaimsTotals memory totals = _claimsTotals;
        return totals.cumulativeTotal - totals.claimedTotal;
    }

    /// @notice Everything claimed so far, all accounts together.
    function claimedTotal() external view returns (uint256) {
        return _claimsTotals.claimedTotal;
    }

    /// @notice Whether `epoch` was opened by `openClaims` (paid by claims, not chunks).
    function epochIsClaims(uint64 epoch) external view returns (bool) {
        return _epochs[epoch].claims;
    }

    /// @dev Reverts unless this contract holds at least `outstanding`.
    function _checkClaimsCovered(uint256 outstanding) private view {
        if (outstanding == 0) return;
        uint256 balance = token.balanceOf(address(this));
        if (balance < outstanding) revert ClaimsUnderfunded(balance, outstanding);
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
        if (record.claims) revert EpochKindConflict(epoch, true);
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
        _checkClaimsCovered(claimsOutstanding());
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
        if (record.claims) revert EpochKindConflict(epoch, true);
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
