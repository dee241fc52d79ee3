"""Parsed TOML into spec dataclasses: each value checked against its field's type hint.

Why this module exists: `tomllib` gives plain dicts, lists, strings and numbers, and a
scenario is a tree of frozen dataclasses. This walks the two together, table by table:
an unknown key or a missing required one is an error, each value is converted to its
field's type (durations from ``"45m"``, tuples from arrays, nested specs from tables,
``"none"`` for an optional threshold) and then checked, first on its own
(`value_ranges`, `field_rules`), then against its neighbours once the table is built
(`cross_field_rules`). Nothing falls back to a default silently; the first problem
raises a `ScenarioError` naming its dotted path.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Mapping
from enum import Enum
from typing import Any, Literal, get_args, get_origin

from hub.policy import HubPolicy
from scenarios.spec.cross_field_rules import check_scenario, check_table
from scenarios.spec.durations import parse_duration
from scenarios.spec.errors import ScenarioError
from scenarios.spec.field_rules import check_defects, check_field, parse_sync
from scenarios.spec.load_errors import choice_error, fail, type_error, unknown_key
from scenarios.spec.scenario import Scenario
from scenarios.spec.toml_keys import (
    PACKED_SYNC,
    element_type,
    is_dataclass_type,
    join,
    table_keys,
    top_keys,
)
from scenarios.spec.value_ranges import check_range

__all__ = ["build_scenario", "convert"]


def convert(value: Any, hint: Any, path: str, duration: bool = False) -> Any:
    """`value` read from TOML, checked against type `hint` and converted to it."""
    origin = get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in get_args(hint) if arg is not type(None)]
        if isinstance(value, str) and value == "none":
            return None
        if len(options) != 1:  # pragma: no cover - scenario.py has no such field
            raise TypeError(f"{path}: the loader cannot read {hint!r}")
        try:
            return convert(value, options[0], path, duration)
        except ScenarioError as exc:
            raise ScenarioError(f'{exc} (or "none" for no threshold)', field=exc.field) from None
    if is_dataclass_type(hint):
        if not isinstance(value, dict):
            raise type_error(path, "a table", value)
        return _build(hint, value, path)
    if isinstance(hint, type) and issubclass(hint, Enum):
        choices = [str(member.value) for member in hint]
        if not isinstance(value, str) or value not in choices:
            raise choice_error(path, _words(hint.__name__), value, choices)
        return hint(value)
    if origin is Literal:
        choices = [str(choice) for choice in get_args(hint)]
        if not isinstance(value, str) or value not in choices:
            raise choice_error(path, "value", value, choices)
        return value
    element = element_type(hint)
    if element is not None:
        if not isinstance(value, list):
            if is_dataclass_type(element):
                fix = f" (write [[{path}]] for each entry)" if isinstance(value, dict) else ""
                raise type_error(path, f"an array of tables{fix}", value)
            raise type_error(path, "an array", value)
        items = [convert(item, element, f"{path}[{i}]") for i, item in enumerate(value)]
        return tuple(items) if origin is tuple else frozenset(items)
    if hint is bool:
        if not isinstance(value, bool):
            raise type_error(path, "true or false", value)
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise type_error(path, "an integer", value)
        return value
    if hint is float:
        if duration:
            return parse_duration(value, path)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise type_error(path, "a number", value)
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise type_error(path, "a string", value)
        return value
    raise TypeError(f"{path}: the loader cannot read {hint!r}")  # pragma: no cover


def _words(name: str) -> str:
    """An enum's name as the error message calls it: `FaultKind` -> "fault kind"."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()


def _parse_table(cls: type[Any], table: Mapping[str, Any], path: str) -> dict[str, Any]:
    """Constructor arguments for `cls` from one TOML table."""
    keys = table_keys(cls)
    for key in table:
        if key not in keys:
            raise unknown_key(str(key), keys, path)
    kwargs: dict[str, Any] = {}
    for key, value in table.items():
        spec = keys[key]
        where = join(path, key)
        if spec.field is None:  # hub.sync, hub.price_sync
            mode, interval = PACKED_SYNC[key]
            kwargs[mode], kwargs[interval] = parse_sync(value, where)
            continue
        converted = convert(value, spec.hint, where, spec.duration)
        check_range(spec.field, converted, where, spec.duration)
        kwargs[spec.field] = check_field(cls, spec.field, converted, where)
        if cls is HubPolicy and spec.field == "defects":
            check_defects(value, where)
    for key, spec in keys.items():
        if spec.field is None or spec.field in kwargs:
            continue
        f = next(f for f in dataclasses.fields(cls) if f.name == spec.field)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise fail(join(path, key), "missing required key")
    return kwargs


def _build(cls: type[Any], table: Mapping[str, Any], path: str) -> Any:
    obj = cls(**_parse_table(cls, table, path))
    check_table(obj, path)
    return obj


def build_hub_policy(table: Mapping[str, Any], path: str = "hub") -> HubPolicy:
    """A hub policy from a [hub] table alone, checked as in a scenario file."""
    policy: HubPolicy = _build(HubPolicy, table, path)
    return policy


def build_scenario(raw: Mapping[str, Any]) -> Scenario:
    """The Scenario a whole parsed file describes (unscaled), or the first error in it."""
    top = top_keys()
    for key in raw:
        if key not in top:
            raise unknown_key(str(key), top, "")
    header = raw.get("scenario")
    if header is None:
        raise fail(
            "scenario", "missing table; a scenario file needs [scenario] with name and description"
        )
    if not isinstance(header, dict):
        raise type_error("scenario", "a table", header)
    kwargs = _parse_table(Scenario, header, "scenario")
    for field_name in ("name", "description"):
        if not kwargs[field_name].strip():
            raise fail(f"scenario.{field_name}", 'expected a non-empty string, got ""')
    for key, spec in top.items():
        if spec.field is not None and key in raw:
            kwargs[spec.field] = convert(raw[key], spec.hint, key)
    scenario = Scenario(**kwargs)
    check_scenario(scenario)
    return scenario
