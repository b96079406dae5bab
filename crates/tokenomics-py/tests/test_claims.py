"""tree() and verify(): the claims tree of a plan or of cumulative amounts is
OpenZeppelin's StandardMerkleTree of the same values (contracts/merkle-compat.js, the
pinned @openzeppelin/merkle-tree), and its proofs verify."""

import json
import subprocess
from decimal import Decimal

import pytest

import moderntensor_tokenomics as t
from conftest import ROOT

PLAN_INPUTS = {
    "epoch": 3,
    "utility_score": "0.67",
    "miners": [{"address": "0x" + "a1" * 20, "score": "0.9"},
               {"address": "0x" + "a2" * 20, "score": "0.3"}],
    # a1 is a validator too: its leaf is the sum of its two transfers.
    "validators": [{"address": "0x" + "a1" * 20, "stake": "100"},
                   {"address": "0x" + "b2" * 20, "stake": "50"}],
    "community_address": "0x" + "cc" * 20,
    "dao_address": "0x" + "dd" * 20,
}
WEI = 10**18


def openzeppelin(values, tmp_path):
    compat = ROOT / "contracts" / "merkle-compat.js"
    if not (ROOT / "contracts" / "node_modules" / "@openzeppelin" / "merkle-tree").exists():
        pytest.fail("@openzeppelin/merkle-tree missing: npm ci --prefix contracts")
    path = tmp_path / "values.json"
    path.write_text(json.dumps(values))
    done = subprocess.run(["node", str(compat), "of", str(path)],
                          capture_output=True, text=True, check=True, cwd=ROOT / "contracts")
    return json.loads(done.stdout)


def test_the_tree_of_a_plan_is_openzeppelins_tree_of_each_accounts_sum(tmp_path):
    plan = t.plan(PLAN_INPUTS)
    tree = t.tree(plan)
    sums = {}
    for transfer in plan["transfers"]:
        sums[transfer["to"]] = sums.get(transfer["to"], 0) + Decimal(transfer["amount"]) * WEI
    values = [[account, str(int(amount))] for account, amount in sums.items()]
    assert len(tree) == len(values) == len(plan["transfers"]) - 1
    theirs = openzeppelin(values, tmp_path)
    assert tree.root == theirs["root"]
    assert tree.dump() == theirs["dump"]


def test_every_proof_verifies_and_a_wrong_amount_does_not():
    tree = t.tree(t.plan(PLAN_INPUTS))
    for entry in tree.dump()["values"]:
        account, amount = entry["value"]
        proof = tree.proof(account)
        assert proof["amount"] == amount
        assert t.verify(tree.root, account, int(amount), proof["proof"])
        assert not t.verify(tree.root, account, int(amount) + 1, proof["proof"])
    assert tree.proof("0x" + "ee" * 20) is None


def test_a_mapping_of_mdt_gives_the_same_tree_as_the_plan():
    plan = t.plan(PLAN_INPUTS)
    sums = {}
    for transfer in plan["transfers"]:
        sums[transfer["to"]] = sums.get(transfer["to"], Decimal(0)) + Decimal(transfer["amount"])
    assert t.tree(sums).root == t.tree(plan).root
    assert t.tree({k: format(v, "f") for k, v in sums.items()}).root == t.tree(plan).root


def test_a_float_amount_or_a_bad_address_is_refused_naming_it():
    with pytest.raises(ValueError, match=r"^<claims>: amounts\[0x.*\]: amount 1.5 is a float"):
        t.tree({"0x" + "a1" * 20: 1.5})
    with pytest.raises(ValueError, match=r"^<claims>: amounts\[0x12\]: invalid address"):
        t.tree({"0x12": "1"})
    with pytest.raises(ValueError, match=r"^<claims>: "):
        t.tree({})
    with pytest.raises(ValueError, match=r"^<claims>: root: invalid hash"):
        t.verify("0x12", "0x" + "a1" * 20, 1, [])
