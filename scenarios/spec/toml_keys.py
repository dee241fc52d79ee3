"""The TOML keys of a scenario file, read from the spec dataclasses themselves.

Why this module exists: the schema of a scenario file is not written twice. Its keys,
types and defaults come from `scenarios.spec.scenario` and `hub.policy` through
`dataclasses.fields` and `typing.get_type_hints`, so a new field in scenario.py is loadable,
overridable and exported without touching the loader. The file, `--set` overrides and
`round_trip` all name keys the same way, so the naming rules live here once:

* TOML keys are the dataclass field names, except that a field ending in ``_s`` is a
  duration: its key drops the suffix and takes ``"45m"``-style text or a number of
  seconds (``start = "11h"`` -> ``start_s``; ``call_timeout = "30s"`` ->
  ``call_timeout_s``). ``*_per_s`` rates and ``zipf_s`` (an exponent) are not durations
  and keep their names.
* Fields ending in ``_h`` keep their names and are plain numbers of hours.
* Tuples are TOML arrays; tuples of specs are arrays of tables (``[[demand.peaks]]``).
* ``hub.sync`` is the only way to set ``sync_mode`` and ``sync_interval_s``: ``"event"``
  (interval 2s), ``"event:500ms"``, ``"batch"`` (interval 15m) or ``"batch:1h"``;
  ``hub.price_sync`` sets ``price_sync_mode`` and ``price_sync_interval_s`` the same
  way (`PACKED_SYNC`).
* Optional SLA thresholds (``float | None``) are numbers/durations, or ``"none"``.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any, get_args, get_origin, get_type_hints

from hub.policy import HubPolicy
from scenarios.spec.scenario import Scenario

__all__ = [
    "HEADER_TABLE",
    "PACKED_SYNC",
    "SYNC_FORMS",
    "TOP_LEVEL",
    "Key",
    "children",
    "element_type",
    "is_dataclass_type",
    "is_duration",
    "join",
    "packed_sync_key",
    "table_keys",
    "toml_key",
    "top_keys",
]

#: the forms `hub.sync` takes, as error messages spell them
SYNC_FORMS = '"event", "event:DURATION", "batch" or "batch:DURATION" (e.g. "batch:15m")'
#: hub keys that pack a sync mode and its interval into one string: key -> the two fields
PACKED_SYNC: dict[str, tuple[str, str]] = {
    "sync": ("sync_mode", "sync_interval_s"),
    "price_sync": ("price_sync_mode", "price_sync_interval_s"),
}
#: fields whose names end in `_s` but are not durations
_NOT_DURATIONS = frozenset({"zipf_s"})


def packed_sync_key(name: str) -> str | None:
    """The packed key (`sync`, `price_sync`) a misspelt key's fields belong to: someone
    writing `sync_mode` or `price_sync_interval` meant it."""
    for packed, (mode, interval) in PACKED_SYNC.items():
        if name in (mode, interval, interval.removesuffix("_s")):
            return packed
    return None


def is_duration(field_name: str) -> bool:
    """Whether a field holds seconds, read from TOML as a duration."""
    return (
        field_name.endswith("_s")
        and not field_name.endswith("_per_s")
        and field_name not in _NOT_DURATIONS
    )


def toml_key(field_name: str) -> str:
    """The TOML key of a dataclass field: duration fields drop their `_s` suffix."""
    return field_name[:-2] if is_duration(field_name) else field_name


@dataclasses.dataclass(frozen=True, slots=True)
class Key:
    """One TOML key: the dataclass field it fills (None for a virtual key such as
    `hub.sync`) and the resolved type hint that says how to read its value."""

    field: str | None
    hint: Any
    duration: bool = False


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


#: schema node for the whole file, and for its [scenario] table
TOP_LEVEL = _Marker("<top level>")
HEADER_TABLE = _Marker("[scenario]")


def is_dataclass_type(hint: Any) -> bool:
    """Whether a type hint is a spec dataclass (a TOML table)."""
    return isinstance(hint, type) and dataclasses.is_dataclass(hint)


def element_type(hint: Any) -> Any | None:
    """Element type of a tuple[X, ...] or frozenset[X] hint, else None."""
    if get_origin(hint) in (tuple, frozenset):
        return get_args(hint)[0]
    return None


def _is_table_field(hint: Any) -> bool:
    """A Scenario field that is its own top-level table or array of tables."""
    element = element_type(hint)
    return is_dataclass_type(hint) or (element is not None and is_dataclass_type(element))


_KEYS_CACHE: dict[type[Any], dict[str, Key]] = {}


def table_keys(cls: type[Any]) -> dict[str, Key]:
    """TOML keys of a dataclass table. For Scenario: the [scenario] header keys only."""
    cached = _KEYS_CACHE.get(cls)
    if cached is None:
        cached = _KEYS_CACHE[cls] = _compute_keys(cls)
    return cached


def _compute_keys(cls: type[Any]) -> dict[str, Key]:
    hints = get_type_hints(cls)
    keys: dict[str, Key] = {}
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        if cls is Scenario and _is_table_field(hint):
            continue
        if cls is HubPolicy and any(f.name in pair for pair in PACKED_SYNC.values()):
            continue
        key = toml_key(f.name)
        if key in keys:  # pragma: no cover - guards a future spec change
            raise TypeError(f"{cls.__name__}: fields {keys[key].field} and {f.name} share {key}")
        keys[key] = Key(f.name, hint, is_duration(f.name))
    if cls is HubPolicy:
        for packed in PACKED_SYNC:
            keys[packed] = Key(None, str)
    return keys


@cache
def top_keys() -> dict[str, Key]:
    """The file's top-level keys: [scenario] and every table or array of tables."""
    hints = get_type_hints(Scenario)
    keys = {"scenario": Key(None, HEADER_TABLE)}
    for f in dataclasses.fields(Scenario):
        if _is_table_field(hints[f.name]):
            keys[f.name] = Key(f.name, hints[f.name])
    return keys


def children(hint: Any) -> dict[str, Key] | None:
    """Keys of a table-shaped schema node, or None for a value or an array."""
    if hint is TOP_LEVEL:
        return top_keys()
    if hint is HEADER_TABLE:
        return table_keys(Scenario)
    if is_dataclass_type(hint):
        return table_keys(hint)
    return None


def join(path: str, key: str) -> str:
    """A dotted key path one level deeper (`join("", "hub")` is "hub")."""
    return f"{path}.{key}" if path else key
