"""The shipped JSON Schema is the loader's: current, passing the library, flagging
what the loader refuses, with the same ranges at every edge."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import pytest

from scenarios.spec.errors import ScenarioError
from scenarios.spec.json_schema import SCHEMA_FILE, main, scenario_schema
from scenarios.spec.loader import scenario_from_dict
from scenarios.spec.shipped import scenario_path, shipped_names
from scenarios.spec.toml_keys import TOP_LEVEL, children, element_type, is_dataclass_type
from scenarios.spec.value_ranges import bounds, check_range

VALIDATOR = jsonschema_rs.validator_for(json.loads(SCHEMA_FILE.read_text()))
MINIMAL = {"scenario": {"name": "x", "description": "y"}}


def test_the_shipped_schema_is_what_the_definitions_make() -> None:
    assert main(["--check"]) == 0
    assert json.loads(SCHEMA_FILE.read_text()) == scenario_schema()


@pytest.mark.parametrize("name", shipped_names())
def test_every_shipped_scenario_passes_the_schema(name: str) -> None:
    data = tomllib.loads(scenario_path(name).read_text())
    assert [error.message for error in VALIDATOR.iter_errors(data)] == []


def _with(table: str, key: str, value: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(MINIMAL))
    data.setdefault(table, {})[key] = value
    return data


@pytest.mark.parametrize(
    ("table", "key", "value"),
    [
        ("world", "stroes", 3),  # unknown key
        ("world", "skus", "many"),  # wrong type
        ("world", "skus", 0),  # must be > 0
        ("world", "store_range", 1.5),  # a probability
        ("scenario", "scale", 21),  # over its ceiling
        ("scenario", "duration", "forever"),  # not a duration
        ("scenario", "duration", 20 * 86400),  # over 14 days
        ("hub", "sync", "sometimes"),
        ("sla", "sync_lag_p95", "never"),  # a duration or "none"
    ],
)
def test_what_the_loader_refuses_the_schema_flags(table: str, key: str, value: Any) -> None:
    data = _with(table, key, value)
    assert not VALIDATOR.is_valid(data)
    with pytest.raises(ScenarioError):
        scenario_from_dict(data)


def test_what_the_loader_accepts_the_schema_accepts() -> None:
    for data in (
        _with("scenario", "duration", "1h30m"),
        _with("hub", "sync", "batch:15m"),
        _with("sla", "sync_lag_p95", "none"),
        _with("world", "store_range", 1),
    ):
        scenario_from_dict(data)
        assert VALIDATOR.is_valid(data), data


def _numeric_fields(hint: Any = TOP_LEVEL) -> Iterator[tuple[str, bool, bool]]:
    """(field, duration, integer) for every numeric field of the spec."""
    for spec in (children(hint) or {}).values():
        inner = element_type(spec.hint) or spec.hint
        if is_dataclass_type(inner) or children(inner) is not None:
            yield from _numeric_fields(inner)
        elif spec.field is not None and inner in (int, float):
            yield spec.field, spec.duration, inner is int


@pytest.mark.parametrize(("field", "duration", "integer"), sorted(set(_numeric_fields())))
def test_the_schemas_bounds_are_the_loaders_at_every_edge(
    field: str, duration: bool, integer: bool
) -> None:
    limits = bounds(field, duration)
    step = 1 if integer else 1e-6

    def accepted(value: float) -> bool:
        try:
            check_range(field, int(value) if integer else value, field, duration)
        except ScenarioError:
            return False
        return True

    assert accepted(limits.maximum)
    assert not accepted(limits.maximum + step * max(1.0, limits.maximum * 1e-9))
    assert accepted(limits.minimum) is not limits.exclusive_minimum
    assert not accepted(limits.minimum - step)
