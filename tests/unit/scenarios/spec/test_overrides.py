"""`--set` overrides: TOML values over the file's, later over earlier, blamed by name."""

from __future__ import annotations

from pathlib import Path

import pytest
from scenario_files import MINIMAL, load_text, write

from hub.policy import RetryPolicy
from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import (
    load_scenario,
    scenario_from_dict,
)


def test_override_bool_and_nested_backend(tmp_path: Path) -> None:
    scenario = load_text(tmp_path, "", "hub.idempotency=false", "backends.erp.idempotent_refs=true")
    assert scenario.hub.idempotency is False
    assert scenario.backends.erp.idempotent_refs is True


def test_override_duration_and_integer(tmp_path: Path) -> None:
    scenario = load_text(tmp_path, "", "scenario.duration=6h", "world.skus=200")
    assert scenario.duration_s == 6 * 3600
    assert scenario.world.skus == 200


def test_override_sync_batch(tmp_path: Path) -> None:
    scenario = load_text(tmp_path, '[hub]\nsync = "event"\n', "hub.sync=batch:15m")
    assert scenario.hub.sync_mode == "batch"
    assert scenario.hub.sync_interval_s == 900.0


def test_override_wins_over_file_and_later_override_wins(tmp_path: Path) -> None:
    scenario = load_text(tmp_path, "[world]\nskus = 50\n", "world.skus=60", "world.skus=70")
    assert scenario.world.skus == 70


def test_override_values_parse_as_toml(tmp_path: Path) -> None:
    scenario = load_text(
        tmp_path,
        "",
        'scenario.name="quoted"',
        "scenario.description=bare words here",
        'world.regions=["a", "b"]',
        "hub.retry={max_attempts = 2}",
    )
    assert scenario.name == "quoted"
    assert scenario.description == "bare words here"
    assert scenario.world.regions == ("a", "b")
    assert scenario.hub.retry == RetryPolicy(max_attempts=2)


def test_override_unknown_key_suggests_full_path(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_text(tmp_path, "", "hub.idempotncy=false")
    assert str(info.value) == '--set hub.idempotncy: no such key; did you mean "hub.idempotency"?'


@pytest.mark.parametrize(
    ("override", "fragment"),
    [
        ("seed=3", 'did you mean "scenario.seed"?'),
        ("duration=6h", 'did you mean "scenario.duration"?'),
        ("scenario.duration_s=1h", 'did you mean "scenario.duration"?'),
        ("hub.sync_mode=batch", 'did you mean "hub.sync"?'),
        ("world.skus.more=1", "world.skus is a single value, not a table"),
        ("faults.first.start=1h", "faults is an array; pick an entry by index"),
        ("faults.0.duration=30m", "faults has no entry 0"),
        ("world..skus=1", "empty part"),
    ],
)
def test_override_path_errors(tmp_path: Path, override: str, fragment: str) -> None:
    with pytest.raises(ScenarioError) as info:
        load_text(tmp_path, "", override)
    assert str(info.value).startswith(f"--set {override.partition('=')[0]}: ")
    assert fragment in str(info.value)


def test_override_without_equals(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"--set hub\.idempotency: expected KEY=VALUE"):
        load_text(tmp_path, "", "hub.idempotency")


def test_bad_override_value_is_blamed_on_the_override(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_text(tmp_path, "", "world.skus=many")
    assert str(info.value) == '--set world.skus: expected an integer, got "many"'


def test_override_into_array_of_tables(tmp_path: Path) -> None:
    faults = (
        '[[faults]]\ntarget = "erp"\nkind = "outage"\nstart = "1h"\nduration = "1h"\n'
        '[[faults]]\ntarget = "wms"\nkind = "outage"\nstart = "2h"\nduration = "1h"\n'
    )
    scenario = load_text(tmp_path, faults, "faults.1.duration=30m")
    assert [f.duration_s for f in scenario.faults] == [3600.0, 1800.0]
    with pytest.raises(ScenarioError, match=r"^--set faults\[1\]\.kind: unknown fault kind"):
        load_text(tmp_path, faults, "faults.1.kind=flood")


def test_override_creates_absent_tables(tmp_path: Path) -> None:
    scenario = load_text(tmp_path, "", "hub.breaker.open=1m", "sla.sync_lag_p95=none")
    assert scenario.hub.breaker.open_s == 60.0
    assert scenario.sla.sync_lag_p95_s is None


def test_overrides_do_not_mutate_the_input() -> None:
    raw = {"scenario": {"name": "n", "description": "d"}}
    scenario_from_dict(raw, ["world.skus=30"])
    assert raw == {"scenario": {"name": "n", "description": "d"}}


def test_seed_argument_replaces_file_seed(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "seed = 3\n")
    assert load_scenario(str(path)).seed == 3
    assert load_scenario(str(path), seed=99).seed == 99
    with pytest.raises(ScenarioError, match="seed: expected a non-negative integer"):
        load_scenario(str(path), seed=-1)
