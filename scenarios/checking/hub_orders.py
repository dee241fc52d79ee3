"""What the hub recorded of each accepted order, read once for the checks that compare
it with the truth.

Why a view of its own: once the day is over, the hub's finished orders are in its
archive (hub/aggregates.py), and a look-up by key reads back a fresh copy (a SELECT,
`marshal`, unpacking: about 9 us each). `no_lost_order`, `no_status_regression` and
`oversell_measured` each compare every accepted order with the hub's; reading it by
key in each read every archived order three times. One scan of the hub's book (its
rows in order, no query per key) reads each once, and keeps only the few facts the
checks compare as a small record, not the order: at black-friday's full scale some
100,000 copies of whole orders would hold hundreds of MiB while the run is judged.

The in-process checks alone ask for it (a hub run as a process of its own is judged
from the systems' records, scenarios/checking/ground_invariants.py), so nothing is
read until one does.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from hub.model.order import FINAL, Order, OrderStatus, StatusChange
from hub.model.payment import PaymentState


@dataclass(frozen=True, slots=True)
class HubOrder:
    """The facts of one of the hub's orders the checks compare with the truth."""

    status: OrderStatus
    payment_state: PaymentState
    invoiced: bool
    #: settled as the hub sees it (`Order.is_terminal`)
    is_terminal: bool
    #: in the hub's exception queue
    in_exception_queue: bool
    #: how its own history went backwards ("" if it never did; `moved_back`)
    moved_back: str
    #: units the hub recorded short over all its lines
    short_units: int

    @classmethod
    def of(cls, order: Order) -> HubOrder:
        return cls(
            order.status,
            order.payment_state,
            order.invoiced,
            order.is_terminal,
            bool(order.exceptions),
            moved_back(order.history),
            sum(line.short_quantity for line in order.lines),
        )


def moved_back(history: Sequence[StatusChange]) -> str:
    """How an order's own history went backwards ("" if it never did): a lower rank
    after a higher one, or any change after a final status (delivered or cancelled).
    The channels hear milestones only, so the history is where an internal step
    (picked after shipped) shows."""
    for before, after in itertools.pairwise(history):
        if after.status < before.status or before.status in FINAL:
            return f"from {before.status.label} back to {after.status.label}"
    return ""


class HubOrders:
    """Accepted order ref -> what the hub recorded of it (`HubOrder`), for the refs
    the truth knows; read from the hub's book in one scan the first time it is asked
    (see the module). An order the hub never heard of has no entry."""

    __slots__ = ("_book", "_read", "_refs")

    def __init__(self, book: Callable[[], Mapping[str, Order]], refs: Mapping[str, object]) -> None:
        #: the hub's orders, asked for only when first needed (the hub may be gone
        #: or outside the twin for a run no in-process check judges)
        self._book = book
        self._refs = refs
        self._read: dict[str, HubOrder] | None = None

    def get(self, ref: str) -> HubOrder | None:
        read = self._read
        if read is None:
            read = self._read = self._scan()
        return read.get(ref)

    def _scan(self) -> dict[str, HubOrder]:
        """Every order of the book the truth knows of, read once, keyed by the truth's
        own ref string (an archived key read back is a new string)."""
        refs = self._refs
        own = {ref: ref for ref in refs}
        read: dict[str, HubOrder] = {}
        for key, order in self._book().items():
            ref = own.get(key)
            if ref is not None:
                read[ref] = HubOrder.of(order)
        return read


__all__ = ["HubOrder", "HubOrders", "moved_back"]
