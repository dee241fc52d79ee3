"""Rules that compare two or more fields of a scenario: within a table, then across tables.

Why this module exists: each field can be valid on its own while the combination is
meaningless or untestable. A peak that ends before it starts, a 95th percentile below
the median, a legacy batch ERP that never imports, a throttle with no rate, a cutover
to the mode already in force or after the run has ended, a fault on a link that carries
no traffic, a store region that does not exist, more hot SKUs than SKUs. These rules
run on built spec objects (so every value is already typed and in range) and name the
field to change, with its index in an array of tables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hub.policy import AllocationPolicy
from scenarios.spec.durations import format_duration
from scenarios.spec.fault_rules import fault_problem
from scenarios.spec.load_errors import choice_error, fail, show, suggest
from scenarios.spec.marketplace_rules import check_marketplaces, fault_target_as_kind, system_kind
from scenarios.spec.marketplace_spec import MarketplaceSpec
from scenarios.spec.partner_rules import check_partner_target, check_partners
from scenarios.spec.pricing_spec import BasketPromotionSpec, PromotionSpec
from scenarios.spec.run_bounds import check_day_start, check_faults_happen, check_volume
from scenarios.spec.scenario import (
    CUTOVER_MODES,
    CutoverSpec,
    ErpSpec,
    FaultSpec,
    FlashSaleSpec,
    NetworkSpec,
    PeakSpec,
    PercentileLimits,
    Scenario,
)
from scenarios.spec.toml_keys import join
from simulators.faults import KINDS, RateRule

__all__ = ["MIN_TOKEN_LIFETIME_S", "check_scenario", "check_table"]

#: a shorter token could expire between the token endpoint and the next call
MIN_TOKEN_LIFETIME_S = 60.0


# ----------------------------------------------------------------------------- one table


def _check_window(
    obj: PeakSpec | FlashSaleSpec | PromotionSpec | BasketPromotionSpec, path: str
) -> None:
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
    if obj.token_lifetime_s > 0 and obj.mode == "legacy_batch":
        raise fail(
            join(path, "token_lifetime"),
            "a legacy_batch ERP takes files, not API calls with access tokens; expected 0 "
            'with mode = "legacy_batch" (or mode = "api")',
        )
    _check_token_lifetime(obj, path)
    if obj.mode == "legacy_batch" and obj.import_interval_s <= 0:
        raise fail(
            join(path, "import_interval"),
            'expected a duration greater than 0 when mode = "legacy_batch", got 0s',
        )


def _check_token_lifetime(obj: ErpSpec | MarketplaceSpec, path: str) -> None:
    if 0 < obj.token_lifetime_s < MIN_TOKEN_LIFETIME_S:
        raise fail(
            join(path, "token_lifetime"),
            f"expected 0 (no tokens) or at least {format_duration(MIN_TOKEN_LIFETIME_S)}, got "
            f"{format_duration(obj.token_lifetime_s)}",
        )


def _check_network(obj: NetworkSpec, path: str) -> None:
    _check_percentiles(
        obj.latency_median_s, obj.latency_p95_s, join(path, "latency_p95"), "latency_median"
    )


def _check_fault(obj: FaultSpec, path: str) -> None:
    """The rate rule of the fault's kind (`simulators.faults.KINDS`)."""
    rule = KINDS[obj.kind].rate
    if rule is RateRule.POSITIVE and obj.rate <= 0:
        raise fail(
            join(path, "rate"),
            f"a {obj.kind} fault needs a rate greater than 0, got {show(obj.rate)}",
        )
    if rule is RateRule.PROBABILITY and not 0 <= obj.rate <= 1:
        raise fail(
            join(path, "rate"),
            f"a {obj.kind} fault's rate is a probability between 0 and 1, got {show(obj.rate)}",
        )
    if rule is RateRule.SECONDS and obj.rate < 0:
        raise fail(
            join(path, "rate"),
            f"a {obj.kind} fault's rate is a number of seconds, 0 or more, got {show(obj.rate)}",
        )


def _check_cutover(obj: CutoverSpec, path: str) -> None:
    modes = CUTOVER_MODES[obj.system]
    if obj.mode not in modes:
        raise choice_error(join(path, "mode"), f"{obj.system} mode", obj.mode, modes)


#: the flat SLA key that already holds each nested table's `p95` (one name per limit)
_FLAT_P95 = {
    "sla.order_to_erp.all": "sla.order_to_erp_p95",
    "sla.order_to_ship.all": "sla.order_to_ship_p95",
    "sla.sync_lag.all": "sla.sync_lag_p95",
    "sla.return_to_refund.gateway": "sla.return_to_refund_p95",
}


def _check_latency_limits(obj: PercentileLimits, path: str) -> None:
    """The all-channel p95 limits have their own, older keys; one limit, one name."""
    flat = _FLAT_P95.get(path)
    if flat is not None and obj.p95_s is not None:
        raise fail(join(path, "p95"), f"this limit is set as {flat}; set it there instead")


def _check_allocation(obj: AllocationPolicy, path: str) -> None:
    """One safety stock per named location: two entries for one would leave which
    holds to the order they were written in."""
    named: set[str] = set()
    for i, rule in enumerate(obj.locations):
        if rule.location in named:
            raise fail(
                join(path, f"locations[{i}].location"),
                f"{show(rule.location)} has a safety stock already; give each location one",
            )
        named.add(rule.location)


_TABLE_CHECKS: dict[type[Any], Callable[[Any, str], None]] = {
    AllocationPolicy: _check_allocation,
    PercentileLimits: _check_latency_limits,
    PeakSpec: _check_window,
    FlashSaleSpec: _check_window,
    PromotionSpec: _check_window,
    BasketPromotionSpec: _check_window,
    ErpSpec: _check_erp,
    MarketplaceSpec: _check_token_lifetime,
    NetworkSpec: _check_network,
    FaultSpec: _check_fault,
    CutoverSpec: _check_cutover,
}


