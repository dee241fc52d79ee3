"""How a kind of record the run's spill keeps is written, when not as the tuple of its
fields (`scenarios/twin/record_spill.py` writes most records so, by `marshal`).

A channel's order holds what `marshal` cannot write as it is (its terms, a plain
order's shared read-only `NO_TERMS`) and its own key (its ref), and shares its lines
and status notices with every order alike (`simulators/channel.py`): read back one by
one, each order would bring its own copies, and the checker, which reads every order
of the day, would hold far more than the run did. What is shared on reading is kept
only while an order read back still holds it (`simulators.interned.Interned`, swept as
the channel's own table is, and at the end of every whole scan): a plain dict of every
basket ever read back grew with the days: judging peak-weekend's four days (every order
read back) rose to within a MiB of the run's peak (docs/architecture.md, Memory, mem23).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, Generic, TypeVar

from simulators.channel import NO_TERMS, ChannelOrder
from simulators.interned import Interned

V = TypeVar("V")
#: the values a channel's table read back shares before they are swept (its readers
#: stream the orders, so nearly all have gone by then): the channels' own 4,096 held
#: some 2 MiB of baskets, garbage but for the last few, through every walk of the
#: judging over the orders
READ_BACK_SWEEP = 256
#: a time not yet come, as an order holds it (`cancel_requested_at`, `acked_at`): one
#: float for every order read back, not one each
NOT_YET = -1.0


def _nothing() -> None:
    """What a codec that shares nothing on reading does after a scan."""


class Codec(Generic[V]):
    """How records of a kind are written and built again: `pack` gives a tuple of plain
    values `marshal` takes, `unpack` builds the record from it and the key it was kept
    under, and `after_scan` lets go, once a scan of the whole table has ended, of what
    `unpack` shared among the records it built (a reader streaming every record keeps
    none of them: what the sharing held for them is garbage by then). A plain class,
    not a frozen dataclass, because mypyc 2.4.1 builds no frozen generic dataclass
    (importing the compiled module failed: "attribute '__dict__' of 'type' objects is
    not writable"); its fields are `Final`, so set once all the same."""

    __slots__ = ("after_scan", "pack", "unpack")

    def __init__(
        self,
        pack: Callable[[V], tuple[Any, ...]],
        unpack: Callable[[str, tuple[Any, ...]], V],
        after_scan: Callable[[], None] = _nothing,
    ) -> None:
        self.pack: Final = pack
        self.unpack: Final = unpack
        self.after_scan: Final = after_scan


def _pack_channel_order(order: ChannelOrder) -> tuple[Any, ...]:
    terms = order.terms
    return (
        order.channel,
        order.customer_id,
        order.region,
        order.placed_at,
        order.lines,
        order.pickup_store,
        order.cancel_requested_at,
        order.cancel_reason,
        order.told,
        order.heard_at,
        order.acked_at,
        order.sends,
        terms if type(terms) is dict else dict(terms),
    )


def channel_orders(same_customer: Callable[[str], str] = str) -> Codec[ChannelOrder]:
    """A codec for one channel's table of orders: written without the ref (the key it
    is kept under, so an order read back is named by the very string its table's scan
    gives) and with its terms as a dict (`NO_TERMS` when empty, as written). Read back,
    the orders of one table share what the channel's own share: one tuple per distinct
    basket of lines and sequence of notices (a company's order's list of lines is its
    own), one string per region and the world's string for each customer
    (`same_customer`), and one "not yet" (-1.0) for the times not yet come."""
    shared = Interned(READ_BACK_SWEEP)

    def unpack(ref: str, values: tuple[Any, ...]) -> ChannelOrder:
        (channel, customer, region, placed_at, lines, pickup, cancel_at, reason) = values[:8]
        told, heard_at, acked_at, sends, terms = values[8:]
        if type(lines) is tuple:
            lines = shared(lines)
        return ChannelOrder(
            ref,
            shared(channel),
            same_customer(customer),
            shared(region),
            placed_at,
            lines,
            shared(pickup),
            NOT_YET if cancel_at == NOT_YET else cancel_at,
            reason,
            shared(told),
            heard_at,
            NOT_YET if acked_at == NOT_YET else acked_at,
            sends,
            terms or NO_TERMS,
        )

    return Codec(_pack_channel_order, unpack, shared.sweep)
