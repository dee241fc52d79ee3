"""A channel's returns, as the ground truth keeps them until the day is judged: the
returns it opened for its customers, by order, and the status notices the hub sent it
about each return, by return id.

Why packed: a day keeps every return it opened and every notice it heard, and as a
list per key of a record each (a return's id, the order's ref again, a tuple of
(sku, qty) lines and a float; a notice's status and two floats) they grew with the
days: about 3.5 MiB of notices at a peak weekend's quarter scale, and its returns
1.2 MiB more than black-friday's at their peaks. Here each key's records are one
bytes object: a return is when it was opened (exact: a double), the place of its lines
among the distinct ones the channel's returns named and the place of its id's prefix
(the id is made again from the prefix, the order's ref and the return's number); a
notice is its two times (doubles) and its status's place. Reading a key builds its
list again, equal to the one the dict of lists held, so a reader holds one key's
records at a time.

Packed, they still grew with the days (2.5 MiB by the end of a peak weekend's Monday at
a quarter scale, 1.8 of it since Friday's end: the largest file of what grew), and
nothing in a batch run reads them before the checker: the keys' records are
a `RecordTable`, finished as soon as each is added to, so with the run's store
(`scenarios/twin/record_spill.py`) they leave memory at once, and a record added to
later comes back for that (`RecordTable.for_update`), in the same order as before.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, Mapping, ValuesView
from dataclasses import dataclass
from struct import Struct
from typing import TypeVar

from simulators.places import Places
from simulators.records import RecordTable, SealedRecords

T = TypeVar("T")

#: a return as `ReturnsOpened` packs it: opened at, its lines' place, its prefix's place
_RETURN = Struct("=dIB")
#: a notice as `ReturnNotices` packs it: when the hub sent it and when it arrived, and
#: its status's place
_RETURN_NOTICE = Struct("ddH")


@dataclass(frozen=True, slots=True)
class ReturnOpened:
    """A return the channel opened for a customer: the ground truth of what was asked
    back, whether or not the message about it ever reached the hub."""

    id: str
    order_ref: str
    #: (sku, qty)
    lines: tuple[tuple[str, int], ...]
    opened_at: float


@dataclass(frozen=True, slots=True)
class ReturnNotice:
    """A return status notice as the channel received it: the status, when the hub says
    it sent it (its own clock, carried in the notice: the order the hub meant, whatever
    order the wire delivered them in) and when it arrived."""

    status: str
    sent_at: float
    received_at: float


def return_id(prefix: str, order_ref: str, number: int) -> str:
    """The id of an order's `number`th return (from 1): PREFIX-REF for the first, as it
    always was, then PREFIX-REF-2, PREFIX-REF-3... (a customer may send one line back
    now and another next week)."""
    return f"{prefix}-{order_ref}" if number == 1 else f"{prefix}-{order_ref}-{number}"


@dataclass(slots=True)
class Packed:
    """One key's records, packed (see the module): a record of the keys' `RecordTable`,
    changed in place when a record is added under its key."""

    data: bytes


class _PackedLists(Mapping[str, list[T]]):
    """key -> a list of records, each key's records one bytes object (see the module):
    the keys in the order first added, as the dict of lists this replaces; a list read
    is a new one."""

    __slots__ = ("_packed",)

    def __init__(self) -> None:
        self._packed: RecordTable[Packed] = RecordTable()

    def seal_into(self, store: SealedRecords[Packed]) -> None:
        """From now on, the keys' records leave memory as they are added to (into
        `store`, an empty one)."""
        self._packed.seal_into(store)

    def _unpacked(self, key: str, packed: bytes) -> list[T]:
        """The records `packed` under `key`, built again."""
        raise NotImplementedError

    def _append(self, key: str, record: bytes) -> int:
        """Add a packed record under `key`: the records it held before."""
        table = self._packed
        held = table.for_update(key)
        if held is None:
            table.add(key, Packed(record))
            before = 0
        else:
            before = len(held.data)
            held.data += record
        table.finish(key)
        return before

    def __getitem__(self, key: str) -> list[T]:
        return self._unpacked(key, self._packed[key].data)

    def __contains__(self, key: object) -> bool:
        return key in self._packed

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)

    def items(self) -> ItemsView[str, list[T]]:
        """(key, records) in order, each key read once (the default view would look
        every key up again in the store)."""
        return _Items(self)

    def values(self) -> ValuesView[list[T]]:
        """Each key's records in order, each key read once."""
        return _Values(self)

    def entries(self) -> Iterator[tuple[str, list[T]]]:
        """(key, records) for every key, in the order first added."""
        unpacked = self._unpacked
        for key, packed in self._packed.items():
            yield key, unpacked(key, packed.data)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(self.entries())!r})"


