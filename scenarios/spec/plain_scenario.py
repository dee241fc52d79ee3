"""A Scenario as plain JSON-able data, for report.json and the run digest.

Why this module exists: a report must say exactly what ran, after defaults, overrides
and scaling, so `replay` can rebuild it and a reader can diff two runs' specs. The
export keeps the dataclass field names (durations stay `*_s`, in seconds) rather than
the TOML keys, turns tuples into lists and sets into sorted lists, so the same Scenario
always serialises to the same JSON.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from scenarios.spec.scenario import Scenario

__all__ = ["scenario_to_dict"]


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, frozenset | set):
        return sorted((_plain(item) for item in value), key=str)
    return value


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """All fields as plain JSON-able data for report.json: dataclass field names (so
    durations keep their `_s` and are seconds), tuples and sets as lists."""
    result: dict[str, Any] = _plain(scenario)
    return result
