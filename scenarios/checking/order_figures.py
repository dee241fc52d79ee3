"""The per-order counts metrics.prom and a finished run's charts read: orders, units and
units short by channel, lines short by ship-to-home channel, and each short order's
(placed at, units short), tallied one order at a time.

Why in one place: each reader walked the orders for its own counts, and a walk reads
every channel order back from the run's spill (`OrderTruths`: about 10 ms a walk on
steady-day). `run --out` tallies them in the walk that tallies its latencies
(`observations.walk`), so metrics.prom's orders and lines short and the charts' short
orders read that one walk instead of three of their own. The run without `--out` makes
none of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from hub.model.order import Channel
from scenarios.checking.delivery import lines_short_of
from scenarios.checking.order_truths import SETTLED_FULFILMENTS, OrderTruth
from scenarios.checking.truth import Truth

#: the channels whose lines short are counted (the ship-to-home ones)
SHIP_CHANNELS = (Channel.WEB, Channel.MARKETPLACE)


@dataclass(slots=True)
class OrderFigures:
    """The counts, by channel: `oversold` and `lines_short` of every order (a finished
    run's), `*_settled` of the settled orders only (a run still going)."""

    orders: dict[str, int]
    units: dict[str, int]
    oversold: dict[str, int]
    oversold_settled: dict[str, int]
    lines_short: dict[str, int]
    lines_short_settled: dict[str, int]
    #: (placed at, units short) of each order short, by channel and as "all": every
    #: channel that took an order has its key, short or not
    short_events: dict[str, list[tuple[float, int]]]

    @classmethod
    def empty(cls) -> OrderFigures:
        channels = Channel.ORDER_CHANNELS
        return cls(
            orders=dict.fromkeys(channels, 0),
            units=dict.fromkeys(channels, 0),
            oversold=dict.fromkeys(channels, 0),
            oversold_settled=dict.fromkeys(channels, 0),
            lines_short=dict.fromkeys(SHIP_CHANNELS, 0),
            lines_short_settled=dict.fromkeys(SHIP_CHANNELS, 0),
            short_events={"all": []},
        )

    def add(self, t: OrderTruth) -> None:
        """Count one order."""
        order = t.order
        channel = order.channel
        self.orders[channel] = self.orders.get(channel, 0) + 1
        self.units[channel] = self.units.get(channel, 0) + t.ordered_units
        events = self.short_events.setdefault(channel, [])
        short = t.short_units
        # its units and lines short count before the run ends only once nothing more will
        # be delivered for it, so a counter never goes down
        settled = t.fulfilment in SETTLED_FULFILMENTS
        self.oversold[channel] = self.oversold.get(channel, 0) + short
        if settled:
            self.oversold_settled[channel] = self.oversold_settled.get(channel, 0) + short
        if not short:  # no unit short: no line short either (`lines_short_of`)
            return
        event = (order.placed_at, short)
        events.append(event)
        self.short_events["all"].append(event)
        if channel in self.lines_short:
            lines = lines_short_of(t)
            self.lines_short[channel] += lines
            if settled:
                self.lines_short_settled[channel] += lines


def order_figures(truth: Truth, tallied: OrderFigures | None = None) -> OrderFigures:
    """`OrderFigures` of `truth`'s orders: `tallied` in a walk made already
    (`observations.walk`), else in a walk of their own."""
    if tallied is not None:
        return tallied
    figures = OrderFigures.empty()
    for t in truth.orders.values():
        figures.add(t)
    return figures
