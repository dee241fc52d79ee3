"""Human durations for scenario files: ``"45m"``, ``"1h30m"``, ``"1.5h"``, ``"500ms"``.

Scenario authors think in minutes and hours ("the ERP is down from 11h for 45m"), while
the simulation runs on seconds. Writing ``2700`` invites unit mistakes that no test
catches, so every duration field in a scenario accepts a unit-suffixed string and the
loader converts it here, once, with an error that names the field.

Accepted forms:

* a number (int or float, not bool): seconds, e.g. ``90`` or ``0.25``;
* a string of one or more ``<number><unit>`` parts, units in decreasing size and each at
  most once, optionally separated by spaces: ``"7d"``, ``"1h30m"``, ``"2m 30s"``,
  ``"1.5h"``, ``"500ms"``; units are ``d``, ``h``, ``m``, ``s`` and ``ms``;
* a string holding a plain number: seconds, e.g. ``"90"``.

Durations are never negative and always finite.
"""

from __future__ import annotations

import json
import math
import re

from scenarios.spec.errors import ScenarioError

__all__ = ["UNIT_SECONDS", "format_duration", "parse_duration"]

#: seconds per unit, largest first (the order parts must appear in)
UNIT_SECONDS: dict[str, float] = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}

_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"
# "ms" must be tried before "m" and "s" so "500ms" is not read as 500 minutes + "s".
_PART = re.compile(rf"\s*({_NUMBER})\s*(ms|d|h|m|s)\s*")
_PLAIN = re.compile(rf"\s*{_NUMBER}\s*")
_UNIT_RANK = {unit: rank for rank, unit in enumerate(UNIT_SECONDS)}


def _expected(field: str, got: str) -> ScenarioError:
    return ScenarioError(
        f'{field}: expected a duration like "45m", "1h30m" or a number of seconds, got {got}',
        field=field,
    )


def parse_duration(text: str | int | float, field: str) -> float:
    """Seconds in `text`; `field` is the dotted path used in the error message.

    Raises ScenarioError for anything that is not a finite, non-negative duration.
    """
    if isinstance(text, bool) or not isinstance(text, int | float | str):
        shown = ("true" if text else "false") if isinstance(text, bool) else _show(text)
        raise _expected(field, shown)
    if isinstance(text, int | float):
        seconds = float(text)
        if not math.isfinite(seconds):
            raise _expected(field, repr(text))
        if seconds < 0:
            raise ScenarioError(
                f"{field}: a duration cannot be negative, got {text!r}", field=field
            )
        return seconds
    if _PLAIN.fullmatch(text):
        return float(text)
    seconds = 0.0
    pos = 0
    last_rank = -1
    for match in _PART.finditer(text):
        if match.start() != pos:
            break
        rank = _UNIT_RANK[match.group(2)]
        if rank <= last_rank:
            raise ScenarioError(
                f"{field}: duration parts must go from largest to smallest unit "
                f"(d, h, m, s, ms), each at most once, got {json.dumps(text)}",
                field=field,
            )
        last_rank = rank
        seconds += float(match.group(1)) * UNIT_SECONDS[match.group(2)]
        pos = match.end()
    if pos != len(text) or last_rank < 0:
        if text.strip().startswith("-"):
            raise ScenarioError(
                f"{field}: a duration cannot be negative, got {json.dumps(text)}", field=field
            )
        raise _expected(field, json.dumps(text))
    return seconds


#: seconds (some 30 million years) from which a duration is shown as given, in seconds
_SHOWN_AS_GIVEN_S = 1e15


def format_duration(seconds: float) -> str:
    """The shortest form `parse_duration` reads back to `seconds`: 5400.0 -> "1h30m"."""
    if seconds < 0 or not math.isfinite(seconds):
        return repr(seconds)
    if seconds == 0:
        return "0s"
    if seconds >= _SHOWN_AS_GIVEN_S:
        # far past every ceiling (a refusal is all it gets): named as given, not as a
        # 300-digit count of days, and never an OverflowError past 1.8e305 s, where a
        # thousand times it is no longer finite
        return f"{seconds:g}s"
    millis = round(seconds * 1000)
    if abs(millis - seconds * 1000) > 1e-6:
        return f"{seconds:g}s"
    parts: list[str] = []
    for unit, size in UNIT_SECONDS.items():
        unit_ms = round(size * 1000)
        count, millis = divmod(millis, unit_ms)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def _show(value: object) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return str(value)
