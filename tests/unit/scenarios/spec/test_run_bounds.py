"""A scenario that would not fit the machine, or whose faults would do nothing or
clash, is refused before it runs; deep or huge TOML is refused as it is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios.spec.durations import format_duration
from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import load_scenario
from scenarios.spec.run_bounds import MAX_CHANNEL_ORDERS, expected_volume
from scenarios.spec.toml_limits import MAX_DEPTH, MAX_FILE_BYTES
from scenarios.spec.value_ranges import CEILINGS
from scenarios.twin.runtime import run


def refusal(*overrides: str, name: str = "steady-day") -> str:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(name, overrides)
    return str(caught.value)


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("scenario.scale=1e9", "scenario.scale: expected a number of at most 20, got"),
        ("scenario.duration=876000h", "scenario.duration: expected a duration of at most 14d"),
        ("scenario.drain=30d", "scenario.drain: expected a duration of at most 7d"),
        ("world.skus=10000000", "world.skus: expected a number of at most 200000"),
        ("world.dcs=51", "world.dcs: expected a number of at most 50, got 51"),
        ("demand.web_orders_per_hour=1e12", "at most 1000000000, got"),
        ("backends.erp.token_lifetime=400d", "expected a duration of at most 30d, got 400d"),
        ("demand.basket_lines_mean=1000", "demand.basket_lines_mean: expected a number of at most"),
    ],
)
def test_every_number_has_a_ceiling(override: str, expected: str) -> None:
    assert expected in refusal(override)


def test_a_run_too_big_for_the_machine_is_refused_with_its_volume() -> None:
    message = refusal("demand.web_orders_per_hour=400000")
    assert "scenario.scale: the scenario would make about" in message
    assert "channel orders" in message and f"at most {MAX_CHANNEL_ORDERS:,}" in message
    assert "lower scenario.scale, the demand rates or scenario.duration" in message


def test_scale_and_rates_together_are_bounded_though_each_is_within_its_range() -> None:
    assert "8,481,920 channel orders" in refusal("scenario.scale=20", name="peak-weekend")
    message = refusal("demand.store_sales_per_hour=200000")
    assert "store sales" in message and "at most 2,500,000" in message


def test_the_expected_volume_is_what_a_run_makes() -> None:
    scenario = load_scenario("steady-day", ("scenario.scale=0.2",))
    orders, sales = expected_volume(scenario, 1.0)  # loaded: already scaled
    result = run(scenario)
    made = len(result.estate.storefront.orders) + sum(
        len(m.orders) for m in result.estate.marketplaces
    )
    # a Poisson count: within 4 standard deviations of its mean
    assert abs(made - orders) < 4 * orders**0.5, (made, orders)
    assert sales > 0


def test_a_fault_after_the_run_ends_is_refused() -> None:
    message = refusal(
        "scenario.duration=3h",
        "scenario.drain=1h",
        'faults=[{target="erp",kind="outage",start="50h",duration="1h"}]',
    )
    assert "faults[0].start: 2d2h is after the run ends at 4h" in message
    assert "the fault would do nothing" in message


def test_a_fault_in_the_drain_is_kept() -> None:
    load_scenario(
        "steady-day",
        (
            "scenario.duration=3h",
            "scenario.drain=2h",
            'faults=[{target="erp",kind="outage",start="4h",duration="30m"}]',
        ),
    )


def test_two_faults_of_one_kind_overlapping_on_one_target_are_refused_naming_both() -> None:
    message = refusal(
        'faults=[{target="erp",kind="outage",start="12h",duration="1h"},'
        '{target="wms",kind="outage",start="12h",duration="1h"},'
        '{target="erp",kind="outage",start="12h30m",duration="1h"}]'
    )
    assert "faults[2]: erp outage from 12h30m to 13h30m overlaps faults[0] (erp outage" in message


def test_faults_of_different_kinds_on_one_target_compose() -> None:
    load_scenario("fraud-review")  # the screen slow all evening and down for part of it


def test_a_deeply_nested_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text('[scenario]\nname = "x"\ndescription = "y"\n[world]\nskus = ' + "[" * 5000)
    path.write_text(path.read_text() + "]" * 5000)
    with pytest.raises(ScenarioError, match=f"nested too deep; expected at most {MAX_DEPTH}"):
        load_scenario(str(path))


def test_a_deeply_nested_override_is_refused() -> None:
    assert "--set world.skus: tables or arrays nested too deep" in refusal(
        "world.skus=" + "[" * 3000 + "]" * 3000
    )


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(ScenarioError, match="expected at most 1,048,576"):
        load_scenario(str(path))


def test_docs_list_every_ceiling() -> None:
    shown = []
    for name, ceiling in CEILINGS.items():
        if name in ("duration_s", "drain_s"):
            shown.append(f"`{name[:-2]}` {format_duration(ceiling)}")
        else:
            shown.append(f"`{name}` {int(ceiling):,}")  # every other ceiling is whole
    docs = (Path(__file__).parents[4] / "docs" / "scenarios.md").read_text()
    marker = "<!-- ceilings: held by tests/unit/scenarios/spec/test_run_bounds.py -->"
    paragraph = docs.split(marker)[1].split("\n\n")[0]
    assert " ".join(paragraph.split()) == "Ceilings, by field name: " + "; ".join(shown) + "."


def test_a_run_starting_at_nine_trades_at_the_mornings_rates() -> None:
    night = load_scenario("steady-day", ("scenario.duration=2h", "scenario.scale=0.5"))
    morning = load_scenario(
        "steady-day", ("scenario.start=9h", "scenario.duration=2h", "scenario.scale=0.5")
    )
    assert morning.start_s == 9 * 3600
    expected_night, _ = expected_volume(night, 1.0)
    expected_morning, _ = expected_volume(morning, 1.0)
    assert expected_morning > 5 * expected_night  # steady-day's profile: 1.0-1.2 vs 0.1-0.2
    made_night = len(run(night).estate.storefront.orders)
    made_morning = len(run(morning).estate.storefront.orders)
    assert made_morning > 3 * made_night, (made_morning, made_night)


def test_a_start_is_a_time_of_day() -> None:
    assert "scenario.start: expected a time of day from 0s to 23h59m59s, got 1d" in refusal(
        "scenario.start=24h"
    )
