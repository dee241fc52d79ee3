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
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from hub.policy import HubPolicy
from scenarios import library
from scenarios.durations import format_duration, parse_duration
from scenarios.errors import ScenarioError
from scenarios.fault_rules import fault_problem
from scenarios.field_rules import (
    BACKEND_TARGETS,
    FLASH_SALE_CHANNELS,
    LINK_SYSTEMS,
    check_defects,
    check_field,
    parse_sync,
)
from scenarios.field_rules import ERP_MODES as ERP_MODES
from scenarios.load_errors import choice_error, fail, locate, show, suggest, type_error, unknown_key
from scenarios.overrides import apply_override
from scenarios.plain_scenario import scenario_to_dict
from scenarios.scaling import scaled
from scenarios.spec import (
    CUTOVER_MODES,
    CutoverSpec,
    ErpSpec,
    FaultSpec,
    FlashSaleSpec,
    NetworkSpec,
    PeakSpec,
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

#: fault kinds whose `rate` is a probability
PROBABILITY_FAULT_KINDS = frozenset({"duplicate", "reorder", "loss", "decline"})


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
    check = _OBJECT_CHECKS.get(cls)
    if check is not None:
        check(obj, path)
    return obj


def _check_window(obj: PeakSpec | FlashSaleSpec, path: str) -> None:
    if obj.end_s <= obj.start_s:
        start, end = format_duration(obj.start_s), format_duration(obj.end_s)
        what = "is before" if obj.end_s < obj.start_s else "equals"
        raise fail(join(path, "end"), f"{end} {what} start {start}; expected an end after start")


def _check_percentiles(median: float, p95: float, path: str, median_key: str) -> None:
    if p95 < median:
        raise fail(
            path,
            f"{format_duration(p95)} is below {median_key} ({format_duration(median)}); "
            "a 95th percentile cannot be below the median",
        )


def _check_erp(obj: ErpSpec, path: str) -> None:
    _check_percentiles(
        obj.service_time_median_s,
        obj.service_time_p95_s,
        join(path, "service_time_p95"),
        "service_time_median",
    )
    if obj.mode == "legacy_batch" and obj.import_interval_s <= 0:
        raise fail(
            join(path, "import_interval"),
            'expected a duration greater than 0 when mode = "legacy_batch", got 0s',
        )


def _check_network(obj: NetworkSpec, path: str) -> None:
    _check_percentiles(
        obj.latency_median_s, obj.latency_p95_s, join(path, "latency_p95"), "latency_median"
    )


_FAULT_RATE_MEANING = {
    "throttle": "requests per second",
    "slow": "a latency multiplier",
}


def _check_fault(obj: FaultSpec, path: str) -> None:
    meaning = _FAULT_RATE_MEANING.get(obj.kind)
    if meaning is not None and obj.rate <= 0:
        raise fail(
            join(path, "rate"),
            f"a {obj.kind} fault needs a rate greater than 0 ({meaning}), got {show(obj.rate)}",
        )
    if obj.kind in PROBABILITY_FAULT_KINDS and obj.rate > 1:
        raise fail(
            join(path, "rate"),
            f"a {obj.kind} fault's rate is a probability between 0 and 1, got {show(obj.rate)}",
        )


def _check_cutover(obj: CutoverSpec, path: str) -> None:
    modes = CUTOVER_MODES[obj.system]
    if obj.mode not in modes:
        raise choice_error(join(path, "mode"), f"{obj.system} mode", obj.mode, modes)


_OBJECT_CHECKS: dict[type[Any], Callable[[Any, str], None]] = {
    PeakSpec: _check_window,
    FlashSaleSpec: _check_window,
    ErpSpec: _check_erp,
    NetworkSpec: _check_network,
    FaultSpec: _check_fault,
    CutoverSpec: _check_cutover,
}


def _check_cutovers(scenario: Scenario) -> None:
    """Cutovers happen within the run, one at a time, and each really changes the
    interface: a cutover to the mode already in force would test nothing."""
    end = scenario.duration_s + scenario.drain_s
    mode = scenario.backends.erp.mode
    source = f'backends.erp.mode = "{mode}"'
    seen: dict[float, int] = {}
    order = sorted(range(len(scenario.cutovers)), key=lambda i: scenario.cutovers[i].at_s)
    for i in order:
        change = scenario.cutovers[i]
        at = format_duration(change.at_s)
        if change.at_s >= end:
            raise fail(
                f"cutovers[{i}].at",
                f"{at} is not within the run (duration {format_duration(scenario.duration_s)} "
                f"+ drain {format_duration(scenario.drain_s)} = {format_duration(end)}); "
                f"expected a time before {format_duration(end)}",
            )
        if change.at_s in seen:
            raise fail(
                f"cutovers[{i}].at",
                f"cutovers[{seen[change.at_s]}] is at {at} too; expected one cutover of "
                f"{change.system} at a time",
            )
        seen[change.at_s] = i
        if change.mode == mode:
            other = [m for m in CUTOVER_MODES[change.system] if m != mode]
            raise fail(
                f"cutovers[{i}].mode",
                f'the ERP is already in "{mode}" mode at {at} ({source}); a cutover must '
                f"change the interface, expected {' or '.join(show(m) for m in other)}",
            )
        if change.mode == "legacy_batch" and scenario.backends.erp.import_interval_s <= 0:
            raise fail(
                f"cutovers[{i}].mode",
                'a cutover to "legacy_batch" needs backends.erp.import_interval greater '
                "than 0, got 0s",
            )
        mode, source = change.mode, f"cutovers[{i}] at {at}"


def _legacy_erp(scenario: Scenario) -> bool:
    """Whether the ERP has its legacy batch interface at some time of the run."""
    return scenario.backends.erp.mode == "legacy_batch" or any(
        change.mode == "legacy_batch" for change in scenario.cutovers
    )


def _check_scenario(scenario: Scenario) -> None:
    """Rules that join two tables."""
    _check_cutovers(scenario)
    legacy = _legacy_erp(scenario)
    for i, fault in enumerate(scenario.faults):
        problem = fault_problem(fault.target, fault.kind, legacy)
        if problem is not None:
            field, message = problem
            raise fail(f"faults[{i}].{field}", message)
        if fault.target.startswith("pos:"):
            region = fault.target[len("pos:") :]
            if region not in scenario.world.regions:
                raise fail(
                    f"faults[{i}].target",
                    f"unknown region {show(region)} in {show(fault.target)}; "
                    f"{suggest(region, scenario.world.regions)}"
                    f"world.regions are: {', '.join(scenario.world.regions)}",
                )
    for i, sale in enumerate(scenario.demand.flash_sales):
        if sale.hot_skus > scenario.world.skus:
            raise fail(
                f"demand.flash_sales[{i}].hot_skus",
                f"{sale.hot_skus} is more than world.skus ({scenario.world.skus})",
            )


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
    _check_scenario(scenario)
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
