"""The checker's orders: each order a channel accepted, and what the estate physically
did with it, read as a stream.

Why a stream and not a dict of records: a multi-day run accepts hundreds of thousands
of orders, and a record per order holding the `ChannelOrder` kept every order in memory
while the run was judged, even one the channel had written out during the run. What
the checks need of an order besides the order itself is a few numbers, kept here in
position order (`array`s: a byte for how it was fulfilled and one for what was
delivered, a double for when, two ints of units), about 18 bytes an order; the units
delivered per SKU only for the rare order delivered neither nothing nor every line as
ordered. The `OrderTruth` a check reads is made on the way, beside the channel's own
order, read again from the channels in the same order. A look-up by ref finds the
channel's order and works its facts out again from the estate (`facts`): the checks
do that only for a few orders (held for fraud review, a test's), and walk the rest.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum
from itertools import chain

from simulators.channel import ChannelOrder


class Fulfilment(StrEnum):
    """What became of an accepted order, as the fulfilment systems recorded it."""

    SHIPPED = "shipped"
    COLLECTED = "collected"
    CANCELLED = "cancelled"
    #: released, not yet out
    IN_FLIGHT = "in_flight"
    #: no fulfilment system ever heard of it
    NOT_RELEASED = "not_released"


#: the fulfilments in which an order's goods left the building for the customer (a
#: tuple, not a set: a plain string of the same value is found in it too)
DELIVERED_FULFILMENTS = (Fulfilment.SHIPPED, Fulfilment.COLLECTED)
#: those after which nothing more will be delivered for an order
SETTLED_FULFILMENTS = (*DELIVERED_FULFILMENTS, Fulfilment.CANCELLED)


class Delivered(Enum):
    """What left the building for an order, when it is not kept as units per SKU."""

    #: nothing (not fulfilled, or fulfilled with nothing on it)
    NOTHING = "nothing"
    #: every line, as ordered (most orders of most days)
    AS_ORDERED = "as_ordered"


@dataclass(slots=True)
class OrderTruth:
    """One order a channel accepted, and what the estate physically did with it."""

    order: ChannelOrder
    fulfilment: Fulfilment
    fulfilled_at: float = -1.0
    #: units that left the building per SKU, kept only when they are neither nothing
    #: nor every line as ordered: read them through `fulfilled_units`
    delivered: dict[str, int] | Delivered = Delivered.NOTHING
    #: units accepted but never delivered for want of stock (truth.py `_oversold_units`)
    short_units: int = 0
    #: units of a split order's parts withdrawn before picking (the customer cancelled
    #: after another part was picked): not delivered, but not for want of stock
    withdrawn_units: int = 0

    @property
    def fulfilled_units(self) -> dict[str, int]:
        """Units that left the building, per SKU (a new dict on each read)."""
        delivered = self.delivered
        if delivered is Delivered.NOTHING:
            return {}
        if delivered is Delivered.AS_ORDERED:
            return {sku: qty for sku, qty, _, _ in self.order.lines}
        return dict(delivered)

    @property
    def ordered_units(self) -> int:
        return sum(qty for _, qty, _, _ in self.order.lines)

    def fulfilled_net_cents(self) -> int:
        """What left the building is worth before tax."""
        units = self.fulfilled_units
        return sum(price * units.get(sku, 0) for sku, _, price, _ in self.order.lines)


_FULFILMENTS = tuple(Fulfilment)
_FULFILMENT_CODE = {fulfilment: code for code, fulfilment in enumerate(_FULFILMENTS)}
#: `Delivered` as a byte; `_UNITS` marks an order whose units per SKU are kept aside
_DELIVERED = (Delivered.NOTHING, Delivered.AS_ORDERED)
_DELIVERED_CODE = {delivered: code for code, delivered in enumerate(_DELIVERED)}
_UNITS = len(_DELIVERED)


class OrderTruths:
    """Every accepted order's `OrderTruth`, in the channels' order (each channel's
    orders in the order it accepted them, the channels as `placed` lists them): the
    facts in position order, the orders read again from the channels on each walk.
    Reads like the dict by ref it replaces (`items`, `values`, iteration over the
    refs, `len`, `get`, `in`), but each walk reads the channels' orders once more."""

    __slots__ = (
        "_at",
        "_delivered",
        "_facts",
        "_fulfilment",
        "_placed",
        "_short",
        "_units",
        "_withdrawn",
    )

    def __init__(
        self,
        placed: Sequence[Mapping[str, ChannelOrder]],
        facts: Callable[[ChannelOrder], OrderTruth],
    ) -> None:
        #: each channel's orders by ref, read again on each walk
        self._placed = tuple(placed)
        #: an order's facts worked out from the estate (see the module)
        self._facts = facts
        self._fulfilment = array("b")
        self._at = array("d")
        self._delivered = array("b")
        #: position -> units short, and units withdrawn, for the orders with any
        self._short: dict[int, int] = {}
        self._withdrawn: dict[int, int] = {}
        #: position -> units per SKU, for the orders `_delivered` marks `_UNITS`
        self._units: dict[int, dict[str, int]] = {}
        for _, order in self._orders():
            self._keep(facts(order))

    def _keep(self, truth: OrderTruth) -> None:
        delivered = truth.delivered
        if isinstance(delivered, Delivered):
            self._delivered.append(_DELIVERED_CODE[delivered])
        else:
            self._units[len(self._delivered)] = delivered
            self._delivered.append(_UNITS)
        position = len(self._fulfilment)
        if truth.short_units:
            self._short[position] = truth.short_units
        if truth.withdrawn_units:
            self._withdrawn[position] = truth.withdrawn_units
        self._fulfilment.append(_FULFILMENT_CODE[truth.fulfilment])
        self._at.append(truth.fulfilled_at)

    def _orders(self) -> Iterator[tuple[str, ChannelOrder]]:
        return chain.from_iterable(orders.items() for orders in self._placed)

    def items(self) -> Iterator[tuple[str, OrderTruth]]:
        """(ref, its `OrderTruth`) for every order, one walk over the channels."""
        units, short, withdrawn = self._units, self._short, self._withdrawn
        facts = zip(self._fulfilment, self._at, self._delivered, strict=True)
        for n, ((ref, order), (code, at, delivered)) in enumerate(
            zip(self._orders(), facts, strict=True)
        ):
            kept = _DELIVERED[delivered] if delivered != _UNITS else units[n]
            yield (
                ref,
                OrderTruth(
                    order, _FULFILMENTS[code], at, kept, short.get(n, 0), withdrawn.get(n, 0)
                ),
            )

    def values(self) -> Iterator[OrderTruth]:
        return (truth for _, truth in self.items())

    def __iter__(self) -> Iterator[str]:
        """The refs, without making an `OrderTruth` for each."""
        return (ref for ref, _ in self._orders())

    def __len__(self) -> int:
        return len(self._fulfilment)

    def order(self, ref: str) -> ChannelOrder | None:
        """The channel's own order under `ref`, None for a ref no channel accepted."""
        for orders in self._placed:
            order = orders.get(ref)
            if order is not None:
                return order
        return None

    def get(self, ref: str) -> OrderTruth | None:
        """The order's `OrderTruth`, worked out again from the estate (None for a ref
        no channel accepted)."""
        order = self.order(ref)
        return self._facts(order) if order is not None else None

    def __getitem__(self, ref: str) -> OrderTruth:
        found = self.get(ref)
        if found is None:
            raise KeyError(ref)
        return found

    def __contains__(self, ref: object) -> bool:
        return isinstance(ref, str) and self.order(ref) is not None

    def channel_of(self, ref: str) -> str:
        """The channel that accepted the order, "unknown" for a ref none accepted."""
        order = self.order(ref)
        return order.channel if order is not None else "unknown"


__all__ = ["Delivered", "Fulfilment", "OrderTruth", "OrderTruths"]
