"""Range rules for every number in a scenario, decided by the field's name.

Why this module exists: a negative arrival rate, a 1.5 probability or a zero-sized world
type-checks fine and then produces a run that means nothing, minutes later. Rather than
list a range for each of the spec's many numeric fields, the range follows from the
name, so a new field gets the right rule by being named like its peers: nothing is
negative; ``*_rate``, ``*_share``, ``return_rate_*``, ``cancel_rate_*`` and
``store_range`` are probabilities in [0, 1]; ``*_pct`` are percentages in [0, 100]; the
counts and sizes in `_POSITIVE` must be greater than 0; a basket has at least one line.
"""

from __future__ import annotations

import math
from typing import Any

from scenarios.spec.durations import format_duration
from scenarios.spec.load_errors import fail, show

__all__ = ["check_range"]

#: numeric fields that must be > 0 (all numbers must be >= 0)
_POSITIVE = frozenset(
    {
        "scale",
        "multiplier",
        "duration_s",
        "skus",
        "stores",
        "dcs",
        "customers",
        "hot_skus",
        "concurrency",
        "erp_concurrency",
        "max_attempts",
        "failure_threshold",
        "pickers_per_dc",
        "analysts",
        "min_basket",
        "accounts",
    }
)
_AT_LEAST_ONE = frozenset({"basket_lines_mean"})


def _is_probability(field_name: str) -> bool:
    return (
        field_name.endswith(("_rate", "_share"))
        or field_name.startswith(("return_rate_", "cancel_rate_"))
        or field_name == "store_range"
    )


def _is_percentage(field_name: str) -> bool:
    return field_name.endswith("_pct") or "_pct_" in field_name


def _check_number(name: str, value: float, path: str, duration: bool) -> None:
    """Range rules by field name: nothing negative, probabilities in [0, 1], ..."""
    shown = format_duration(value) if duration else show(value)
    noun = "a duration" if duration else "a number"
    if not math.isfinite(value):
        raise fail(path, f"expected a finite number, got {shown}")
    if _is_probability(name) and not 0 <= value <= 1:
        raise fail(path, f"expected a probability between 0 and 1, got {shown}")
    if _is_percentage(name) and not 0 <= value <= 100:
        raise fail(path, f"expected a percentage between 0 and 100, got {shown}")
    if name in _POSITIVE and value <= 0:
        raise fail(path, f"expected {noun} greater than 0, got {shown}")
    if name in _AT_LEAST_ONE and value < 1:
        raise fail(path, f"expected {noun} of at least 1, got {shown}")
    if value < 0:
        raise fail(path, f"expected a non-negative {noun[2:]}, got {shown}")


def check_range(name: str, value: Any, path: str, duration: bool) -> None:
    """Check a converted field value (a number, or each number of a tuple) by its name."""
    if isinstance(value, tuple):
        for i, item in enumerate(value):
            check_range(name, item, f"{path}[{i}]", duration)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        _check_number(name, value, path, duration)
