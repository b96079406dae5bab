// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title MDTToken
/// @notice The ModernTensor token (MDT), with the interface and minting rules of the
/// upstream Luxtensor token: 21,000,000 MDT at most, minted by the owner per
/// allocation category, each category capped at its share of the maximum supply.
/// @dev Written on OpenZeppelin 5 so the payout executor can be tested against a
/// token that behaves like the real one. The upstream TGE helpers are left out.
contract MDTToken is ERC20, ERC20Burnable, ERC20Permit, Ownable {
    /// @notice Maximum supply ever minted: 21,000,000 MDT (18 decimals).
    uint256 public constant MAX_SUPPLY = 21_000_000 * 10 ** 18;

    /// @notice The allocation categories; each may mint its percentage of `MAX_SUPPLY`.
    enum Category {
        EmissionRewards, // 45%
        EcosystemGrants, // 12%
        TeamCoreDev, // 10%
        PrivateSale, // 8%
        IDO, // 5%
        DaoTreasury, // 10%
        InitialLiquidity, // 5%
        FoundationReserve // 5%
    }

    /// @notice Amount minted so far in each category.
    mapping(Category category => uint256 minted) public categoryMinted;

    /// @notice True once minting is permanently over (see `finishMinting`).
    bool public mintingFinished;

    /// @notice Emitted by every `mintCategory`.
    event CategoryMinted(Category indexed category, address indexed to, uint256 amount);

    /// @notice Emitted once, when minting is finished for good.
    event MintingFinished(uint256 timestamp);

    constructor() ERC20("ModernTensor", "MDT") ERC20Permit("ModernTensor") Ownable(msg.sender) {}

    /// @notice The cap of `category`: its percentage of `MAX_SUPPLY`
    /// (45/12/10/8/5/10/5/5 %, summing to 100 %).
    function categoryAllocation(Category category) public pure returns (uint256) {
        uint256 percent;
        if (category == Category.EmissionRewards) percent = 45;
        else if (category == Category.EcosystemGrants) percent = 12;
        else if (category == Category.TeamCoreDev || category == Category.DaoTreasury) percent = 10;
        else if (category == Category.PrivateSale) percent = 8;
        else percent = 5; // IDO, InitialLiquidity, FoundationReserve
        return (MAX_SUPPLY * percent) / 100;
    }

    /// @notice What `category` may still mint.
    function remainingAllocation(Category category) external view returns (uint256) {
        return categoryAllocation(category) - categoryMinted[category];
    }

    /// @notice Mints `amount` to `to` out of `category`'s allocation.
    /// @dev Reverts after `finishMinting`, for the zero address, past the category's
    /// allocation or past `MAX_SUPPLY`.
    function mintCategory(Category category, address to, uint256 amount) external onlyOwner {
        require(!mintingFinished, "MDTToken: Minting permanently finished");
        require(to != address(0), "MDTToken: mint to zero address");
        uint256 minted = categoryMinted[category] + amount;
        require(minted <= categoryAllocation(category), "MDTToken: exceeds category allocation");
        require(totalSupply() + amount <= MAX_SUPPLY, "MDTToken: exceeds max supply");
        categoryMinted[category] = minted;
        _mint(to, amount);
        emit CategoryMinted(category, to, amount);
    }

    /// @notice Ends minting for good once every category is fully minted, and gives
    /// up ownership. Irreversible: `confirmIrreversible` must be true.
    function finishMinting(bool confirmIrreversible) external onlyOwner {
        require(!mintingFinished, "MDTToken: Minting permanently finished");
        require(confirmIrreversible, "MDTToken: confirm irreversible");
        for (uint256 i = 0; i <= uint256(type(Category).max); ++i) {
            Category category = Category(i);
            require(
                categoryMinted[category] == categoryAllocation(category), "MDTToken: not all categories minted"
            );
        }
        mintingFinished = true;
        emit MintingFinished(block.timestamp);
        renounceOwnership();
    }
}
