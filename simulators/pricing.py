"""The pricing source: the retailer's price master (a PIM, or the ERP's price list) that
decides what every channel charges for every SKU, and tells the hub when that changes.

Why a system of its own: a channel charges the price it last heard, and that is only
as fresh as the hub's last price push. The checker needs what each channel *should*
have charged at each moment, whatever any channel heard, so the source keeps that
truth (`should_charge`) and publishes every change as a numbered message on its own
link to the hub (`price.changed`). A newer number always wins: a change overtaken on
the wire by a later one must never roll a price back.

Three kinds of change: a list-price change (the pricing team repricing a SKU for every
channel), a promotion (a percentage off a set of SKUs, in some channels, for a time)
and a basket promotion (a percentage off every line of a basket worth a threshold, in
online channels, for a time: simulators/basket_promotions.py). A channel's price is the
list price less the deepest promotion live for it in that channel, and a basket's lines
at those prices less the deepest basket promotion it qualifies for.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import simpy

from simulators.basket_promotions import (
    BasketPromotion,
    BasketTerms,
    deepest,
    discounted,
    promotion_name,
)
from simulators.price_channels import PriceChannel
from simulators.types import Emit

__all__ = [
    "PRICE_CHANGED",
    "BasketPromotion",
    "ListPriceChange",
    "PriceChannel",
    "PricePoint",
    "PriceTimeline",
    "PricingSource",
    "Promotion",
    "price_row",
]

#: the message kind the source sends the hub
PRICE_CHANGED = "price.changed"


@dataclass(frozen=True, slots=True)
class Promotion:
    """A percentage off `skus` in `channels` from `start_s` until `end_s`."""

    name: str
    start_s: float
    end_s: float
    skus: tuple[str, ...]
    percent_off: float
    channels: tuple[PriceChannel, ...]

    def price(self, list_price_cents: int) -> int:
        """The promotional price: the list price less the discount, whole cents, at
        least one cent."""
        return max(1, round(list_price_cents * (100.0 - self.percent_off) / 100.0))


@dataclass(frozen=True, slots=True)
class ListPriceChange:
    """The pricing team sets a SKU's list price (every channel) at `at_s`."""

    at_s: float
    sku: str
    price_cents: int


@dataclass(frozen=True, slots=True)
class PricePoint:
    """What a channel should charge for a SKU from a moment on."""

    price_cents: int
    list_price_cents: int
    #: the promotion that sets it ("" at list price)
    promotion: str


@dataclass(slots=True)
class PriceTimeline:
    """One (channel, SKU)'s price over the day: times rising, each point holding until
    the next."""

    times: list[float] = field(default_factory=list)
    points: list[PricePoint] = field(default_factory=list)

    def at(self, t: float) -> PricePoint | None:
        """The point in force at `t` (None before the first)."""
        i = bisect_right(self.times, t)
        return self.points[i - 1] if i else None

    def add(self, t: float, point: PricePoint) -> bool:
        """Record `point` from `t`, unless it is what already holds; True if it changed."""
        if self.points and self.points[-1] == point:
            return False
        self.times.append(t)
        self.points.append(point)
        return True


