"""schedule() and emission(): the figures the CLI prints, in its shapes."""

from decimal import Decimal

import moderntensor_tokenomics as t


def test_schedule_lists_eras_with_amounts_as_decimal_strings():
    eras = t.schedule(20_000_000)
    assert eras[0] == {
        "index": 0,
        "start_epoch": 0,
        "end_epoch": 8_760_000,
        "emission_per_epoch": "1000",
        "minted": "21000000",
        "supply_at_end": "21000000",
        "capped_at_epoch": 20999,
    }


def test_schedule_follows_the_configuration():
    eras = t.schedule(3000, '[emission]\nbase_reward = "10"\nhalving_interval = 1000\nmin_emission = "1"\n')
    assert [era["emission_per_epoch"] for era in eras] == ["10", "5", "2.5"]
    assert all(era["capped_at_epoch"] is None for era in eras)


def test_emission_is_the_plans_figures_before_the_split():
    figures = t.emission(5, Decimal("0.5"), "0.4", 0)
    plan = t.plan(
        {
            "epoch": 5,
            "utility_score": "0.5",
            "quality_score": "0.4",
            "community_address": "0x" + "11" * 20,
            "dao_address": "0x" + "22" * 20,
        }
    )
    assert figures == {key: plan[key] for key in figures}
    assert list(figures) == [
        "epoch",
        "halvings",
        "utility_score",
        "quality_multiplier",
        "emission",
        "unmet_burned",
        "from_mint",
    ]
    assert isinstance(figures["quality_multiplier"], Decimal)


def test_emission_mints_no_more_than_max_supply_leaves():
    assert t.emission(0, 1, "0.5", "20999999.5")["from_mint"] == "0.5"


def test_emission_refuses_a_float_supply_naming_the_field():
    try:
        t.emission(0, 1, 0.5, 1.0)
    except ValueError as error:
        assert str(error).startswith("<emission>: minted_supply: amount 1.0 must be a decimal string")
    else:
        raise AssertionError("a float minted_supply was accepted")
