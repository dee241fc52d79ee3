"""Prices from ground truth: what each channel charged, against what the pricing source
says it should have charged at that moment.

Every order line (and every till line) of a SKU whose price moved that day is held
against `PricingSource.should_charge` for the channel at the moment of the sale. An
order with any line off is a stale-price order, and the money at stake is counted both
ways: a customer overcharged (a promotion not yet live in that channel) and revenue
given away (a promotion still live there after it ended). Nothing here reads the hub:
the channels' own records of what they charged and the source's own plan are the truth.

A promotion's reach is timed too: from its start at the source to the moment each
channel (each store, for the tills) first charged it, censored at the promotion's end
for a channel that never did. A promotion live in one channel and not yet in another is
that wait.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from scenarios.checking.findings import Finding, Violations
from scenarios.checking.latency import Latency, by_group
from scenarios.twin.run_result import RunResult
from simulators.b2b import CHANNEL as B2B
from simulators.channel import ChannelOrder
from simulators.price_book import PriceBook
from simulators.pricing import PriceChannel, PricingSource

#: an order's channel -> the price channel its price came from
_PRICED_BY = {
    "web": PriceChannel.WEB,
    "click_collect": PriceChannel.WEB,
    "marketplace": PriceChannel.MARKETPLACE,
}
#: the group till sales are reported under
STORES = "stores"
#: every group a sale is counted in: the orders' channels and the tills
GROUPS = (*_PRICED_BY, STORES)


@dataclass(frozen=True, slots=True)
class Charge:
    """One line as a channel charged it: who sold, under which sale, when, at what
    price, and what the source says the price was then."""

    channel: str
    sale: str
    at: float
    sku: str
    qty: int
    charged_cents: int
    should_cents: int


@dataclass(slots=True)
class PriceAudit:
    """Sales of SKUs whose price moved, and those charged at a stale price, by group."""

    sales: dict[str, int] = field(default_factory=dict)
    stale: dict[str, int] = field(default_factory=dict)
    overcharged_cents: int = 0
    undercharged_cents: int = 0
    examples: list[str] = field(default_factory=list)


def _under_a_basket(source: PricingSource, order: ChannelOrder, names: frozenset[str]) -> bool:
    """Whether a basket promotion was live for the order's channel when it was placed,
    or the channel charged one (a basket promotion it still held after it ended)."""
    priced_by = _PRICED_BY[order.channel]
    if any(basket.live(priced_by, order.placed_at) for basket in source.baskets):
        return True
    charged = {part for _, promotion in order.terms.values() for part in promotion.split("+")}
    return bool(charged & names)


def _order_charges(
    source: PricingSource, order: ChannelOrder, watched: frozenset[str]
) -> Iterator[Charge]:
    """An order's lines held against the source: every line, as one basket, when a
    basket promotion bears on it; otherwise each line of a SKU whose price moved."""
    priced_by = _PRICED_BY[order.channel]
    names = frozenset(basket.name for basket in source.baskets)
    if names and _under_a_basket(source, order, names):
        wanted = [(sku, qty) for sku, qty, _, _ in order.lines]
        should = source.should_charge_basket(priced_by, wanted, order.placed_at)
        for (sku, qty, price, _tax), point in zip(order.lines, should, strict=True):
            yield Charge(
                order.channel, order.ref, order.placed_at, sku, qty, price, point.price_cents
            )
        return
    for sku, qty, price, _tax in order.lines:
        if sku in watched:
            should_cents = source.should_charge(priced_by, sku, order.placed_at).price_cents
            yield Charge(order.channel, order.ref, order.placed_at, sku, qty, price, should_cents)


def charges(result: RunResult) -> Iterator[Charge]:
    """Every line of a SKU the day's plan moves, and every line of a basket a basket
    promotion bears on, with the price it should have had."""
    estate = result.estate
    source = estate.pricing
    watched = estate.pos.prices.watched
    if not watched and not source.baskets:
        return
    for channel in (estate.storefront, *estate.marketplaces):
        for order in channel.orders.values():
            if order.channel != B2B:  # a company pays its contract price, not the list's
                yield from _order_charges(source, order, watched)
    for till in estate.pos.prices.charges:
        should = source.should_charge(PriceChannel.STORES, till.sku, till.at).price_cents
        yield Charge(STORES, till.txn, till.at, till.sku, till.qty, till.price_cents, should)


def audit(result: RunResult) -> PriceAudit:
    found = PriceAudit()
    seen: set[str] = set()
    stale: set[str] = set()
    for charge in charges(result):
        if charge.sale not in seen:
            seen.add(charge.sale)
            found.sales[charge.channel] = found.sales.get(charge.channel, 0) + 1
        difference = (charge.charged_cents - charge.should_cents) * charge.qty
        if difference == 0:
            continue
        if difference > 0:
            found.overcharged_cents += difference
        else:
            found.undercharged_cents -= difference
        if charge.sale not in stale:
            stale.add(charge.sale)
            found.stale[charge.channel] = found.stale.get(charge.channel, 0) + 1
            if len(found.examples) < 3:
                found.examples.append(
                    f"{charge.sale} charged {charge.charged_cents} for {charge.sku}, "
                    f"the price then was {charge.should_cents}"
                )
    return found


def _books(result: RunResult) -> Iterator[tuple[PriceChannel, str, PriceBook]]:
    """Every price book with the price channel it charges for: (channel, who, book)."""
    estate = result.estate
    yield PriceChannel.WEB, "web", estate.storefront.prices
    for marketplace in estate.marketplaces:
        yield PriceChannel.MARKETPLACE, marketplace.system, marketplace.prices
    for store, book in estate.pos.prices.books.items():
        yield PriceChannel.STORES, store, book


def promotion_reach(result: RunResult, end: float) -> Iterator[Latency]:
    """Per promotion, SKU and book (each store's its own): from the promotion's start
    to the book first charging it; censored at the promotion's end (or the run's) for
    a book that never did."""
    source: PricingSource = result.estate.pricing
    for promotion in source.promotions:
        until = min(promotion.end_s, end)
        for channel, _who, book in _books(result):
            if channel not in promotion.channels:
                continue
            group = str(channel)
            for sku in promotion.skus:
                heard = book.promotion_heard.get((sku, promotion.name))
                if heard is not None and heard < promotion.end_s:
                    yield Latency(group, heard - promotion.start_s, heard)
                else:
                    yield Latency(group, until - promotion.start_s, until, censored=True)


def pricing_metrics(result: RunResult, end: float) -> dict[str, Any]:
    """The `pricing` metrics: stale-price sales by channel and in all, the money at
    stake both ways, and how long promotions took to reach each channel."""
    found = audit(result)
    sales, stale = sum(found.sales.values()), sum(found.stale.values())
    return {
        "sales_at_moving_prices": sales,
        "stale_price_orders": stale,
        "stale_price_orders_pct": round(100.0 * stale / sales, 4) if sales else 0.0,
        "by_channel": {
            group: {"sales": count, "stale_price_orders": found.stale.get(group, 0)}
            for group, count in sorted(found.sales.items())
        },
        "overcharged_cents": found.overcharged_cents,
        "undercharged_cents": found.undercharged_cents,
        "promotion_reach_s": by_group(promotion_reach(result, end)),
        "examples": found.examples,
    }


def prices_converge(result: RunResult) -> Finding:
    """After the drain, every channel's book and every store's holds the price the
    pricing source has now, for every SKU it moved that day."""
    source = result.estate.pricing
    current = source.current()
    if not current and not source.baskets:
        return Finding(True, "no price moved: every channel sold at list price", 0)
    bad = Violations()
    checked = 0
    for channel, who, book in _books(result):
        checked += _baskets_agree(source, channel, who, book, result.estate.now, bad)
        for (priced_in, sku), point in current.items():
            if priced_in != channel:
                continue
            checked += 1
            held = book.price(sku, source.opening_price(sku))
            if held != point.price_cents:
                bad.add(
                    f"{who} charges {held} for {sku}, the source's price is {point.price_cents}"
                )
    return bad.result(
        f"{checked} prices in {2 + len(result.estate.pos.prices.books)} price books agree "
        "with the pricing source",
        "prices differ from the pricing source's",
    )


def _baskets_agree(
    source: PricingSource,
    channel: PriceChannel,
    who: str,
    book: PriceBook,
    now: float,
    bad: Violations,
) -> int:
    """A book applies exactly the basket promotions the source has live in its channel
    now; returns how many basket promotions of the day the channel was held to."""
    touching = [basket for basket in source.baskets if channel in basket.channels]
    live = {basket.name for basket in touching if basket.live(channel, now)}
    held = {terms.name for terms in book.live_baskets()}
    for name in sorted(live - held):
        bad.add(f"{who} does not apply basket promotion {name}, live at the source")
    for name in sorted(held - live):
        bad.add(f"{who} still applies basket promotion {name}, ended at the source")
    return len(touching)
