"""What every service needs, gathered once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass, field

from hub.aggregates import AggregateBook
from hub.model.inventory import InventoryBook
from hub.model.order import Order
from hub.model.returns import Return
from hub.policy import HubPolicy
from hub.ports import Clock, Rng, Scheduler, Transport
from hub.resilience.calls import CallManager
from hub.resilience.dead_letter import DeadLetterQueue


@dataclass(slots=True)
class Topology:
    """Master data the hub is configured with: which locations exist and what they are."""

    dcs: tuple[str, ...]
    stores: tuple[str, ...]
    #: region of each location, for choosing the DC nearest a customer
    region_of: dict[str, str] = field(default_factory=dict)
    #: the estate has a tax engine the hub must ask (`tax`, hub/services/tax_leg.py)
    tax_engine: bool = False
    #: the estate has a fraud screen every authorised order passes (`fraud`,
    #: hub/services/fraud_leg.py)
    fraud_screen: bool = False
    #: the backends whose API wants an access token (hub/resilience/credentials.py)
    token_systems: tuple[str, ...] = ()
    #: how far apart two regions are for the carrier, (from, to) -> 0 the same, 1
    #: neighbours, 2 far: the hub's copy of the carrier's zone chart, for sourcing from
    #: the nearest DC (a pair it lacks: 0 if the same region, else 1)
    region_hops: dict[tuple[str, str], int] = field(default_factory=dict)
    #: the marketplaces the hub sells through, by system name: each its own source, lane
    #: and feed (one, "marketplace", unless the estate names several)
    marketplaces: tuple[str, ...] = ("marketplace",)
    #: drop-ship partners (hub/services/dropship.py): each one's location (among `dcs`,
    #: so its stock is in availability) -> the system its API answers as
    partners: dict[str, str] = field(default_factory=dict)
    #: SKU -> the partner location that alone ships it
    partner_skus: dict[str, str] = field(default_factory=dict)
    #: partner location -> how long a PO may wait for its acknowledgement
    partner_ack_window_s: dict[str, float] = field(default_factory=dict)

    @property
    def warehouses(self) -> tuple[str, ...]:
        """The retailer's own DCs: `dcs` without the partners' locations."""
        if not self.partners:
            return self.dcs
        return tuple(dc for dc in self.dcs if dc not in self.partners)

    def system_of(self, location: str) -> str:
        """The system a release to `location` goes to: its partner's, or the WMS."""
        return self.partners.get(location, "wms")

    def hops(self, a: str, b: str) -> int:
        known = self.region_hops.get((a, b))
        if known is not None:
            return known
        return 0 if a == b else 1


@dataclass(slots=True)
class HubContext:
    policy: HubPolicy
    clock: Clock
    scheduler: Scheduler
    transport: Transport
    rng: Rng
    topology: Topology
    calls: CallManager
    dead_letters: DeadLetterQueue
    inventory: InventoryBook
    #: the hub's aggregates by id; finished ones may wait in an archive (hub/aggregates.py)
    orders: AggregateBook[Order] = field(default_factory=AggregateBook)
    returns: AggregateBook[Return] = field(default_factory=AggregateBook)
    #: counters the operations view and the metrics read
    counters: dict[str, int] = field(default_factory=dict)

    def count(self, name: str, by: int = 1) -> None:
        counters = self.counters
        counters[name] = counters.get(name, 0) + by
