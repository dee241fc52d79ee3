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
    #: source system's sequence number of the last applied report
    source_seq: int = -1
    #: simulated time the source recorded that report
    source_ts: float = 0.0

    @property
    def available(self) -> int:
        return max(0, self.on_hand - self.reserved - self.safety_stock - self.quarantined)


class InventoryBook:
    """All positions, created on first touch (stores range a subset of SKUs)."""

    __slots__ = ("_positions", "safety_stock")

    def __init__(self, safety_stock: int) -> None:
        self._positions: dict[tuple[str, str], InventoryPosition] = {}
        self.safety_stock = safety_stock

    def get(self, sku: str, location: str) -> InventoryPosition:
        key = (sku, location)
        position = self._positions.get(key)
        if position is None:
            position = InventoryPosition(sku, location, safety_stock=self.safety_stock)
            self._positions[key] = position
        return position

    def find(self, sku: str, location: str) -> InventoryPosition | None:
        return self._positions.get((sku, location))

    def positions(self) -> list[InventoryPosition]:
        return list(self._positions.values())

    def __len__(self) -> int:
        return len(self._positions)
