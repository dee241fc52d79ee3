"""benchmarks/doubling.py: what doubling the orders costs, judged in units of bare SimPy
timed beside each run, so a machine that slowed down between the runs is not blamed on
the code."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from benchmarks import doubling


def figures(orders: int, cpu_s: float, bare_us: float) -> dict[str, Any]:
    return {
        "channel_orders": orders,
        "simulated_events": orders * 30,
        "cpu_seconds": cpu_s,
        "hub_cpu_seconds": cpu_s / 4,
        "bare_cpu_seconds_per_event": bare_us * 1e-6,
        "bare_cpu_seconds_per_event_at_depth": 2 * bare_us * 1e-6,
        "queue_depth": orders // 10,
    }


def test_each_scale_is_run_once_smallest_first_and_a_known_run_is_reused() -> None:
    asked: list[Sequence[str]] = []

    def run_child(name: str, overrides: Sequence[str], orders: float) -> dict[str, Any]:
        assert orders == 1.0
        asked.append(overrides)
        return figures(100, 1.0, 1.0)

    known = figures(400, 4.0, 1.0)
    runs = doubling.measure(run_child, "black-friday", ["seed=3"], (1.0, 0.25, 0.5), {1.0: known})
    assert [scale for scale, _ in runs] == [0.25, 0.5, 1.0]
    assert runs[-1][1] is known
    assert asked == [["seed=3", "scenario.scale=0.25"], ["seed=3", "scenario.scale=0.5"]]


def test_a_step_that_costs_more_than_twice_is_missed_one_the_machine_slowed_is_not() -> None:
    linear_but_slow_machine = [(0.5, figures(100, 10.0, 1.0)), (1.0, figures(200, 30.0, 1.5))]
    assert "met at x2.00" in doubling.report(linear_but_slow_machine)
    superlinear = [(0.5, figures(100, 10.0, 1.0)), (1.0, figures(200, 25.0, 1.0))]
    text = doubling.report(superlinear)
    assert "CPU x2.50" in text and "missed at x2.50" in text


def test_each_scale_shows_the_hubs_share_of_the_cost_per_event() -> None:
    # 10 s over 300,000 events: 33.33 us an event, of which the hub's 2.5 s: 8.33 us
    text = doubling.report([(1.0, figures(10_000, 10.0, 1.0))])
    assert "33.33 us, hub 8.33 us, 2.00 us" in text


def test_the_orders_alone_are_doubled_on_the_scenarios_own_estate() -> None:
    asked: list[tuple[Sequence[str], float]] = []

    def run_child(name: str, overrides: Sequence[str], orders: float) -> dict[str, Any]:
        asked.append((overrides, orders))
        return figures(100, 1.0, 1.0)

    known = figures(400, 4.0, 1.0)
    alone = doubling.Doubled.ORDERS
    runs = doubling.measure(
        run_child, "black-friday", ["seed=3"], known={1.0: known}, doubled=alone
    )
    assert asked == [(["seed=3"], 0.25), (["seed=3"], 0.5)]  # never a scale: same estate
    text = doubling.report(runs, alone)
    assert text.startswith("doubling the orders on the same estate")
    assert "  orders x0.25 " in text and "  0.5 -> 1 " in text
