"""Records the read model derives when it is read, in SQL, rather than stores: a SKU's
stock summed over its locations, and a return's age and SLA state against the run's
current simulated time (which moves on between projections of a live twin)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SkuTotalsRecord:
    """A SKU's positions added up over every location (0 where it has none), in
    Shopify's quantities (graph/types/inventory.py): `available` may be negative when a
    location is oversold."""

    sku: str
    available: int
    on_hand: int
    committed: int
    incoming: int


@dataclass(frozen=True, slots=True)
class ReturnClockRecord:
    """How long a return has taken (request to closure, or to now while open) and
    whether it broke the run's return-to-refund SLA (return_clock.py)."""

    return_id: str
    age_s: float
    sla_breached: bool
