"""Rules for single fields beyond type and range: names, forms and lists.

Why this module exists: some values are strings or arrays with a grammar of their own
that a type hint cannot express. A fault target is ``erp`` or ``link:SRC->DST`` or
``pos:REGION``; a fault kind, an ERP mode, a flash sale's channels and the hub's defects
come from fixed sets; world regions and flash sale channels may not repeat; the hourly
demand profile has exactly 24 entries. `hub.sync` packs two fields into one string.
Each rule here sees one field's converted value and its path, so its error names that
field; rules that compare two fields are in `scenarios.spec.cross_field_rules`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from hub.policy import KNOWN_DEFECTS, HubPolicy
from scenarios.spec.backend_specs import PartnerSpec
from scenarios.spec.durations import parse_duration
from scenarios.spec.load_errors import choice_error, fail, show, suggest, type_error
from scenarios.spec.marketplace_rules import MARKETPLACE_NAME
from scenarios.spec.pricing_spec import BasketPromotionSpec, PromotionSpec
from scenarios.spec.scenario import (
    CUTOVER_MODES,
    CutoverSpec,
    DemandSpec,
    ErpSpec,
    FaultSpec,
    FlashSaleSpec,
    WorldSpec,
)
from scenarios.spec.toml_keys import SYNC_FORMS
from simulators.faults import LINK, LINK_SYSTEMS, REGION, SYSTEMS
from simulators.price_channels import ONLINE

__all__ = [
    "ERP_MODES",
    "FLASH_SALE_CHANNELS",
    "check_defects",
    "check_field",
    "parse_sync",
]

#: channels whose orders a flash sale can boost (store sales are not channel orders)
FLASH_SALE_CHANNELS = ("web", "marketplace", "click_collect")
#: ErpSpec.mode values
ERP_MODES = CUTOVER_MODES["erp"]

#: a drop-ship partner's name: its API is `partner:NAME`, its location `DS-NAME`
_PARTNER_NAME = re.compile(r"[a-z][a-z0-9]{0,23}")
_TARGET_FORMS = f"{', '.join(SYSTEMS)}, {LINK}, {REGION} or partner:NAME"


def parse_sync(value: Any, path: str) -> tuple[str, float]:
    """`hub.sync` -> (sync_mode, sync_interval_s)."""
    if not isinstance(value, str):
        raise type_error(path, SYNC_FORMS, value)
    mode, colon, interval = value.partition(":")
    mode = mode.strip()
    if mode not in ("event", "batch"):
        raise fail(path, f"expected {SYNC_FORMS}, got {show(value)}")
    if colon:
        seconds = parse_duration(interval.strip(), path)
    elif mode == "batch":
        seconds = 900.0
    else:
        seconds = HubPolicy().sync_interval_s
    if mode == "batch" and seconds <= 0:
        raise fail(path, f"a batch sync interval must be greater than 0, got {show(value)}")
    return mode, seconds


def _check_target(value: str, path: str) -> str:
    """A fault target, normalised (`link: hub -> erp` -> `link:hub->erp`)."""
    target = value.strip()
    if target in SYSTEMS:
        return target
    if target.startswith("link:"):
        src, arrow, dst = target[len("link:") :].partition("->")
        src, dst = src.strip(), dst.strip()
        systems = ", ".join(LINK_SYSTEMS)
        if not arrow:
            raise fail(path, f"expected link:SRC->DST, got {show(value)}")
        for end, name in (("SRC", src), ("DST", dst)):
            if name not in LINK_SYSTEMS and not MARKETPLACE_NAME.fullmatch(name):
                raise fail(
                    path,
                    f"unknown system {show(name)} as {end} of {show(value)}; "
                    f"{suggest(name, LINK_SYSTEMS)}expected one of: {systems}",
                )
        if src == dst:
            raise fail(path, f"a link joins two different systems, got {show(value)}")
        return f"link:{src}->{dst}"
    if target.startswith("partner:"):
        name = target[len("partner:") :].strip()
        if not name:
            raise fail(path, f"expected partner:NAME with a partner's name, got {show(value)}")
        return f"partner:{name}"
    if target.startswith("pos:"):
        region = target[len("pos:") :].strip()
        if not region:
            raise fail(path, f"expected pos:REGION with a region name, got {show(value)}")
        return f"pos:{region}"
    if MARKETPLACE_NAME.fullmatch(target):  # perhaps a marketplace's name: judged with the scenario
        return target
    hint = suggest(target, SYSTEMS)
    raise fail(path, f"unknown fault target {show(value)}; {hint}expected {_TARGET_FORMS}")


def _check_unique(values: Sequence[str], path: str, what: str) -> None:
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value in seen:
            raise fail(f"{path}[{i}]", f"{what} {show(value)} is listed twice")
        seen.add(value)


def check_field(cls: type[Any], name: str, value: Any, path: str) -> Any:
    """Per-field rules beyond type and range; returns the (maybe normalised) value."""
    if cls is FaultSpec and name == "target":
        return _check_target(value, path)
    if cls is PartnerSpec and name == "name" and not _PARTNER_NAME.fullmatch(value):
        raise fail(path, f"expected lowercase letters and digits (a-z, 0-9), got {show(value)}")
    if cls is ErpSpec and name == "mode" and value not in ERP_MODES:
        raise choice_error(path, "ERP mode", value, ERP_MODES)
    if cls is CutoverSpec and name == "system" and value not in CUTOVER_MODES:
        raise choice_error(path, "system to cut over", value, CUTOVER_MODES)
    if cls is HubPolicy and name == "defects":
        return value  # checked in order by check_defects, which sees the array
    if cls is FlashSaleSpec and name == "channels":
        if not value:
            raise fail(path, "a flash sale needs at least one channel")
        for i, channel in enumerate(value):
            if channel not in FLASH_SALE_CHANNELS:
                raise choice_error(f"{path}[{i}]", "channel", channel, FLASH_SALE_CHANNELS)
        _check_unique(value, path, "channel")
    if cls is PromotionSpec or cls is BasketPromotionSpec:
        _check_promotion_field(name, value, path)
    if cls is BasketPromotionSpec and name == "channels":
        for i, channel in enumerate(value):
            if channel not in ONLINE:
                raise fail(
                    f"{path}[{i}]",
                    f"a basket promotion runs online only: expected web or marketplace, "
                    f"got {show(str(channel))}",
                )
    if cls is WorldSpec and name == "regions":
        if not value:
            raise fail(path, "expected at least one region")
        for i, region in enumerate(value):
            if not region.strip() or ":" in region:
                raise fail(f"{path}[{i}]", f"expected a region name, got {show(region)}")
        _check_unique(value, path, "region")
    if cls is DemandSpec and name == "hourly_profile":
        if len(value) != 24:
            raise fail(path, f"expected 24 numbers (one per hour of day), got {len(value)} numbers")
        if not any(value):
            raise fail(path, "expected at least one hour with demand, got all zeros")
    return value


def check_defects(raw: Any, path: str) -> None:
    """`hub.defects` as written: each entry must be a defect the hub knows."""
    for i, defect in enumerate(raw):
        if defect not in KNOWN_DEFECTS:
            raise choice_error(f"{path}[{i}]", "defect", defect, sorted(KNOWN_DEFECTS))


def _check_promotion_field(name: str, value: Any, path: str) -> None:
    if name == "name" and not value.strip():
        raise fail(path, "expected a promotion name (order lines and reports carry it)")
    if name == "off_pct" and not 0 < value < 100:
        raise fail(path, f"expected a percentage off above 0 and below 100, got {show(value)}")
    if name == "channels":
        if not value:
            raise fail(path, "a promotion needs at least one channel")
        _check_unique(value, path, "channel")
