"""`make bench`, the cost of doubling the orders: the same scenario at scales that
double (0.25, 0.5, 1 by default), each a child run of `benchmarks.run_speed`, and what
each step costs next to the step before. Two ways, both printed: `scenario.scale`, which
grows the catalogue, the stores and the customers with the orders (the stock positions,
SKUs by locations, grow about 3.4x a step at black-friday), and the orders alone on the
scenario's own estate (`scenarios.spec.scaling.orders_scaled`), a busier day of the same
retailer.

The target is that twice the orders cost at most 2.05x the CPU time: the work per order
should not grow with the day's volume. CPU time read alone moves with the machine (two
cores shared with other work, caches shared too), so each step is also given in units
of bare SimPy with 100 events queued, timed in the same child as its run: that unit
does not depend on the run's size, only on how fast the machine was meanwhile. Bare
SimPy at the run's own queue depth is printed beside it: a deeper queue makes every
SimPy event dearer, and a run whose cost per event grows no faster than that grows only
as SimPy itself does. The hub's share of the cost per event is printed too, to tell
whether what grows is the hub or the rest of the run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from itertools import pairwise
from typing import Any

from benchmarks.machine_load import MachineLoad

#: the scales `--doubling` runs when it is given no list
DEFAULT_SCALES = (0.25, 0.5, 1.0)
#: what doubling the orders may cost, at most
TARGET_RATIO = 2.05

Figures = dict[str, Any]
#: a child run: (scenario, overrides, factor on the orders alone) -> its figures
RunChild = Callable[[str, Sequence[str], float], Figures]


class Doubled(StrEnum):
    """What is doubled from one run to the next."""

    #: `scenario.scale`: the orders with the catalogue, the stores and the customers
    SCALE = "the orders with the estate (scenario.scale)"
    #: the orders alone, on the scenario's own estate
    ORDERS = "the orders on the same estate"


def measure(
    run_child: RunChild,
    name: str,
    overrides: Sequence[str],
    scales: Sequence[float] = DEFAULT_SCALES,
    known: dict[float, Figures] | None = None,
    doubled: Doubled = Doubled.SCALE,
) -> list[tuple[float, Figures]]:
    """Run the scenario once at each scale (for `SCALE`, the scale last among the
    overrides, so it wins; for `ORDERS`, the factor on its orders), smallest first; a
    scale in `known` (the full-size run `make bench` has just timed) is not run
    again."""
    known = known or {}

    def one(scale: float) -> Figures:
        if doubled is Doubled.ORDERS:
            return run_child(name, overrides, scale)
        return run_child(name, [*overrides, f"scenario.scale={scale}"], 1.0)

    return [(scale, known[scale] if scale in known else one(scale)) for scale in sorted(scales)]


def in_bare_units(figures: Figures) -> float:
    """The run's CPU time in events of bare SimPy with 100 queued, timed beside it."""
    return float(figures["cpu_seconds"]) / float(figures["bare_cpu_seconds_per_event"])


def _other_work(figures: Figures) -> str:
    """How busy the rest of the machine was during this step's run, if known: steps
    measured with other work on both cores are dearer than on a quiet machine."""
    load = MachineLoad.from_figures(figures)
    return "" if load is None else f"; other work {load.other_cores:.1f} cores"


def report(runs: Sequence[tuple[float, Figures]], doubled: Doubled = Doubled.SCALE) -> str:
    lines = [
        f"doubling {doubled.value}: channel orders, events, CPU time; CPU per event of "
        "the whole run, of its hub and of bare SimPy at the run's depth"
    ]
    for scale, figures in runs:
        events = figures["simulated_events"]
        step = f"scale {scale:g}" if doubled is Doubled.SCALE else f"orders x{scale:g}"
        lines.append(
            f"  {step}".ljust(30) + f"{figures['channel_orders']:,} orders, "
            f"{events:,} events, {figures['cpu_seconds']:,.1f} s CPU; "
            f"{figures['cpu_seconds'] / events * 1e6:.2f} us, "
            f"hub {figures['hub_cpu_seconds'] / events * 1e6:.2f} us, "
            f"{figures['bare_cpu_seconds_per_event_at_depth'] * 1e6:.2f} us "
            f"({figures['queue_depth']:,} queued){_other_work(figures)}"
        )
    for (small, before), (large, after) in pairwise(runs):
        orders = after["channel_orders"] / before["channel_orders"]
        cpu = after["cpu_seconds"] / before["cpu_seconds"]
        units = in_bare_units(after) / in_bare_units(before)
        lines.append(
            f"  {small:g} -> {large:g}".ljust(30) + f"orders x{orders:.2f}, CPU x{cpu:.2f} "
            f"(target <= {TARGET_RATIO}x: {'met' if units <= TARGET_RATIO else 'missed'} "
            f"at x{units:.2f} in bare SimPy units)"
        )
    return "\n".join(lines)
