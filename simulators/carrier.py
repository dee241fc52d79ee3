"""The parcel carrier: it takes each shipment from a DC's dock to the customer's door.

Transit grows with distance: a parcel to the DC's own region arrives in about a day, to a
neighbouring region in about two, to a far one in about three (medians of a lognormal
with a p95 half as long again), the zones of a carrier's rate card. The carrier scans
the parcel in at the dock and commits to its delivery scan there and then, so its record
of when a parcel reached the door is ground truth the checker reads, even for a parcel
still on the road when the run ends (the day ends long before a three-day parcel does).

Why no SimPy event: a delivery changes nothing any other system does in the run (the
customer's return clock starts at dispatch, as it always did), so the carrier only
records; and it draws from its own named stream ("carrier"), so adding it moved no
other component's numbers and every existing run kept its digest.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from simulators.channel import ChannelOrder
from simulators.compact import NumberIndex
from simulators.numbers import SHIPMENT_NUMBERS
from simulators.records import RecordTable
from simulators.release import Release
from simulators.rng import LogNormal
from simulators.world import World

#: median transit in days by distance (simulators.world.region_hops): 0, 1, 2 hops
TRANSIT_DAYS = (1.0, 2.0, 3.0)
#: a transit's p95 is this many times its median
TRANSIT_P95_RATIO = 1.5
DAY_S = 86400.0


@dataclass(frozen=True, slots=True)
class Parcel:
    """One shipment on its way: from which DC, to which region, and its two scans."""

    shipment_no: str
    order_ref: str
    dc: str
    from_region: str
    to_region: str
    hops: int
    shipped_at: float
    delivered_at: float


class Carrier:
    def __init__(self, rng: random.Random) -> None:
        self._transit = [
            LogNormal(rng, days * DAY_S, days * DAY_S * TRANSIT_P95_RATIO) for days in TRANSIT_DAYS
        ]
        #: every parcel taken, by shipment number; final once scanned in (both scans are
        #: fixed at the dock), so it may leave memory at once: simulators/records.py
        self.parcels: RecordTable[Parcel] = RecordTable()
        #: order ref -> its parcels' shipment numbers, in dispatch order (each held as
        #: an int: kept for the whole run)
        self.by_order = NumberIndex(SHIPMENT_NUMBERS)

    def dispatch(
        self,
        shipment_no: str,
        order_ref: str,
        dc: str,
        from_region: str,
        to_region: str,
        hops: int,
        at: float,
    ) -> Parcel:
        """Scan a parcel in at the dock; its delivery time is fixed now."""
        transit = self._transit[min(hops, len(self._transit) - 1)]()
        parcel = Parcel(shipment_no, order_ref, dc, from_region, to_region, hops, at, at + transit)
        self.parcels.add_final(shipment_no, parcel)
        self.by_order.add(order_ref, shipment_no)
        return parcel

    def of_order(self, order_ref: str) -> list[Parcel]:
        return [self.parcels[no] for no in self.by_order.get(order_ref, ())]


def to_the_door(
    world: World, carrier: Carrier, order_of: Callable[[str], ChannelOrder | None]
) -> Callable[[Release], None]:
    """What the WMS does with a parcel at its dock: hands it to the carrier, addressed
    to the region the channel's order ships to (unknown: far)."""
    region_of = world.region_of()

    def dispatch(release: Release) -> None:
        order = order_of(release.order_ref)
        to_region = order.region if order is not None else ""
        from_region = region_of.get(release.dc, "")
        carrier.dispatch(
            release.shipment_no,
            release.order_ref,
            release.dc,
            from_region,
            to_region,
            world.hops(from_region, to_region),
            release.shipped_at,
        )

    return dispatch
