"""Whether a scenario is a run that fits, and whose faults all happen.

Each field has its own range (`scenarios.spec.value_ranges`), but what a run costs is
their product: rates times the hourly profile times the peaks times the duration times
the scale. A run's memory still grows with every order and sale it makes (about 10 KiB
a channel order at black-friday's scale, 3.5 GB for peak-weekend's 330,000 orders and
730,000 store sales), so a file whose expected volume would not fit a 24 GiB machine is
refused before anything runs, with the volume it would have made.

A fault that starts after the run has ended would do nothing, and two faults of one
kind on one target at once (two outages of the ERP) leave it unclear which window was
meant and whether the second was to replace the first: both are refused, naming the
faults. Faults of different kinds on one target compose, and are kept: a fraud screen
that is slow all evening and down for twenty minutes of it (fraud-review).
"""

from __future__ import annotations

from itertools import pairwise

from scenarios.spec.durations import format_duration
from scenarios.spec.load_errors import fail
from scenarios.spec.scenario import FaultSpec, Scenario
from simulators.demand_profile import DemandProfile, Window

__all__ = [
    "MAX_CHANNEL_ORDERS",
    "MAX_STORE_SALES",
    "check_day_start",
    "check_faults_happen",
    "check_volume",
    "expected_volume",
]

#: the most channel orders (web, marketplaces, click-and-collect, companies) a run may
#: expect: three times peak-weekend's, about 11 GB at today's cost per order
MAX_CHANNEL_ORDERS = 1_000_000
#: the most store sales a run may expect (about three times peak-weekend's)
MAX_STORE_SALES = 2_500_000
_DAY_S = 86400.0


def expected_volume(scenario: Scenario, scale: float) -> tuple[float, float]:
    """(channel orders, store sales) the scenario's demand expects over its duration,
    from the same rates the run draws from, times `scale`: the file's own scale for a
    spec not yet scaled (as the loader checks it), 1 for a loaded, scaled one. Flash
    sales are counted as if every order in them were for a hot SKU: an upper bound."""
    d = scenario.demand
    peaks: list[Window] = [(p.start_s, p.end_s, p.multiplier) for p in d.peaks]
    end = scenario.duration_s

    def over_the_run(per_hour: float, windows: list[Window] = peaks, until: float = end) -> float:
        profile = DemandProfile(
            per_hour * scale, d.hourly_profile, windows, until, scenario.start_s
        )
        return profile.expected_arrivals()

    marketplaces = sum(placed.orders_per_hour for placed in scenario.marketplaces())
    b2b = scenario.backends.b2b.orders_per_hour if scenario.backends.b2b.enabled else 0.0
    online = d.web_orders_per_hour + marketplaces + d.click_collect_orders_per_hour
    orders = over_the_run(online + b2b)
    for sale in d.flash_sales:
        rate = sum(
            d.web_orders_per_hour if channel == "web" else marketplaces
            for channel in sale.channels
            if channel in ("web", "marketplace")
        )
        windows = [*peaks, (0.0, sale.start_s, 0.0), (sale.end_s, end, 0.0)]
        orders += over_the_run(rate * (sale.multiplier - 1.0), windows, min(end, sale.end_s))
    return orders, over_the_run(d.store_sales_per_hour)


def check_day_start(scenario: Scenario) -> None:
    """`scenario.start` is a time of day (`start_s` names every window's start too, so
    its own range is checked here rather than by name)."""
    if scenario.start_s >= _DAY_S:
        raise fail(
            "scenario.start",
            f"expected a time of day from 0s to 23h59m59s, got {format_duration(scenario.start_s)}",
        )


def check_volume(scenario: Scenario) -> None:
    orders, sales = expected_volume(scenario, scenario.scale)
    for what, expected, most in (
        ("channel orders", orders, MAX_CHANNEL_ORDERS),
        ("store sales", sales, MAX_STORE_SALES),
    ):
        if expected > most:
            raise fail(
                "scenario.scale",
                f"the scenario would make about {expected:,.0f} {what} (its rates times the "
                f"hourly profile and peaks over {format_duration(scenario.duration_s)}, "
                f"times scale {scenario.scale:g}); at most {most:,} fit a 24 GiB machine: "
                "lower scenario.scale, the demand rates or scenario.duration",
            )


def _window(fault: FaultSpec) -> str:
    start, end = fault.start_s, fault.start_s + fault.duration_s
    return f"{fault.target} {fault.kind} from {format_duration(start)} to {format_duration(end)}"


def check_faults_happen(scenario: Scenario) -> None:
    """Every fault starts before the run ends (its drain included), and no two faults of
    one kind on one target overlap."""
    run_end = scenario.duration_s + scenario.drain_s
    for i, fault in enumerate(scenario.faults):
        if fault.start_s >= run_end:
            raise fail(
                f"faults[{i}].start",
                f"{format_duration(fault.start_s)} is after the run ends at "
                f"{format_duration(run_end)} (scenario.duration "
                f"{format_duration(scenario.duration_s)} plus drain "
                f"{format_duration(scenario.drain_s)}), so the fault would do nothing; "
                "expected a start before the run's end",
            )
    by_target: dict[tuple[str, str], list[tuple[int, FaultSpec]]] = {}
    for i, fault in enumerate(scenario.faults):
        by_target.setdefault((fault.target, fault.kind), []).append((i, fault))
    for faults in by_target.values():
        ordered = sorted(faults, key=lambda pair: (pair[1].start_s, pair[0]))
        for (i, first), (j, second) in pairwise(ordered):
            if second.start_s < first.start_s + first.duration_s:
                raise fail(
                    f"faults[{j}]",
                    f"{_window(second)} overlaps faults[{i}] ({_window(first)}); expected "
                    "one fault of a kind at a time on a target: end one before the other "
                    "starts, or join them into one window",
                )
