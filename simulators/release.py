"""A warehouse release: one part of an order a DC (or a drop-ship partner) fulfils, and
the rule that judges an order's parts as one release.

Why its own module: the rule is read in three rooms (the WMS's own `order_release`,
the checker, and the cross-system view, which reads each part from the run's spill once
and must judge them exactly as the WMS does), so it lives here, beside the record it
reads, rather than inside the WMS's service.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass(slots=True, init=False)
class Release:
    order_ref: str
    dc: str
    lines: list[tuple[str, int]]
    released_at: float
    status: str = "queued"  # queued|picking|picked|shipped|cancelled
    job: Callable[[], None] | None = None
    picked: list[tuple[str, int]] = field(default_factory=list)
    #: what the shelf could not fill (`note_short`): nothing, a shared empty tuple, for most
    short: Sequence[tuple[str, int]] = ()
    shipped_at: float = -1.0
    #: when the status last changed (-1: still as released)
    changed_at: float = -1.0
    #: the shipment number the WMS confirmed the parcel under (its shipment notice's
    #: `shipmentNo`, which is also the carrier's tracking number); empty until shipped
    shipment_no: str = ""
    #: which part of a split order this is: 1 for an order released whole (or a split
    #: order's first part), 2, 3... for the parts released to other DCs
    leg: int = 1
    #: a split order's parts combined (`as_one`): the units of parts withdrawn before
    #: picking (cancelled on purpose, not short for want of stock)
    withdrawn: Sequence[tuple[str, int]] = ()

    # an `__init__` of its own, not the dataclass's: the compiled build runs a generated
    # `__init__` interpreted (mypyc compiles only what the source holds), and every
    # release the WMS takes, and every one read back from the run's spill, is built here
    def __init__(
        self,
        order_ref: str,
        dc: str,
        lines: list[tuple[str, int]],
        released_at: float,
        status: str = "queued",
        job: Callable[[], None] | None = None,
        picked: list[tuple[str, int]] | None = None,
        short: Sequence[tuple[str, int]] = (),
        shipped_at: float = -1.0,
        changed_at: float = -1.0,
        shipment_no: str = "",
        leg: int = 1,
        withdrawn: Sequence[tuple[str, int]] = (),
    ) -> None:
        self.order_ref = order_ref
        self.dc = dc
        self.lines = lines
        self.released_at = released_at
        self.status = status
        self.job = job
        self.picked = [] if picked is None else picked
        self.short = short
        self.shipped_at = shipped_at
        self.changed_at = changed_at
        self.shipment_no = shipment_no
        self.leg = leg
        self.withdrawn = withdrawn

    def note_short(self, sku: str, qty: int) -> None:
        self.short = [*self.short, (sku, qty)]

    @property
    def key(self) -> str:
        """The release's own reference: the order's, with `/leg` from the second part on."""
        return release_key(self.order_ref, self.leg)


def release_key(order_ref: str, leg: int) -> str:
    return order_ref if leg == 1 else f"{order_ref}/{leg}"


def as_one(legs: Sequence[Release]) -> Release | None:
    """An order's parts, in leg order, as the one release the checker judges: None for
    none (never released here), the part itself for an order released whole, and a
    split order's parts combined: shipped once every part has left or been withdrawn and
    something left (as of the last part's shipment), cancelled when every part was
    withdrawn or left empty, otherwise still in the building (queued while a part waits
    for a picker, else picked)."""
    if len(legs) <= 1:
        return legs[0] if legs else None
    first = legs[0]
    shipped = [leg for leg in legs if leg.status == "shipped"]
    if all(leg.status in ("shipped", "cancelled") for leg in legs):
        status = "shipped" if shipped else "cancelled"
    else:
        status = "queued" if any(leg.status == "queued" for leg in legs) else "picked"
    last = max(shipped, key=lambda leg: leg.shipped_at) if shipped else None
    return Release(
        first.order_ref,
        first.dc,
        [line for leg in legs for line in leg.lines],
        first.released_at,
        status,
        picked=[line for leg in legs for line in leg.picked],
        short=[line for leg in legs for line in leg.short],
        shipped_at=last.shipped_at if last is not None and status == "shipped" else -1.0,
        changed_at=max(leg.changed_at for leg in legs),
        shipment_no=last.shipment_no if last is not None else "",
        withdrawn=[line for leg in legs if leg.status == "cancelled" for line in leg.lines],
    )
