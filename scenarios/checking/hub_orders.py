"""What the hub recorded of each accepted order, read once for the checks that compare
it with the truth.

Why a view of its own: once the day is over, the hub's finished orders are in its
archive (hub/aggregates.py), and a look-up by key reads back a fresh copy (a SELECT,
`marshal`, unpacking: about 9 us each). `no_lost_order`, `no_status_regression` and
`oversell_measured` each compare every accepted order with the hub's; reading it by
key in each read every archived order three times. Now each is read once, by key (a
scan of the book in its own order saves little more than the SELECTs, and would read
orders the truth does not know), and only the few facts the checks compare are kept,
as a small record, not the order: at black-friday's full scale some 100,000 copies of
whole orders would hold hundreds of MiB while the run is judged.

The in-process checks alone ask for it (a hub run as a process of its own is judged
from the systems' records, scenarios/checking/ground_invariants.py), so nothing is
read until one does.
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from hub.model.order import FINAL, Order, OrderStatus, StatusChange
from hub.model.payment import PaymentState
from scenarios.twin.run_result import RunResult


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
    """What the hub recorded of each of the truth's orders (`HubOrder`), in the
    truth's order, None for one the hub never heard of; read from the hub's book the
    first time it is asked (see the module), and as many times as asked after that
    without reading it again. Equal records are one object (most orders end alike:
    shipped, captured, invoiced), and each order is the number of its record among
    them, two bytes in an array beside the truth's orders (four once there are more
    than 65,536 kinds): a list held 8 bytes an order, 2.6 MiB of a full-scale peak
    weekend's judging, and a dict by ref and a record each some 70."""

    __slots__ = ("_book", "_codes", "_kinds", "_refs")

    def __init__(self, book: Callable[[], Mapping[str, Order]], refs: Iterable[str]) -> None:
        #: the hub's orders, asked for only when first needed (the hub may be gone
        #: or outside the twin for a run no in-process check judges)
        self._book = book
        self._refs = refs
        #: each order's record, as its place in `_kinds` (None until first read)
        self._codes: array[int] | None = None
        self._kinds: list[HubOrder | None] = [None]

    def __iter__(self) -> Iterator[HubOrder | None]:
        codes = self._codes
        if codes is None:
            codes = self._codes = self._read_once()
        kinds = self._kinds
        return (kinds[code] for code in codes)

    def _read_once(self) -> array[int]:
        book = self._book()
        kinds = self._kinds
        place: dict[HubOrder | None, int] = {None: 0}
        codes = array("H")
        for ref in self._refs:
            order = book.get(ref)
            record = None if order is None else HubOrder.of(order)
            code = place.get(record)
            if code is None:
                code = place[record] = len(kinds)
                kinds.append(record)
                if code == 1 << 16:
                    codes = array("I", codes)
            codes.append(code)
        return codes


def exception_queue_since(result: RunResult) -> list[float]:
    """When each order and return in the hub's exception queue at the end was first
    flagged. Read among the unfinished aggregates only: the hub never archives one in
    its queue (hub/aggregates.py), so its finished ones are not read back to find none.
    The run's figures (metrics.py) and metrics.prom (business_metrics.py) both ask."""
    ctx = result.estate.hub.ctx
    return [
        aggregate.exception_since
        for aggregate in itertools.chain(ctx.orders.held_in_memory(), ctx.returns.held_in_memory())
        if aggregate.exceptions
    ]


__all__ = ["HubOrder", "HubOrders", "exception_queue_since", "moved_back"]
