"""The prices one channel (or one store's tills) charges: the catalogue's list price
until the hub pushes another, and the channel's own record of when it heard each.

A channel charges what its book says at the moment of the sale, however old that is:
the checker holds every line against what the pricing source says it should have been.
A push carries the source's change number with each price; an older number than the
book holds is ignored, so a push overtaken on the wire cannot roll a price back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from simulators.basket_promotions import BasketTerms


@dataclass(frozen=True, slots=True)
class HeldPrice:
    """A price a push set: the amount, the list price it was cut from, the promotion
    behind it ("" at list price), the source's change number and when the channel heard
    it."""

    price_cents: int
    list_price_cents: int
    promotion: str
    version: int
    heard_at: float


class PriceBook:
    def __init__(self) -> None:
        #: sku -> the price a push set (absent: the list price at the start of the day)
        self.held: dict[str, HeldPrice] = {}
        #: (sku, promotion) -> when this book first charged that promotion's price
        self.promotion_heard: dict[tuple[str, str], float] = {}
        #: basket promotion name -> (its terms, live or ended, the source's change number)
        self.baskets: dict[str, tuple[BasketTerms, bool, int]] = {}

    def price(self, sku: str, list_price_cents: int) -> int:
        """What the book charges for `sku` whose catalogue list price is given."""
        held = self.held.get(sku)
        return list_price_cents if held is None else held.price_cents

    def promotion(self, sku: str) -> str:
        held = self.held.get(sku)
        return "" if held is None else held.promotion

    def terms(self, sku: str, list_price_cents: int) -> tuple[int, int, str]:
        """(price charged, list price, promotion) for `sku` whose catalogue list price is
        given: what a sale records, so the discount it got is on its own record."""
        held = self.held.get(sku)
        if held is None:
            return list_price_cents, list_price_cents, ""
        return held.price_cents, held.list_price_cents, held.promotion

    def apply(self, rows: Iterable[Mapping[str, Any]], now: float) -> int:
        """Take a push's {sku, price_cents, list_price_cents, promotion, version} rows
        (a row without a list price was not cut from one); returns how many
        changed the book (a row no newer than the one held changes nothing)."""
        changed = 0
        for row in rows:
            sku, version = row["sku"], int(row["version"])
            held = self.held.get(sku)
            if held is not None and held.version >= version:
                continue
            promotion = str(row.get("promotion") or "")
            price = int(row["price_cents"])
            list_price = int(row.get("list_price_cents", price))
            self.held[sku] = HeldPrice(price, list_price, promotion, version, now)
            if promotion:
                self.promotion_heard.setdefault((sku, promotion), now)
            changed += 1
        return changed

    def apply_baskets(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Take a push's {name, min_basket_cents, percent_off, live, version} basket
        rows; a row no newer than the one held changes nothing. Returns how many did."""
        changed = 0
        for row in rows:
            name, version = str(row["name"]), int(row["version"])
            held = self.baskets.get(name)
            if held is not None and held[2] >= version:
                continue
            terms = BasketTerms(name, int(row["min_basket_cents"]), float(row["percent_off"]))
            self.baskets[name] = (terms, bool(row["live"]), version)
            changed += 1
        return changed

    def live_baskets(self) -> list[BasketTerms]:
        """The basket promotions this book applies now."""
        return [terms for terms, live, _ in self.baskets.values() if live]
