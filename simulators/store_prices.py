"""The stores' price books, and the tills' record of what they charged.

Every store prices from its own book. A price push reaches a store only while it is
connected: an offline store keeps charging what it had and takes the pushes it missed
when it reconnects, as a store's price-file download does. The tills record what they
charged for every SKU the pricing source plans to move (`watched`), the ground truth the
checker holds against the source; a day without price changes records nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from simulators.price_book import PriceBook


@dataclass(frozen=True, slots=True)
class TillCharge:
    """A line a till sold at a price, as the till recorded it."""

    at: float
    store: str
    txn: str
    sku: str
    qty: int
    price_cents: int


class StorePrices:
    def __init__(self, stores: Iterable[str], watched: frozenset[str] = frozenset()) -> None:
        self.books: dict[str, PriceBook] = {store: PriceBook() for store in stores}
        #: pushes an offline store missed, applied in order when it reconnects
        self._missed: dict[str, list[list[dict[str, Any]]]] = {}
        self.watched = watched
        self.charges: list[TillCharge] = []

    def price(self, store: str, sku: str, list_price_cents: int) -> int:
        return self.books[store].price(sku, list_price_cents)

    def record(self, at: float, store: str, txn: str, lines: list[dict[str, Any]]) -> None:
        """A sale's {sku, qty, price_cents} lines, kept for the SKUs watched."""
        watched = self.watched
        for line in lines:
            if line["sku"] in watched:
                charge = TillCharge(at, store, txn, line["sku"], line["qty"], line["price_cents"])
                self.charges.append(charge)

    def push(self, rows: list[dict[str, Any]], online: Callable[[str], bool], now: float) -> None:
        """A price push for every store: applied where the store is connected, kept for
        the others until they are."""
        for store, book in self.books.items():
            if online(store):
                book.apply(rows, now)
            else:
                self._missed.setdefault(store, []).append(rows)

    def reconnected(self, store: str, now: float) -> None:
        for rows in self._missed.pop(store, []):
            self.books[store].apply(rows, now)
