"""Rules for an estate's marketplaces: their names, their demand, and the faults, shares
and tables that name them.

Why this module exists: a marketplace's name is a system's name (the hub's lane, the
network's links, a fault's `target`), so a name that clashes with another system, is
given twice, or is named by a fault or an allocation share that has no such
marketplace would make a run test something other than what it says. Fault targets are
read on their own first (`field_rules`), where the marketplaces are not yet known, so a
plain name is let through there and judged here against the scenario's marketplaces.
"""

from __future__ import annotations

import re

from scenarios.spec.load_errors import fail, show, suggest
from scenarios.spec.marketplace_spec import DEFAULT_MARKETPLACE, MarketplaceSpec
from scenarios.spec.scenario import Scenario
from simulators.faults import LINK, LINK_SYSTEMS, REGION, SYSTEMS

__all__ = ["MARKETPLACE_NAME", "check_marketplaces", "fault_target_as_kind", "system_kind"]

#: what a marketplace's name may look like: it names links (`link:NAME->hub`) and refs
MARKETPLACE_NAME = re.compile(r"[a-z][a-z0-9_]*")
#: names a marketplace cannot take: the other systems' and channels'
_TAKEN = frozenset({*SYSTEMS, *LINK_SYSTEMS, "pricing", "b2b", "carrier", "stores", "dcs"})
_TAKEN = _TAKEN - {DEFAULT_MARKETPLACE}


def check_marketplaces(scenario: Scenario) -> None:
    """Named marketplaces: each a name of its own, a demand, and no `[backends.marketplace]`
    beside them (its fields would be silently unused); settlement not beside a tax
    engine; allocation shares only for marketplaces the estate has."""
    backends = scenario.backends
    named = backends.marketplaces
    seen: dict[str, int] = {}
    for i, entry in enumerate(named):
        path = f"backends.marketplaces[{i}]"
        if not MARKETPLACE_NAME.fullmatch(entry.name):
            raise fail(
                f"{path}.name",
                f"expected a name of lower-case letters, digits and _ starting with a letter "
                f'(it names the system, e.g. "ebay"), got {show(entry.name)}',
            )
        if entry.name in _TAKEN:
            raise fail(f"{path}.name", f"{show(entry.name)} is another system's name")
        if entry.name in seen:
            raise fail(
                f"{path}.name",
                f"backends.marketplaces[{seen[entry.name]}] is named {show(entry.name)} too; "
                "expected a name of its own",
            )
        seen[entry.name] = i
        if (entry.orders_per_hour > 0) == (entry.share_pct > 0):
            raise fail(
                f"{path}.orders_per_hour",
                "expected exactly one of orders_per_hour (its own demand) or share_pct (its "
                "share of demand.marketplace_orders_per_hour) greater than 0, got "
                f"orders_per_hour {show(entry.orders_per_hour)} and share_pct "
                f"{show(entry.share_pct)}",
            )
        if entry.share_pct > 100:
            raise fail(f"{path}.share_pct", f"expected at most 100, got {show(entry.share_pct)}")
    if named and backends.marketplace != MarketplaceSpec():
        raise fail(
            "backends.marketplace",
            "with [[backends.marketplaces]], each marketplace's settings go in its own entry; "
            "expected no [backends.marketplace] table",
        )
    shares = sum(entry.share_pct for entry in named)
    if shares > 100:
        raise fail(
            "backends.marketplaces",
            f"the marketplaces' share_pct add up to {show(shares)}; expected 100 at most",
        )
    _check_settlement(scenario)
    _check_shares(scenario)


def _check_settlement(scenario: Scenario) -> None:
    """A marketplace that collects its buyers' money charges its own tax on it (a
    marketplace facilitator): the twin does not yet model that beside a tax engine."""
    if not scenario.backends.tax.enabled:
        return
    for i, placed in enumerate(scenario.marketplaces()):
        if placed.spec.settlement_interval_s > 0:
            where = (
                f"backends.marketplaces[{i}]"
                if scenario.backends.marketplaces
                else "backends.marketplace"
            )
            raise fail(
                f"{where}.settlement_interval",
                "a marketplace that settles collects its own tax, which the tax engine "
                "(backends.tax.enabled) does not model yet; set one of them off",
            )


def _check_shares(scenario: Scenario) -> None:
    names = [placed.name for placed in scenario.marketplaces()]
    seen: set[str] = set()
    for i, share in enumerate(scenario.hub.allocation.marketplaces):
        path = f"hub.allocation.marketplaces[{i}].name"
        if share.name not in names:
            raise fail(
                path,
                f"no marketplace is named {show(share.name)}; {suggest(share.name, names)}"
                f"the marketplaces are: {', '.join(names)}",
            )
        if share.name in seen:
            raise fail(path, f"{show(share.name)} has a share already; give each one")
        seen.add(share.name)


def _known(systems: tuple[str, ...], names: tuple[str, ...]) -> tuple[str, ...]:
    """`systems` with "marketplace" standing for the estate's marketplaces."""
    if names == (DEFAULT_MARKETPLACE,):
        return systems
    return (*(s for s in systems if s != DEFAULT_MARKETPLACE), *names)


def fault_target_as_kind(target: str, names: tuple[str, ...], path: str) -> str:
    """`target` with a marketplace's name put as "marketplace", the kind of system the
    fault rules know (a link's ends too); an error for a name that is neither another
    system nor one of the estate's marketplaces (`names`)."""
    if target.startswith(("pos:", "partner:")):
        return target  # a partner's name is judged by scenarios/spec/partner_rules.py
    if target.startswith("link:"):
        src, _, dst = target.removeprefix("link:").partition("->")
        known = _known(LINK_SYSTEMS, names)
        for end, name in (("SRC", src), ("DST", dst)):
            if name not in known:
                raise fail(
                    path,
                    f"unknown system {show(name)} as {end} of {show(target)}; "
                    f"{suggest(name, known)}expected one of: {', '.join(known)}",
                )
        return f"link:{system_kind(src, names)}->{system_kind(dst, names)}"
    known = _known(SYSTEMS, names)
    if target not in known:
        hint = suggest(target, known)
        forms = f"{', '.join(known)}, {LINK}, {REGION} or partner:NAME"
        raise fail(path, f"unknown fault target {show(target)}; {hint}expected {forms}")
    return system_kind(target, names)


def system_kind(system: str, names: tuple[str, ...]) -> str:
    """The kind of system `system` is: "marketplace" for any of the marketplaces."""
    return DEFAULT_MARKETPLACE if system in names else system
