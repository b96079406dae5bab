"""Exact ModernTensor emission and reward split (the `tokenomics` workspace's planner).

Amounts are MDT decimal strings (1 MDT = 10**18 base units), never floats: a ``float``
in an amount is refused with ``ValueError`` naming the field. Errors carry the
``tokenomics`` binary's one-line messages (``<inputs>: miners[0].address: ...``).
"""

from decimal import Decimal
from typing import Any, Dict, List, Mapping, Optional, TypedDict, Union

#: A fraction in [0, 1] (scores, utility, quality): exact text, ``Decimal``, ``int``,
#: or ``float`` (read from its shortest text, as JSON writes it).
Fraction = Union[str, Decimal, int, float]
#: MDT: a decimal string, ``Decimal`` or ``int``. Never ``float``.
Amount = Union[str, Decimal, int]

class Transfer(TypedDict):
    to: str
    amount: str
    category: str

class Plan(TypedDict):
    epoch: int
    halvings: int
    utility_score: Decimal
    quality_multiplier: Decimal
    emission: str
    unmet_burned: str
    fees_burned: str
    from_pool: str
    from_mint: str
    total: str
    recycling_pool_after: str
    categories: Dict[str, str]
    transfers: List[Transfer]
    inputs_digest: str
    plan_hash: str

class Era(TypedDict):
    index: int
    start_epoch: int
    end_epoch: int
    emission_per_epoch: str
    minted: str
    supply_at_end: str
    capped_at_epoch: Optional[int]

class Emission(TypedDict):
    epoch: int
    halvings: int
    utility_score: Decimal
    quality_multiplier: Decimal
    emission: str
    unmet_burned: str
    from_mint: str

def plan(inputs: Union[Mapping[str, Any], str], config: Optional[str] = None) -> Plan:
    """The plan of one epoch, exactly as ``tokenomics plan --json`` prints it.

    ``inputs``: the epoch inputs (docs/SPEC.md) as a dict or JSON text. ``config``: the
    TOML configuration text (defaults when omitted). Raises ``ValueError`` with the
    binary's message for refused inputs or configuration, ``TypeError`` for a value
    that is no JSON value.
    """

def schedule(epochs: Optional[int] = None, config: Optional[str] = None) -> List[Era]:
    """The emission schedule era by era at U = 1 and Q = 1 (``tokenomics schedule``).

    ``epochs`` stops it after that many epochs (default: until max supply or zero
    emission).
    """

def emission(
    epoch: int,
    utility: Fraction,
    quality: Fraction,
    minted_supply: Amount,
    config: Optional[str] = None,
) -> Emission:
    """One epoch's emission, unmet quota and mint (capped by max supply), as ``plan``
    reports them. Errors name the inputs field (``utility_score``, ``quality_score``,
    ``minted_supply``)."""

class ClaimProof(TypedDict):
    account: str
    amount: str  # cumulative base units (1 MDT = 10**18), decimal digits
    proof: List[str]

class ClaimsTree:
    """OpenZeppelin's ``StandardMerkleTree`` of ``["address", "uint256"]`` claims."""

    @property
    def root(self) -> str:
        """``0x`` and 64 hex digits: what the claims contract stores."""
    def proof(self, account: str) -> Optional[ClaimProof]:
        """The account's cumulative amount and sibling hashes; ``None`` without a leaf."""
    def dump(self) -> Dict[str, Any]:
        """The tree in ``StandardMerkleTree.dump()`` format (``"standard-v1"``)."""
    def __len__(self) -> int: ...

def tree(plan_or_amounts: Union[Plan, Mapping[str, Amount]]) -> ClaimsTree:
    """The claims tree of a plan (each account's transfers summed) or of a mapping from
    account to cumulative MDT; leaves hold base units. Raises ``ValueError`` for a bad
    address or amount (a ``float`` too), no leaves or an account given twice."""

def verify(root: str, account: str, amount: Union[int, str], proof: List[str]) -> bool:
    """Whether ``proof`` proves ``(account, amount)`` (base units) under ``root``, as the
    contract's ``MerkleProof.verify`` answers."""