class _Items(ItemsView[str, list[T]]):
    """A packed mapping's (key, records), streamed from `_PackedLists.entries`."""

    __slots__ = ("_lists",)

    def __init__(self, lists: _PackedLists[T]) -> None:
        super().__init__(lists)
        self._lists = lists

    def __iter__(self) -> Iterator[tuple[str, list[T]]]:
        return self._lists.entries()


class _Values(ValuesView[list[T]]):
    """A packed mapping's records by key, streamed from `_PackedLists.entries`."""

    __slots__ = ("_lists",)

    def __init__(self, lists: _PackedLists[T]) -> None:
        super().__init__(lists)
        self._lists = lists

    def __iter__(self) -> Iterator[list[T]]:
        for _, records in self._lists.entries():
            yield records


class ReturnsOpened(_PackedLists[ReturnOpened]):
    """order ref -> the returns opened for it, oldest first, the refs in the order
    their first return was opened; open one through `open` only."""

    __slots__ = ("_lines", "_prefixes")

    def __init__(self) -> None:
        super().__init__()
        self._lines: Places[tuple[tuple[str, int], ...]] = Places()
        self._prefixes: Places[str] = Places()

    def open(
        self, prefix: str, order_ref: str, lines: list[tuple[str, int]], at: float
    ) -> ReturnOpened:
        """Open the next return of order `order_ref`, of `lines`, at `at`."""
        place = self._lines.place(tuple((sku, qty) for sku, qty in lines))
        record = _RETURN.pack(at, place, self._prefixes.place(prefix))
        number = self._append(order_ref, record) // _RETURN.size + 1
        return ReturnOpened(
            return_id(prefix, order_ref, number), order_ref, self._lines.values[place], at
        )

    def _unpacked(self, order_ref: str, packed: bytes) -> list[ReturnOpened]:
        lines, prefixes = self._lines.values, self._prefixes.values
        return [
            ReturnOpened(
                return_id(prefixes[prefix], order_ref, number), order_ref, lines[place], at
            )
            for number, (at, place, prefix) in enumerate(_RETURN.iter_unpack(packed), start=1)
        ]


class ReturnNotices(_PackedLists[ReturnNotice]):
    """return id -> the status notices the hub sent about it, as received, oldest
    first; add one through `add` only."""

    __slots__ = ("_statuses",)

    def __init__(self) -> None:
        super().__init__()
        self._statuses: Places[str] = Places()

    def add(self, return_id: str, status: str, sent_at: float, received_at: float) -> None:
        self._append(
            return_id, _RETURN_NOTICE.pack(sent_at, received_at, self._statuses.place(status))
        )

    def _unpacked(self, return_id: str, packed: bytes) -> list[ReturnNotice]:
        statuses = self._statuses.values
        return [
            ReturnNotice(statuses[number], sent_at, received_at)
            for sent_at, received_at, number in _RETURN_NOTICE.iter_unpack(packed)
        ]


__all__ = ["Packed", "ReturnNotice", "ReturnNotices", "ReturnOpened", "ReturnsOpened", "return_id"]
