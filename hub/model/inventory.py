"""Inventory positions: what the hub believes is at each location, by named quantity.

`on_hand` is physical stock as last reported by the location's own system (WMS for a DC,
POS for a store), versioned by that system's per-position sequence so a late report
cannot overwrite a newer one. `reserved` is the hub's own commitment to open orders.
Available-to-sell is derived, never stored, so it cannot drift from its parts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(slots=True, init=False)
class InventoryPosition:
    sku: str
    location: str
    on_hand: int = 0
    reserved: int = 0
    safety_stock: int = 0
    in_transit: int = 0
    quarantined: int = 0
    #: source system's sequence number of the last applied report (or snapshot)
    source_seq: int = -1
    #: highest sequence number any report from the source has carried, applied or not:
    #: tells reconciliation whether news it overtook with a snapshot ever arrived
    reported_seq: int = -1
    #: simulated time the source recorded that report
    source_ts: float = 0.0

    # an `__init__` of its own, not the dataclass's: the compiled build runs a generated
    # `__init__` interpreted (mypyc compiles only what the source holds), and every stock
    # position the hub learns of is built here
    def __init__(
        self,
        sku: str,
        location: str,
        on_hand: int = 0,
        reserved: int = 0,
        safety_stock: int = 0,
        in_transit: int = 0,
        quarantined: int = 0,
        source_seq: int = -1,
        reported_seq: int = -1,
        source_ts: float = 0.0,
    ) -> None:
        self.sku = sku
        self.location = location
        self.on_hand = on_hand
        self.reserved = reserved
        self.safety_stock = safety_stock
        self.in_transit = in_transit
        self.quarantined = quarantined
        self.source_seq = source_seq
        self.reported_seq = reported_seq
        self.source_ts = source_ts

    @property
    def available(self) -> int:
        """Available to sell: what the channels may be offered."""
        units = self.on_hand - self.reserved - self.safety_stock - self.quarantined
        return units if units > 0 else 0  # max(0, units) without the call: read per feed row

    @property
    def fillable(self) -> int:
        """What an order already accepted may still take: the safety stock too. Safety
        stock keeps the last units off the channels' shelves so a feed's lag does not
        sell them twice; holding it back from an order the channel took anyway would
        turn the buffer into a shortfall (and more safety stock into more oversells)."""
        units = self.on_hand - self.reserved - self.quarantined
        return units if units > 0 else 0


class InventoryBook:
    """All positions, created on first touch (stores range a subset of SKUs).

    Kept by SKU, then location: availability questions are about one SKU across
    locations (which DC can fill this line, what does ship-to-home add up to), so one
    lookup finds them all.
    """

    __slots__ = ("_count", "_safety_at", "by_sku", "safety_stock")

    def __init__(self, safety_stock: int, at_locations: Mapping[str, int] | None = None) -> None:
        """`safety_stock` is held back at every location `at_locations` does not name
        (the allocation rules' per-location safety stock, hub/model/allocation.py)."""
        #: SKU -> location -> position. Read it, never change it (`get` makes positions):
        #: availability's loops over a message's reports and a feed's rows look
        #: positions up here, without a call to `get` or `find` for each
        self.by_sku: dict[str, dict[str, InventoryPosition]] = {}
        self._count = 0
        self.safety_stock = safety_stock
        self._safety_at = dict(at_locations or {})

    def get(self, sku: str, location: str) -> InventoryPosition:
        at = self.by_sku.get(sku)
        if at is None:
            at = self.by_sku[sku] = {}
        position = at.get(location)
        if position is None:
            safety = self._safety_at.get(location, self.safety_stock)
            position = InventoryPosition(sku, location, safety_stock=safety)
            at[location] = position
            self._count += 1
        return position

    def find(self, sku: str, location: str) -> InventoryPosition | None:
        at = self.by_sku.get(sku)
        return None if at is None else at.get(location)

    def at_locations(self, sku: str) -> dict[str, InventoryPosition]:
        """The SKU's positions by location (empty if the hub has none); do not modify."""
        return self.by_sku.get(sku, _NONE)

    def positions(self) -> list[InventoryPosition]:
        return [position for at in self.by_sku.values() for position in at.values()]

    def __len__(self) -> int:
        return self._count


_NONE: dict[str, InventoryPosition] = {}
