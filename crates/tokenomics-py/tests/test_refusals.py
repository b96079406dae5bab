"""Refusals: a float amount, a bad address, bad configuration; each a ValueError with the
CLI's one-line message, naming the field."""

import json
import re
from decimal import Decimal

import pytest

import moderntensor_tokenomics as t
from conftest import cli_message, cli_plan

BASE = {
    "epoch": 1,
    "utility_score": "1",
    "validators": [{"address": "0x" + "cd" * 20, "stake": "10"}],
    "community_address": "0x" + "11" * 20,
    "dao_address": "0x" + "22" * 20,
}


def with_(**fields):
    return {**BASE, **fields}


@pytest.mark.parametrize(
    "inputs, field",
    [
        (with_(minted_supply=5.0), "minted_supply"),
        (with_(recycling_pool=0.5), "recycling_pool"),
        (with_(fees={"slashing": 1e20}), "fees.slashing"),
        (with_(validators=[{"address": "0x" + "cd" * 20, "stake": 10.0}]), "validators[0].stake"),
        (
            with_(delegators=[{"address": "0x" + "ee" * 20, "stake": 2.5, "lock_days": 3}]),
            "delegators[0].stake",
        ),
    ],
)
def test_a_float_in_an_amount_is_a_value_error_naming_the_field(inputs, field):
    pattern = rf"^<inputs>: {re.escape(field)}: amount .* must be a decimal string"
    with pytest.raises(ValueError, match=pattern):
        t.plan(inputs)


def test_a_float_amount_is_refused_with_the_cli_message_for_the_same_json():
    text = json.dumps(with_(minted_supply=5.0))
    code, stderr = cli_plan(text)
    assert code == 2
    with pytest.raises(ValueError) as error:
        t.plan(text)
    assert str(error.value) == cli_message(stderr)


@pytest.mark.parametrize(
    "inputs",
    [
        with_(community_address="0x12"),
        with_(dao_address="0x" + "00" * 20),
        with_(validators=[{"address": "0x" + "cd" * 20, "stake": "-1"}]),
        with_(utility_score="1.5"),
        with_(network={"task_volume": 1, "avg_task_difficulty": 0, "validator_participation": 0}),
        with_(unknown_field=1),
        {k: v for k, v in BASE.items() if k != "dao_address"},
    ],
)
def test_bad_inputs_get_the_cli_message(inputs):
    text = json.dumps(inputs)
    code, stderr = cli_plan(text)
    assert code == 2
    with pytest.raises(ValueError) as error:
        t.plan(text)
    assert str(error.value) == cli_message(stderr)


def test_a_dict_refusal_names_the_field_without_a_json_position():
    with pytest.raises(ValueError) as error:
        t.plan(with_(community_address="0x12"))
    assert str(error.value).startswith("<inputs>: community_address: invalid address")
    assert " at line " not in str(error.value)


def test_json_syntax_errors_name_line_and_column():
    with pytest.raises(ValueError, match=r"^<inputs>: epoch: JSON syntax error at line 1, column 10: "):
        t.plan('{"epoch": ')


def test_nan_and_infinity_are_refused_naming_the_field():
    with pytest.raises(ValueError, match=r"^<inputs>: utility_score: float nan is not a finite number$"):
        t.plan(with_(utility_score=float("nan")))
    with pytest.raises(ValueError, match=r"^<inputs>: minted_supply: Decimal .*Infinity.* is not a finite number$"):
        t.plan(with_(minted_supply=Decimal("Infinity")))


def test_a_value_that_is_not_json_is_a_type_error_naming_the_field():
    with pytest.raises(TypeError, match=r"^<inputs>: validators\[0\]\.stake: set is not a JSON value"):
        t.plan(with_(validators=[{"address": "0x" + "cd" * 20, "stake": {1}}]))
    with pytest.raises(TypeError, match="inputs must be a dict or JSON text"):
        t.plan([BASE])


def test_a_bad_configuration_names_the_key():
    with pytest.raises(ValueError, match=r"^<config>: \[rpc\] timeout_ms: must be at least 1$"):
        t.plan(BASE, "[rpc]\ntimeout_ms = 0\n")
    with pytest.raises(ValueError, match=r"^<config>: "):
        t.schedule(10, "[distribution]\nminers = 1\n")