class PricingSource:
    """The price master. `list_prices` is the catalogue's list price per SKU at the
    start of the day; `promotions` and `changes` are the day's plan."""

    name = "pricing"

    def __init__(
        self,
        env: simpy.Environment,
        list_prices: Mapping[str, int],
        promotions: Iterable[Promotion],
        changes: Iterable[ListPriceChange],
        send: Emit,
        baskets: Iterable[BasketPromotion] = (),
    ) -> None:
        self._env = env
        self._send = send
        self._opening = dict(list_prices)
        self.list_prices = dict(list_prices)
        self.promotions = tuple(promotions)
        self.changes = tuple(sorted(changes, key=lambda change: change.at_s))
        self.baskets = tuple(baskets)
        self._live: list[Promotion] = []
        #: (channel, sku) -> its prices over the day, for every pair that ever moved
        self.timelines: dict[tuple[PriceChannel, str], PriceTimeline] = {}
        self.version = 0
        self.messages_sent = 0
        if self.promotions or self.changes or self.baskets:  # no plan: nothing scheduled
            env.process(self._plan())

    # -- the truth the checker reads ---------------------------------------------------

    def should_charge(self, channel: PriceChannel, sku: str, t: float) -> PricePoint:
        """What `channel` should have charged for `sku` at `t`."""
        timeline = self.timelines.get((channel, sku))
        point = timeline.at(t) if timeline is not None else None
        if point is None:
            opening = self._opening[sku]
            return PricePoint(opening, opening, "")
        return point

    def should_charge_basket(
        self, channel: PriceChannel, lines: list[tuple[str, int]], t: float
    ) -> list[PricePoint]:
        """What `channel` should have charged for each (sku, qty) line of one basket at
        `t`: each SKU's price, less the deepest basket promotion live there that the
        basket at those prices qualifies for."""
        points = [self.should_charge(channel, sku, t) for sku, _ in lines]
        offers = [
            BasketTerms(b.name, b.min_basket_cents, b.percent_off)
            for b in self.baskets
            if b.live(channel, t)
        ]
        best = deepest(
            offers, [(p.price_cents, qty) for p, (_, qty) in zip(points, lines, strict=True)]
        )
        if best is None:
            return points
        return [
            PricePoint(
                discounted(p.price_cents, best.percent_off),
                p.list_price_cents,
                promotion_name(p.promotion, best.name),
            )
            for p in points
        ]

    def baskets_touch(self, channel: PriceChannel) -> bool:
        """Whether any basket promotion of the day runs in `channel`."""
        return any(channel in basket.channels for basket in self.baskets)

    def opening_price(self, sku: str) -> int:
        """The SKU's list price at the start of the day."""
        return self._opening[sku]

    def current(self) -> dict[tuple[PriceChannel, str], PricePoint]:
        """Every (channel, SKU) price that moved today, as it stands now."""
        return {key: line.points[-1] for key, line in self.timelines.items()}

    # -- the day ---------------------------------------------------------------------

    def _plan(self) -> Any:
        """Walk the day's changes in time order: promotions start and end, list prices
        move; each moment's changes go to the hub as one message."""
        moments: dict[float, list[tuple[int, Any]]] = {}
        for promotion in self.promotions:
            moments.setdefault(promotion.start_s, []).append((1, promotion))
            moments.setdefault(promotion.end_s, []).append((0, promotion))
        for change in self.changes:
            moments.setdefault(change.at_s, []).append((2, change))
        for basket in self.baskets:
            moments.setdefault(basket.start_s, []).append((3, basket))
            moments.setdefault(basket.end_s, []).append((4, basket))
        for at in sorted(moments):
            if at > self._env.now:
                yield self._env.timeout(at - self._env.now)
            touched: set[str] = set()
            baskets: list[tuple[BasketPromotion, bool]] = []
            for kind, item in moments[at]:
                if kind in (3, 4):
                    baskets.append((item, kind == 3))
                elif kind == 0:
                    self._live.remove(item)
                    touched.update(item.skus)
                elif kind == 1:
                    self._live.append(item)
                    touched.update(item.skus)
                else:
                    self.list_prices[item.sku] = item.price_cents
                    touched.add(item.sku)
            self._publish(sorted(touched), baskets)

    def _point(self, channel: PriceChannel, sku: str) -> PricePoint:
        list_price = self.list_prices[sku]
        best = PricePoint(list_price, list_price, "")
        for promotion in self._live:
            if channel in promotion.channels and sku in promotion.skus:
                price = promotion.price(list_price)
                if price < best.price_cents:
                    best = PricePoint(price, list_price, promotion.name)
        return best

    def _publish(self, skus: list[str], baskets: list[tuple[BasketPromotion, bool]]) -> None:
        now = self._env.now
        rows = []
        for sku in skus:
            for channel in PriceChannel:
                point = self._point(channel, sku)
                timeline = self.timelines.get((channel, sku))
                if timeline is None:
                    opening = self._opening[sku]
                    if point == PricePoint(opening, opening, ""):
                        continue
                    timeline = self.timelines[(channel, sku)] = PriceTimeline()
                    timeline.add(0.0, PricePoint(opening, opening, ""))
                if timeline.add(now, point):
                    rows.append(price_row(sku, channel, point))
        if not rows and not baskets:
            return
        self.version += 1
        self.messages_sent += 1
        message: dict[str, Any] = {
            "type": PRICE_CHANGED,
            "version": self.version,
            "effective_at": now,
            "prices": rows,
        }
        if baskets:  # only what a basket promotion adds: a day without one sends as before
            message["baskets"] = [
                basket_row(basket, channel, live)
                for basket, live in baskets
                for channel in basket.channels
            ]
        self._send(PRICE_CHANGED, message)


def price_row(sku: str, channel: PriceChannel, point: PricePoint) -> dict[str, Any]:
    """One price as the source's messages carry it."""
    return {
        "sku": sku,
        "channel": str(channel),
        "price_cents": point.price_cents,
        "list_price_cents": point.list_price_cents,
        "promotion": point.promotion,
    }


def basket_row(basket: BasketPromotion, channel: PriceChannel, live: bool) -> dict[str, Any]:
    """A basket promotion starting (`live`) or ending in one channel, as the source's
    messages carry it."""
    return {
        "name": basket.name,
        "channel": str(channel),
        "min_basket_cents": basket.min_basket_cents,
        "percent_off": basket.percent_off,
        "live": live,
    }
