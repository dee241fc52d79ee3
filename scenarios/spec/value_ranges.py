"""Range rules for every number in a scenario, decided by the field's name.

Why this module exists: a negative arrival rate, a 1.5 probability or a zero-sized world
type-checks fine and then produces a run that means nothing, minutes later. Rather than
list a range for each of the spec's many numeric fields, the range follows from the
name, so a new field gets the right rule by being named like its peers: nothing is
negative; ``*_rate``, ``*_share``, ``return_rate_*``, ``cancel_rate_*`` and
``store_range`` are probabilities in [0, 1]; ``*_pct`` are percentages in [0, 100]; the
counts and sizes in `POSITIVE_FIELDS` must be greater than 0; a basket has at least one line.

Every number also has a ceiling, so a typo (`scale = 1e9`, a 100-year duration) is
refused at once instead of running until the machine gives out: the fields in
`CEILINGS` have their own, any other duration at most 30 days, any other number at most
`ANY_NUMBER_CEILING`. The ceilings are far above any real estate; what bounds the size
of a run on a 24 GiB machine is the expected volume of orders and sales
(`scenarios.spec.run_bounds`), checked once the tables are built.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from scenarios.spec.durations import format_duration
from scenarios.spec.load_errors import fail, show

__all__ = [
    "ANY_DURATION_CEILING_S",
    "ANY_NUMBER_CEILING",
    "CEILINGS",
    "Bounds",
    "bounds",
    "check_range",
]

_DAY_S = 86400.0
#: the largest value of a field, by name: sizes of the world, rates, multipliers and the
#: run's own length (in seconds for durations)
CEILINGS: dict[str, float] = {
    "scale": 20.0,
    "duration_s": 14 * _DAY_S,
    "drain_s": 7 * _DAY_S,
    "seed": 2**63 - 1,
    "skus": 200_000,
    "stores": 5_000,
    "dcs": 50,
    "customers": 5_000_000,
    "accounts": 100_000,
    "contract_skus": 200_000,
    "hot_skus": 200_000,
    "min_basket": 1_000_000_000,
    "multiplier": 100.0,
    "hourly_profile": 100.0,
    "basket_lines_mean": 100.0,
    "zipf_s": 10.0,
    "store_stock_mean": 100_000.0,
    "dc_cover_days": 365.0,
    "stock_cover_days": 365.0,
    "dc_replenish_interval_h": 720.0,
    "store_replenish_interval_h": 720.0,
    "return_delay_h": 720.0,
    "collect_delay_h": 720.0,
    "net_days": 365,
    "late_days_max": 365.0,
    "lines_per_order": 1_000,
    "units_per_line": 100_000,
    "concurrency": 100_000,
    "erp_concurrency": 100_000,
    "pickers_per_dc": 100_000,
    "analysts": 100_000,
    "queue_limit": 10_000_000,
    "max_attempts": 1_000,
    "failure_threshold": 100_000,
    "safety_stock": 1_000_000,
    "units": 100_000_000,
}
#: any other duration: at most 30 days (a token's lifetime, a window, a delay)
ANY_DURATION_CEILING_S = 30 * _DAY_S
#: any other number: rates per hour or second, counts (far above any real estate)
ANY_NUMBER_CEILING = 1e9

#: numeric fields that must be > 0 (all numbers must be >= 0); docs/scenarios.md lists
#: them too (tests/unit/scenarios/spec/test_range_docs.py holds the two together)
POSITIVE_FIELDS = frozenset(
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
    if name in POSITIVE_FIELDS and value <= 0:
        raise fail(path, f"expected {noun} greater than 0, got {shown}")
    if name in _AT_LEAST_ONE and value < 1:
        raise fail(path, f"expected {noun} of at least 1, got {shown}")
    if value < 0:
        raise fail(path, f"expected a non-negative {noun[2:]}, got {shown}")
    ceiling = _ceiling(name, duration)
    if value > ceiling:
        most = format_duration(ceiling) if duration else show(_plain(ceiling))
        raise fail(path, f"expected {noun} of at most {most}, got {shown}")


@dataclass(frozen=True, slots=True)
class Bounds:
    """A field's range as a JSON Schema states it (`scenarios.spec.json_schema`): the
    same rules `check_range` applies with its own messages; a test holds the two equal
    at every edge."""

    minimum: float
    maximum: float
    #: the value must be greater than `minimum`, not equal to it
    exclusive_minimum: bool


def bounds(name: str, duration: bool) -> Bounds:
    high = _ceiling(name, duration)
    if _is_probability(name):
        high = min(high, 1.0)
    if _is_percentage(name):
        high = min(high, 100.0)
    low = 1.0 if name in _AT_LEAST_ONE else 0.0
    return Bounds(low, high, exclusive_minimum=name in POSITIVE_FIELDS)


def _ceiling(name: str, duration: bool) -> float:
    if name in CEILINGS:
        return CEILINGS[name]
    return ANY_DURATION_CEILING_S if duration else ANY_NUMBER_CEILING


def _plain(ceiling: float) -> float | int:
    """A ceiling as it reads best: 200000, not 200000.0."""
    return int(ceiling) if float(ceiling).is_integer() else ceiling


def check_range(name: str, value: Any, path: str, duration: bool) -> None:
    """Check a converted field value (a number, or each number of a tuple) by its name."""
    if isinstance(value, tuple):
        for i, item in enumerate(value):
            check_range(name, item, f"{path}[{i}]", duration)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        _check_number(name, value, path, duration)
