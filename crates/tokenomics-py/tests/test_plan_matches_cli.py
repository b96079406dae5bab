"""plan() is `tokenomics plan --json`: same figures, transfers and plan hash, and the same
refusal (the same message for JSON text; the same field for a dict), on random inputs."""

import json
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import moderntensor_tokenomics as t
from conftest import cli_message, cli_plan

hexdigits = "0123456789abcdefABCDEF"
addresses = st.text(hexdigits, min_size=40, max_size=40).map(lambda h: "0x" + h)
# Fractions as people write them: exact decimal text, Decimal, int or float.
fraction_text = st.decimals(
    min_value=0, max_value=1, places=18, allow_nan=False, allow_infinity=False
)
fractions = st.one_of(
    fraction_text.map(lambda d: format(d, "f")),
    fraction_text,
    st.sampled_from([0, 1]),
    st.floats(min_value=0, max_value=1),
)
# MDT amounts: decimal strings, whole ints, Decimals (never float).
amount_value = st.decimals(
    min_value=0, max_value=10**9, places=18, allow_nan=False, allow_infinity=False
)
amounts = st.one_of(
    amount_value.map(lambda d: format(d, "f")),
    st.integers(min_value=0, max_value=10**12),
    amount_value,
)
weights = st.one_of(amounts, st.floats(min_value=0, max_value=1000))
recipients = {
    "miners": st.fixed_dictionaries({"address": addresses, "score": fractions}),
    "validators": st.fixed_dictionaries({"address": addresses, "stake": amounts}),
    "delegators": st.fixed_dictionaries(
        {"address": addresses, "stake": amounts, "lock_days": st.integers(0, 400)}
    ),
    "subnet_owners": st.fixed_dictionaries({"address": addresses, "weight": weights}),
    "infrastructure": st.fixed_dictionaries({"address": addresses, "weight": weights}),
}
network = st.fixed_dictionaries(
    {
        "task_volume": st.integers(0, 20000),
        "avg_task_difficulty": fractions,
        "validator_participation": fractions,
    }
)
fees = st.fixed_dictionaries(
    {},
    optional={
        "transaction_fees": amounts,
        "slashing": amounts,
        "registration": amounts,
        "task_fees": amounts,
    },
)
configs = st.sampled_from(
    [
        None,
        '[burn]\nslashing = 0.3\n',
        '[emission]\nbase_reward = "2000"\nhalving_interval = 1000\n',
        '[distribution]\nminers = 5000\nvalidators = 1300\n',
    ]
)


@st.composite
def epoch_inputs(draw):
    inputs = {
        "epoch": draw(st.integers(0, 50_000)),
        "community_address": draw(addresses),
        "dao_address": draw(addresses),
    }
    if draw(st.booleans()):
        inputs["utility_score"] = draw(fractions)
    else:
        inputs["network"] = draw(network)
    optional = {
        "minted_supply": st.one_of(amounts, st.sampled_from(["20999500", "21000000"])),
        "recycling_pool": amounts,
        "quality_score": fractions,
        "fees": fees,
    }
    for field, strategy in optional.items():
        if draw(st.booleans()):
            inputs[field] = draw(strategy)
    for category, strategy in recipients.items():
        if draw(st.booleans()):
            inputs[category] = draw(st.lists(strategy, max_size=6))
    return inputs


def as_json(inputs) -> str:
    """The inputs as the JSON file a person would write (a Decimal as its plain text)."""
    return json.dumps(inputs, default=lambda d: format(d, "f"))


def strip_position(message: str) -> str:
    """A message without serde's ` at line L column C` (a dict's JSON has no lines)."""
    head, sep, tail = message.rpartition(" at line ")
    return head if sep and tail.replace(" column ", "").isdigit() else message


settings.register_profile(
    "cli", max_examples=60, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("cli")


@given(epoch_inputs(), configs)
def test_plan_of_json_text_is_the_cli_plan_or_its_refusal(tmp_path_factory, inputs, config):
    text = as_json(inputs)
    code, expected = cli_plan(text, config, tmp_path_factory.mktemp("cfg"))
    if code == 0:
        assert t.plan(text, config) == expected
    else:
        assert code == 2
        try:
            t.plan(text, config)
        except ValueError as error:
            assert str(error) == cli_message(expected)
        else:
            raise AssertionError(f"plan() accepted what the CLI refused: {expected}")


@given(epoch_inputs(), configs)
def test_plan_of_a_dict_is_the_plan_of_its_json(tmp_path_factory, inputs, config):
    code, expected = cli_plan(as_json(inputs), config, tmp_path_factory.mktemp("cfg"))
    if code == 0:
        assert t.plan(inputs, config) == expected
    else:
        try:
            t.plan(inputs, config)
        except ValueError as error:
            # The same file and field; a float without a point in its repr is echoed with
            # `.0` added (`1.0e-324`), so the reason's echo may differ from json.dumps'.
            cli = strip_position(cli_message(expected))
            assert str(error).split(": ")[:2] == cli.split(": ")[:2]
        else:
            raise AssertionError(f"plan() accepted what the CLI refused: {expected}")


def test_the_plan_hash_is_the_cli_plan_hash_of_the_same_file(tmp_path):
    text = json.dumps(
        {
            "epoch": 1000,
            "utility_score": 0.67,
            "miners": [{"address": "0x" + "ab" * 20, "score": 0.9}],
            "validators": [{"address": "0x" + "cd" * 20, "stake": "10000"}],
            "community_address": "0x" + "11" * 20,
            "dao_address": "0x" + "22" * 20,
        }
    )
    code, expected = cli_plan(text)
    assert code == 0
    assert t.plan(text)["plan_hash"] == expected["plan_hash"]
    assert isinstance(expected["utility_score"], Decimal)
