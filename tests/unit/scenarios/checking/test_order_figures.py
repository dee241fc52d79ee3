"""The orders' counts metrics.prom and the charts read (`OrderFigures`), one order at a
time: a finished run's counts every order, a running one's only the settled ones."""

from __future__ import annotations

from scenarios.checking.observations import walk
from scenarios.checking.order_figures import OrderFigures, order_figures
from scenarios.checking.order_truths import Delivered, Fulfilment, OrderTruth
from scenarios.checking.truth import gather
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run
from simulators.channel import ChannelOrder

LINES = (("SKU-1", 2, 500, 100), ("SKU-2", 1, 300, 60))


def _truth(
    ref: str, channel: str, fulfilment: Fulfilment, short: int, **kept: object
) -> OrderTruth:
    order = ChannelOrder(ref, channel, "C-1", "north", float(len(ref)), LINES)
    return OrderTruth(order, fulfilment, short_units=short, **kept)  # type: ignore[arg-type]


def test_orders_units_and_what_was_short_by_channel() -> None:
    figures = OrderFigures.empty()
    figures.add(_truth("W-1", "web", Fulfilment.SHIPPED, 0, delivered=Delivered.AS_ORDERED))
    # shipped one unit short of SKU-1: one line short, counted once settled
    figures.add(_truth("W-22", "web", Fulfilment.SHIPPED, 1, delivered={"SKU-1": 1, "SKU-2": 1}))
    # still in a warehouse, nothing out yet: both lines short, but not settled
    figures.add(_truth("MP-333", "marketplace", Fulfilment.IN_FLIGHT, 3))
    figures.add(_truth("CC-4444", "click_collect", Fulfilment.CANCELLED, 2))
    assert figures.orders == {"web": 2, "marketplace": 1, "click_collect": 1}
    assert figures.units["web"] == 6 and figures.units["click_collect"] == 3
    assert figures.oversold["web"] == 1 and figures.oversold["marketplace"] == 3
    assert figures.oversold_settled["marketplace"] == 0
    assert figures.oversold_settled["click_collect"] == 2
    assert figures.lines_short == {"web": 1, "marketplace": 2}
    assert figures.lines_short_settled == {"web": 1, "marketplace": 0}
    assert "click_collect" not in figures.lines_short  # collected, not shipped
    assert figures.short_events == {
        "all": [(4.0, 1), (6.0, 3), (7.0, 2)],
        "web": [(4.0, 1)],
        "marketplace": [(6.0, 3)],
        "click_collect": [(7.0, 2)],
    }


def test_the_walk_tallies_them_only_where_they_are_exported() -> None:
    result = run(load_scenario("steady-day", ("scenario.scale=0.05",)))
    truth = gather(result)
    assert walk(result, truth, exported=False).orders is None  # the verdict reads none
    tallied = walk(result, truth, exported=True).orders
    assert tallied == order_figures(truth)
    assert order_figures(truth, tallied) is tallied