def check_table(obj: Any, path: str) -> None:
    """Rules between the fields of one freshly built spec object read from `path`."""
    check = _TABLE_CHECKS.get(type(obj))
    if check is not None:
        check(obj, path)


# ----------------------------------------------------------------------------- across tables


def _check_cutovers(scenario: Scenario) -> None:
    """Cutovers happen within the run, one at a time, and each really changes the
    interface: a cutover to the mode already in force would test nothing."""
    if scenario.cutovers and scenario.backends.erp.token_lifetime_s > 0:
        raise fail(
            "cutovers[0]",
            "an ERP cut over between its file import and its API cannot have access tokens "
            "(backends.erp.token_lifetime); expected no cutover, or token_lifetime = 0",
        )
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


def _optional_systems(scenario: Scenario) -> frozenset[str]:
    """The optional backends (`fault_rules.OPTIONAL_SYSTEMS`) the scenario enables."""
    backends = scenario.backends
    enabled = {"tax": backends.tax.enabled, "fraud": backends.fraud.enabled}
    return frozenset(system for system, on in enabled.items() if on)


def _check_sourcing(scenario: Scenario) -> None:
    """Splitting an order needs a second DC to send a part to."""
    if scenario.hub.sourcing.split and scenario.world.dcs < 2:
        raise fail(
            "hub.sourcing.split",
            f"an order can only be split over two DCs or more; world.dcs is "
            f"{scenario.world.dcs}: set split = false or world.dcs to 2 or more",
        )


def _check_b2b(scenario: Scenario) -> None:
    """A B2B portal's ranges run low to high, and it stands beside no tax engine or
    fraud screen yet (a company's order is not quoted or screened: not modelled)."""
    b2b = scenario.backends.b2b
    if not b2b.enabled:
        return
    for name in ("lines_per_order", "units_per_line", "contract_discount_pct"):
        low, high = getattr(b2b, name)
        if low > high:
            raise fail(
                f"backends.b2b.{name}",
                f"expected [low, high] with low <= high, got [{show(low)}, {show(high)}]",
            )
        if name != "contract_discount_pct" and low < 1:
            raise fail(f"backends.b2b.{name}", f"expected at least 1, got {show(low)}")
    for other in ("tax", "fraud"):
        if getattr(scenario.backends, other).enabled:
            raise fail(
                "backends.b2b.enabled",
                f"a B2B portal beside backends.{other}.enabled is not modelled yet (a "
                "company's order is neither quoted nor screened); set one of them off",
            )


def check_scenario(scenario: Scenario) -> None:
    """Rules that join two tables."""
    _check_cutovers(scenario)
    check_marketplaces(scenario)
    _check_sourcing(scenario)

    _check_b2b(scenario)
    check_partners(scenario)
    legacy = _legacy_erp(scenario)
    names = tuple(placed.name for placed in scenario.marketplaces())
    lifetimes = scenario.backends.token_lifetimes()
    for i, fault in enumerate(scenario.faults):
        target = fault_target_as_kind(fault.target, names, f"faults[{i}].target")
        # a marketplace's tokens are its own: another one's lifetime does not count
        tokens = frozenset(
            system_kind(s, names) for s in lifetimes if s not in names or s == fault.target
        )
        problem = fault_problem(target, fault.kind, legacy, _optional_systems(scenario), tokens)
        if problem is not None:
            field, message = problem
            raise fail(f"faults[{i}].{field}", message)
        if fault.target.startswith("partner:"):
            check_partner_target(scenario, fault.target, f"faults[{i}].target")
        if fault.target.startswith("pos:"):
            region = fault.target[len("pos:") :]
            if region not in scenario.world.regions:
                raise fail(
                    f"faults[{i}].target",
                    f"unknown region {show(region)} in {show(fault.target)}; "
                    f"{suggest(region, scenario.world.regions)}"
                    f"world.regions are: {', '.join(scenario.world.regions)}",
                )
    check_day_start(scenario)
    check_faults_happen(scenario)
    check_volume(scenario)
    _check_promotions(scenario)
    for i, sale in enumerate(scenario.demand.flash_sales):
        if sale.hot_skus > scenario.world.skus:
            raise fail(
                f"demand.flash_sales[{i}].hot_skus",
                f"{sale.hot_skus} is more than world.skus ({scenario.world.skus})",
            )


def _check_promotions(scenario: Scenario) -> None:
    """Promotions cover SKUs the world has, and each has its own name (the name is how
    a channel, an order line and the checker tell them apart)."""
    seen: dict[str, int] = {}
    for i, promotion in enumerate(scenario.pricing.promotions):
        path = f"pricing.promotions[{i}]"
        if promotion.hot_skus > scenario.world.skus:
            raise fail(
                f"{path}.hot_skus",
                f"{promotion.hot_skus} is more than world.skus ({scenario.world.skus})",
            )
        if promotion.name in seen:
            raise fail(
                f"{path}.name",
                f"pricing.promotions[{seen[promotion.name]}] is named {show(promotion.name)} "
                "too; expected a name of its own",
            )
        seen[promotion.name] = i
    for i, basket in enumerate(scenario.pricing.basket_promotions):
        if basket.name in seen:
            raise fail(
                f"pricing.basket_promotions[{i}].name",
                f"another promotion is named {show(basket.name)} too; expected a name of its "
                "own (an order line names the promotions behind its price)",
            )
        seen[basket.name] = len(seen)
