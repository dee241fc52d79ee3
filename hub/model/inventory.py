"""Inventory positions: what the hub believes is at each location, by named quantity.

`on_hand` is physical stock as last reported by the location's own system (WMS for a DC,
POS for a store), versioned by that system's per-position sequence so a late report
cannot overwrite a newer one. `reserved` is the hub's own commitment to open orders.
Available-to-sell is derived, never stored, so it cannot drift from its parts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
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

    @property
    def available(self) -> int:
        return max(0, self.on_hand - self.reserved - self.safety_stock - self.quarantined)


class InventoryBook:
    """All positions, created on first touch (stores range a subset of SKUs).

    Kept by SKU, then location: availability questions are about one SKU across
    locations (which DC can fill this line, what does ship-to-home add up to), so one
    lookup finds them all.
    """

    __slots__ = ("_by_sku", "_count", "safety_stock")

    def __init__(self, safety_stock: int) -> None:
        self._by_sku: dict[str, dict[str, InventoryPosition]] = {}
        self._count = 0
        self.safety_stock = safety_stock

    def get(self, sku: str, location: str) -> InventoryPosition:
        at = self._by_sku.get(sku)
        if at is None:
            at = self._by_sku[sku] = {}
        position = at.get(location)
        if position is None:
            position = InventoryPosition(sku, location, safety_stock=self.safety_stock)
            at[location] = position
            self._count += 1
        return position

    def find(self, sku: str, location: str) -> InventoryPosition | None:
        at = self._by_sku.get(sku)
        return None if at is None else at.get(location)

    def at_locations(self, sku: str) -> dict[str, InventoryPosition]:
        """The SKU's positions by location (empty if the hub has none); do not modify."""
        return self._by_sku.get(sku, _NONE)

    def positions(self) -> list[InventoryPosition]:
        return [position for at in self._by_sku.values() for position in at.values()]

    def __len__(self) -> int:
        return self._count


_NONE: dict[str, InventoryPosition] = {}
