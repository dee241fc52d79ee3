"""A Scenario back into the TOML a person writes, and a recorded spec back into a
Scenario, both through the loader so what comes back is validated like any file.

Two commands need this. `replay` rebuilds the exact scenario a run used from
report.json's `scenario_spec` (field names as in the dataclasses, durations in seconds,
already scaled), rather than trusting that the named file is unchanged. `shrink` writes
the smaller failing case it finds as a scenario file that `retailtwin run FILE` loads.

The mapping is the loader's own naming rule run backwards: a duration field drops its
`_s` (a number of seconds is a valid duration), `hub.sync_mode` and
`hub.sync_interval_s` become `hub.sync = "MODE:SECONDSs"` (`hub.price_sync` alike), an
unset SLA threshold is "none". A spec is already scaled, so it is written with
`scale = 1.0` (loading must not shrink it twice) and the scale it ran at is put back
afterwards.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import tomli_w

from hub.policy import HubPolicy
from scenarios.spec.conversion import build_hub_policy
from scenarios.spec.durations import format_duration, parse_duration
from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import scenario_from_dict, scenario_to_dict, toml_key
from scenarios.spec.scenario import Scenario
from scenarios.spec.toml_keys import PACKED_SYNC

#: the fields of Scenario that sit in its [scenario] header table
_HEADER = ("name", "description", "seed", "start_s", "duration_s", "drain_s", "scale")


def _duration(seconds: float) -> str | float:
    """ "1h30m" where that reads back exactly, else the number of seconds."""
    text = format_duration(seconds)
    try:
        return text if parse_duration(text, "") == seconds else seconds
    except ScenarioError:
        return seconds


def _table(plain: Mapping[str, Any]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for name, value in plain.items():
        key = toml_key(name)
        if value == []:
            continue  # every list that may be empty defaults to empty
        if key != name and isinstance(value, float):
            table[key] = _duration(value)
        else:
            table[key] = _value(value)
    return table


def _value(value: Any) -> Any:
    if value is None:
        return "none"
    if isinstance(value, Mapping):
        return _table(value)
    if isinstance(value, list | tuple):
        return [_value(item) for item in value]
    return value


def _hub_table(plain: Mapping[str, Any]) -> dict[str, Any]:
    """A `scenario_to_dict` hub section as the [hub] table (its sync mode and interval
    written as the one `sync` key)."""
    packed_fields = {name for pair in PACKED_SYNC.values() for name in pair}
    table = _table({k: v for k, v in plain.items() if k not in packed_fields})
    for packed, (mode, interval_field) in PACKED_SYNC.items():
        if mode in plain:
            interval = _duration(float(plain[interval_field]))
            shown = interval if isinstance(interval, str) else f"{interval}s"
            table[packed] = f"{plain[mode]}:{shown}"
    return table


def hub_policy_from_plain(plain: Mapping[str, Any], source: str = "hub_policy") -> HubPolicy:
    """The hub policy a `scenario_to_dict` hub section describes, checked as the loader
    checks a [hub] table: how the reference hub reads `day.started`'s `hub_policy`."""
    if not isinstance(plain, Mapping):
        raise ScenarioError(f"{source}: expected a table of hub fields", field=source)
    return build_hub_policy(_hub_table(plain), source)


def toml_data(plain: Mapping[str, Any]) -> dict[str, Any]:
    """`scenario_to_dict`-shaped data as the TOML document the loader reads."""
    missing = [name for name in _HEADER if name not in plain]
    if missing:
        raise ScenarioError(
            f"scenario_spec: missing key {missing[0]!r}", field=f"scenario_spec.{missing[0]}"
        )
    header = _table({name: plain[name] for name in _HEADER})
    header["scale"] = 1.0
    data: dict[str, Any] = {"scenario": header}
    for name, value in plain.items():
        if name in _HEADER:
            continue
        if name == "hub" and isinstance(value, Mapping):
            data["hub"] = _hub_table(value)
            continue
        if value != []:
            data[name] = _value(value)
    return data


def from_spec(plain: Mapping[str, Any], source: str = "scenario_spec") -> Scenario:
    """The Scenario a report's `scenario_spec` describes, validated by the loader."""
    if not isinstance(plain, Mapping):
        raise ScenarioError(f"{source}: expected a table of scenario fields", field=source)
    scenario = scenario_from_dict(toml_data(plain), source=source)
    scale = plain.get("scale", 1.0)
    if isinstance(scale, int | float) and not isinstance(scale, bool):
        scenario = dataclasses.replace(scenario, scale=float(scale))
    return scenario


def dumps(scenario: Scenario, comment: str = "") -> str:
    """The scenario as TOML text (`scale = 1.0`: its sizes are written as they run),
    with `comment` as leading `#` lines."""
    plain = scenario_to_dict(scenario)
    text = tomli_w.dumps(toml_data(plain), multiline_strings=True)
    lines = [f"# {line}".rstrip() for line in comment.splitlines()]
    return ("\n".join(lines) + "\n\n" if lines else "") + text
