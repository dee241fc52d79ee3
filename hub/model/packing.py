"""Orders and returns as nested tuples of plain values, and back: what an archive of the
hub's finished aggregates writes (hub/aggregates.py, scenarios/twin/hub_archive.py).

Pickle would do, but it writes a slotted dataclass through Python-level hooks: about
115 microseconds to write an order and 90 to read it, for the tens of thousands a peak
day archives and the checker reads back several times. Plain tuples of strings, numbers
and their containers are written and read by `marshal` in a few microseconds. Every
field of an aggregate is packed in the order its dataclass declares it; an enum as its
value, a nested record as a tuple of its fields. A field added to an aggregate is
packed with the rest: only a field of a new kind (an enum, a nested record) needs
telling here, and a unit test round-trips every field to catch one that is not.

Reading one back is most of what reading the archive costs (the checker reads each
finished order three times), so the enums go back through dicts of their members, not
by calling the enum class (a Python-level call, for several values an order), and a
record without special fields is built straight from its tuple: unpacking an order
costs about two thirds of what it did, packing one about as much.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from enum import Enum
from operator import attrgetter
from typing import Any, Generic, TypeVar

from hub.model.fraud import ReviewState
from hub.model.order import FulfilmentLeg, Order, OrderLine, OrderStatus
from hub.model.payment import PaymentState, RefundState
from hub.model.returns import Return, ReturnLine, ReturnStatus, ReturnStatusChange
from hub.model.tax import TaxState

T = TypeVar("T")
E = TypeVar("E", bound=Enum)
#: a value as written, and as read back
Packed = Any
Convert = Callable[[Any], Any]


class Packer(Generic[T]):
    """One dataclass's packing: its fields' values in declaration order, those named in
    `special` converted each way."""

    __slots__ = ("_get", "_kind", "_names", "_special")

    def __init__(self, kind: type[T], special: dict[str, tuple[Convert, Convert]]) -> None:
        self._kind: Any = kind
        self._names = tuple(f.name for f in fields(kind))  # type: ignore[arg-type]
        unknown = set(special) - set(self._names)
        if unknown:
            raise ValueError(f"{kind.__name__} has no field {sorted(unknown)}")
        self._special = tuple(
            (i, *special[name]) for i, name in enumerate(self._names) if name in special
        )
        #: every field at once, in C (a record has one field at least)
        self._get = attrgetter(*self._names) if len(self._names) > 1 else _one(self._names[0])

    def pack(self, record: T) -> tuple[Packed, ...]:
        got: tuple[Packed, ...] = self._get(record)
        if not self._special:
            return got
        values = list(got)
        for i, pack, _ in self._special:
            values[i] = pack(values[i])
        return tuple(values)

    def unpack(self, packed: tuple[Packed, ...]) -> T:
        if not self._special:
            plain: T = self._kind(*packed)
            return plain
        values = list(packed)
        for i, _, unpack in self._special:
            values[i] = unpack(values[i])
        record: T = self._kind(*values)
        return record


def _one(name: str) -> Callable[[Any], tuple[Any, ...]]:
    return lambda record: (getattr(record, name),)


def _members(kind: type[E]) -> dict[Any, E]:
    """`kind`'s members by value: a dict look-up is twenty times cheaper than calling the
    enum (about 0.3 microseconds, in Python), and an order holds several."""
    return {member.value: member for member in kind}


def _enum(kind: type[Enum]) -> tuple[Convert, Convert]:
    """An enum as its plain value (`_value_`, read in C, not the `value` property)."""
    return (attrgetter("_value_"), _members(kind).__getitem__)


def _records(packer: Packer[Any]) -> tuple[Convert, Convert]:
    """A list of nested records, as a tuple of their packings."""
    pack, unpack = packer.pack, packer.unpack
    return (lambda records: tuple(map(pack, records)), lambda packed: list(map(unpack, packed)))


def _pack_changes(flat: list[Any]) -> list[Any]:
    """An order's status changes (status, time, source, ...) with the statuses as ints."""
    packed = list(flat)
    packed[0::3] = map(int, flat[0::3])
    return packed


_ORDER_STATUSES = _members(OrderStatus)


def _unpack_changes(packed: list[Any]) -> list[Any]:
    flat = list(packed)
    flat[0::3] = map(_ORDER_STATUSES.__getitem__, packed[0::3])
    return flat


_LEG = Packer(FulfilmentLeg, {})
_LINE = Packer(OrderLine, {})
ORDER: Packer[Order] = Packer(
    Order,
    {
        "lines": _records(_LINE),
        "status": _enum(OrderStatus),
        "changes": (_pack_changes, _unpack_changes),
        "payment_state": _enum(PaymentState),
        "tax_state": _enum(TaxState),
        "review_state": _enum(ReviewState),
        "legs": _records(_LEG),
    },
)

_RETURN_LINE = Packer(ReturnLine, {})
_RETURN_CHANGE = Packer(ReturnStatusChange, {"status": _enum(ReturnStatus)})
RETURN: Packer[Return] = Packer(
    Return,
    {
        "lines": _records(_RETURN_LINE),
        "status": _enum(ReturnStatus),
        "history": _records(_RETURN_CHANGE),
        "refund_state": _enum(RefundState),
    },
)

__all__ = ["ORDER", "RETURN", "Packer"]
