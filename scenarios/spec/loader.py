"""Load a scenario from TOML into a frozen `scenarios.spec.Scenario`, with precise errors.

Why this module exists: it is the one entry point the CLI, replay, shrink, the
benchmarks and the tests call, so they need not know how loading is split up. It finds
the file, applies ``--set`` overrides and a seed, validates, scales, and re-exports the
names callers import from it. The work is done by one module per job:

* `scenarios.spec.toml_keys`: the TOML key naming rules, read from the spec dataclasses;
* `scenarios.spec.conversion`: TOML values into typed spec objects, table by table;
* `scenarios.spec.value_ranges`, `scenarios.spec.field_rules`, `scenarios.spec.cross_field_rules`:
  ranges by field name, single-field grammars, rules that join fields and tables;
* `scenarios.spec.load_errors`: how an error is worded and where it says the value came from;
* `scenarios.spec.overrides`: ``--set KEY=VALUE`` against the same dotted TOML paths;
* `scenarios.spec.scaling`: `scenario.scale` applied to demand and world size;
* `scenarios.spec.plain_scenario`: a Scenario as plain data for report.json.

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

Keys are the dataclass field names, except that durations drop their ``_s``
(`scenarios.spec.toml_keys` has the full rules). Overrides (``--set KEY=VALUE``) use the same
dotted TOML paths (``hub.sync=batch:15m``, ``backends.erp.idempotent_refs=true``,
``faults.0.duration=30m``) and are applied to the parsed TOML before validation, so an
override is checked exactly like the file.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from scenarios.spec import shipped
from scenarios.spec.conversion import build_scenario
from scenarios.spec.errors import ScenarioError
from scenarios.spec.field_rules import ERP_MODES as ERP_MODES
from scenarios.spec.field_rules import FLASH_SALE_CHANNELS
from scenarios.spec.load_errors import locate, show
from scenarios.spec.overrides import apply_override
from scenarios.spec.plain_scenario import scenario_to_dict
from scenarios.spec.scaling import scaled
from scenarios.spec.scenario import Scenario
from scenarios.spec.toml_keys import toml_key

# ERP_MODES is imported `as` itself so that they stay
# importable from here, as they were before the split, without joining __all__.
__all__ = [
    "FLASH_SALE_CHANNELS",
    "ScenarioError",
    "apply_override",
    "load_scenario",
    "scaled",
    "scenario_from_dict",
    "scenario_to_dict",
    "toml_key",
]


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
        scenario = build_scenario(data)
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
    ``scenarios/spec/library/NAME.toml``. `overrides` are ``KEY=VALUE`` strings applied before
    validation; `seed` replaces ``[scenario].seed``. The result is already `scaled`.
    """
    path = shipped.resolve(name_or_path)
    raw = shipped.read_toml(path)
    return scenario_from_dict(raw, overrides, seed, source=str(path))
