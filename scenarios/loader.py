"""Load a scenario from TOML into a frozen `scenarios.spec.Scenario`, with precise errors.

Why this module exists: a scenario file is written by hand, usually by someone who is
not reading the dataclasses, and a run takes minutes. A typo must therefore fail at
load time with a message that says which key, what was expected and what was found
(``hub.idempotncy: unknown key; did you mean "idempotency"? ...``) instead of silently
falling back to a default or surfacing as a KeyError deep in the runtime. The schema is
not written twice: keys, types and defaults are read from the dataclasses themselves
(`dataclasses.fields` and `typing.get_type_hints`), so a new field in spec.py is
loadable, overridable and exported without touching this file.

TOML layout::

    [scenario]                  # required: name and description; the rest defaults
    name = "black-friday"
    description = "Peak trading day. The ERP throttles at noon."
    seed = 7
    duration = "24h"            # -> Scenario.duration_s
    drain = "6h"
    scale = 1.0

    [world]                     # WorldSpec: skus, stores, dcs, customers, regions, ...
    [demand]                    # DemandSpec: *_per_hour rates, hourly_profile (24), ...
    [[demand.peaks]]            # PeakSpec: start, end, multiplier
    [[demand.flash_sales]]      # FlashSaleSpec: start, end, hot_skus, multiplier, channels
    [backends.erp]              # ErpSpec; also [backends.wms], [backends.pos],
                                # [backends.marketplace], [backends.payment]
    [network]                   # NetworkSpec
    [[faults]]                  # FaultSpec: target, kind, start, duration, rate
    [[cutovers]]                # CutoverSpec: at, mode, system (the ERP's interface)
    [hub]                       # HubPolicy; sync = "event" | "event:2s" | "batch:15m"
    [hub.retry]                 # RetryPolicy
    [hub.breaker]               # BreakerPolicy
    [sla]                       # SlaSpec; a threshold may be "none" to switch it off

Key naming rules:

* TOML keys are the dataclass field names, except that a field ending in ``_s`` is a
  duration: its key drops the suffix and takes ``"45m"``-style text or a number of
  seconds (``start = "11h"`` -> ``start_s``; ``call_timeout = "30s"`` ->
  ``call_timeout_s``). ``*_per_s`` rates and ``zipf_s`` (an exponent) are not durations
  and keep their names.
* Fields ending in ``_h`` keep their names and are plain numbers of hours.
* Tuples are TOML arrays; tuples of specs are arrays of tables (``[[demand.peaks]]``).
* ``hub.sync`` is the only way to set ``sync_mode`` and ``sync_interval_s``: ``"event"``
  (interval 2s), ``"event:500ms"``, ``"batch"`` (interval 15m) or ``"batch:1h"``.
* Optional SLA thresholds (``float | None``) are numbers/durations, or ``"none"``.

Overrides (``--set KEY=VALUE``) use the same dotted TOML paths (``hub.sync=batch:15m``,
``backends.erp.idempotent_refs=true``, ``faults.0.duration=30m``) and are applied to the
parsed TOML before validation, so an override is checked exactly like the file.
"""

from __future__ import annotations

import copy
import dataclasses
import types
import typing
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from hub.policy import HubPolicy
from scenarios import library
from scenarios.cross_field_rules import PROBABILITY_FAULT_KINDS as PROBABILITY_FAULT_KINDS
from scenarios.cross_field_rules import check_scenario, check_table
from scenarios.durations import parse_duration
from scenarios.errors import ScenarioError
from scenarios.field_rules import (
    BACKEND_TARGETS,
    FLASH_SALE_CHANNELS,
    LINK_SYSTEMS,
    check_defects,
    check_field,
    parse_sync,
)
from scenarios.field_rules import ERP_MODES as ERP_MODES
from scenarios.load_errors import choice_error, fail, locate, show, type_error, unknown_key
from scenarios.overrides import apply_override
from scenarios.plain_scenario import scenario_to_dict
from scenarios.scaling import scaled
from scenarios.spec import (
    Scenario,
)
from scenarios.toml_keys import (
    element_type,
    is_dataclass_type,
    join,
    table_keys,
    toml_key,
    top_keys,
)
from scenarios.value_ranges import check_range

__all__ = [
    "BACKEND_TARGETS",
    "FLASH_SALE_CHANNELS",
    "LINK_SYSTEMS",
    "ScenarioError",
    "apply_override",
    "load_scenario",
    "scaled",
    "scenario_from_dict",
    "scenario_to_dict",
    "toml_key",
]


# ----------------------------------------------------------------------------- values


def _convert(value: Any, hint: Any, path: str, duration: bool = False) -> Any:
    """`value` read from TOML, checked against type `hint` and converted to it."""
    origin = get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in get_args(hint) if arg is not type(None)]
        if isinstance(value, str) and value == "none":
            return None
        if len(options) != 1:  # pragma: no cover - spec.py has no such field
            raise TypeError(f"{path}: the loader cannot read {hint!r}")
        try:
            return _convert(value, options[0], path, duration)
        except ScenarioError as exc:
            raise ScenarioError(f'{exc} (or "none" for no threshold)', field=exc.field) from None
    if is_dataclass_type(hint):
        if not isinstance(value, dict):
            raise type_error(path, "a table", value)
        return _build(hint, value, path)
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
        items = [_convert(item, element, f"{path}[{i}]") for i, item in enumerate(value)]
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


# ----------------------------------------------------------------------------- tables


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
        if spec.field is None:  # hub.sync
            kwargs["sync_mode"], kwargs["sync_interval_s"] = parse_sync(value, where)
            continue
        converted = _convert(value, spec.hint, where, spec.duration)
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


def _build_scenario(raw: Mapping[str, Any]) -> Scenario:
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
            kwargs[spec.field] = _convert(raw[key], spec.hint, key)
    scenario = Scenario(**kwargs)
    check_scenario(scenario)
    return scenario


# ----------------------------------------------------------------------------- public


def scenario_from_dict(
    raw: Mapping[str, Any],
    overrides: Sequence[str] = (),
    seed: int | None = None,
    source: str | None = None,
) -> Scenario:
    """Validate parsed TOML (after `overrides`) into a scaled Scenario.

    `source` (a file name) prefixes errors about values that came from the file.
    """
    if isinstance(overrides, str):
        overrides = (overrides,)
    data = copy.deepcopy(dict(raw))
    overridden = [apply_override(data, override) for override in overrides]
    try:
        scenario = _build_scenario(data)
    except ScenarioError as exc:
        raise locate(exc, source, overridden) from None
    if seed is not None:
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise ScenarioError(
                f"seed: expected a non-negative integer, got {show(seed)}", field="seed"
            )
        scenario = dataclasses.replace(scenario, seed=seed)
    return scaled(scenario)


def load_scenario(
    name_or_path: str, overrides: Sequence[str] = (), seed: int | None = None
) -> Scenario:
    """Load a shipped scenario by name (``"steady-day"``) or a TOML file by path.

    A name has no "/" and does not end in ".toml"; it resolves to
    ``scenarios/library/NAME.toml``. `overrides` are ``KEY=VALUE`` strings applied before
    validation; `seed` replaces ``[scenario].seed``. The result is already `scaled`.
    """
    is_name = "/" not in name_or_path and "\\" not in name_or_path
    if is_name and not name_or_path.endswith(".toml"):
        path = library.scenario_path(name_or_path)
    else:
        path = Path(name_or_path).expanduser()
    raw = library.read_toml(path)
    return scenario_from_dict(raw, overrides, seed, source=str(path))
